package dev.gafail.lab.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.gafail.lab.net.Outage;
import dev.gafail.lab.net.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab's Global Accelerator: one listener on 127.0.0.1, an endpoint group per region with a
 * traffic dial, health checks on each endpoint's {@code /healthz}. Like the accelerator, the
 * listener works on connections (TCP): it hands each new one to a region's load balancer, and a
 * connection stays there (the accelerator does not move established connections). Clients are
 * taken to be nearest the first region: a new connection goes there with the probability of its
 * dial, and what it declines flows to the next region by that one's dial. A region without a
 * healthy endpoint takes nothing while another has one, and everything when it is the only one
 * with one, even at dial 0, as the accelerator spills over. Each region's load balancer (its ALB,
 * whose port is also the region's health URL) spreads requests over the region's processes and
 * counts requests and 5xx. A load balancer's port is a lab-owned proxy in front of it, so that it
 * can be lost with its region ({@link #fail}) and come back on the same port. As an ALB with its HTTP
 * client keepalive duration, a load balancer closes a client connection gracefully once it is older
 * than that ({@link ClientKeepAlive}), so keep-alive clients reconnect and follow the dials.
 */
public final class Edge implements AutoCloseable {

    /** What {@code lab status} shows of a region at the edge. */
    public record RegionView(String region, int dial, int healthyEndpoints, int endpoints, long requests,
                             long serverErrors, int port) {
    }

    /**
     * The lab's HTTP client keepalive duration: under half the lab runbook's 5 s stage holds, so that
     * every keep-alive client reconnects, and is routed by the stage's dials, at least twice in each
     * stage (at AWS infra/aws sets the ALB's minimum, 60 s, against the runbook's 1 minute holds).
     */
    public static final Duration CLIENT_KEEP_ALIVE = Duration.ofSeconds(2);

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-authorization", "proxy-authenticate",
            "date");

    private final class Group {
        final String region;
        volatile int dial;
        volatile List<Endpoint> endpoints = List.of();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong serverErrors = new AtomicLong();
        final PerSecondCounts recentRequests = new PerSecondCounts();
        final PerSecondCounts recentServerErrors = new PerSecondCounts();
        final AtomicInteger next = new AtomicInteger();
        final ClientKeepAlive keepAlive;
        HttpServer balancer;
        TcpProxy front;

        Group(String region, int dial, Duration keepAlive) {
            this.region = region;
            this.dial = dial;
            this.keepAlive = new ClientKeepAlive(keepAlive);
        }

        boolean healthy() {
            return endpoints.stream().anyMatch(Endpoint::healthy);
        }

        /** Round robin over the healthy endpoints; over all of them when none is (fail open, as an ALB). */
        Endpoint pick() {
            List<Endpoint> all = endpoints;
            List<Endpoint> healthy = all.stream().filter(Endpoint::healthy).toList();
            List<Endpoint> from = healthy.isEmpty() ? all : healthy;
            return from.isEmpty() ? null : from.get(Math.floorMod(next.getAndIncrement(), from.size()));
        }
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final TcpProxy listener;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService workers = Executors.newFixedThreadPool(32, daemon("edge"));
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(daemon("edge-health"));
    private final int threshold;

    /**
     * @param dials    region to initial dial, nearest region first
     * @param interval between two health checks of an endpoint
     * @param threshold checks in a row that change an endpoint's health
     */
    public Edge(Map<String, Integer> dials, Duration interval, int threshold) throws IOException {
        this(dials, interval, threshold, CLIENT_KEEP_ALIVE);
    }

    /** @param keepAlive each load balancer's HTTP client keepalive duration */
    public Edge(Map<String, Integer> dials, Duration interval, int threshold, Duration keepAlive) throws IOException {
        this.threshold = threshold;
        dials.forEach((region, dial) -> groups.put(region, new Group(region, dial, keepAlive)));
        for (Group group : groups.values()) {
            group.balancer = server(exchange -> forward(exchange, group));
            group.front = new TcpProxy("alb-" + group.region, 0, group.balancer.getAddress().getPort());
        }
        // Through the load balancers' own ports: a connection sent to a lost region is lost with it.
        listener = new TcpProxy("edge", 0, () -> choose().front.port());
        checker.scheduleWithFixedDelay(this::checkAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        long forget = ClientKeepAlive.FORGET_AFTER.toMillis();
        checker.scheduleWithFixedDelay(() -> groups.values().forEach(g -> g.keepAlive.forgetIdle(Instant.now())),
                forget, forget, TimeUnit.MILLISECONDS);
    }

    private HttpServer server(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext("/", handler);
        server.setExecutor(workers);
        server.start();
        return server;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return listener.port();
    }

    /** The region's own load balancer port (its ALB): its health URL is served there. */
    public int regionPort(String region) {
        return group(region).front.port();
    }

    /** Loses the region's load balancer as {@code mode} says, until {@link #heal}. */
    public void fail(String region, Outage mode) throws IOException {
        group(region).front.fail(mode);
    }

    public void heal(String region) throws IOException {
        group(region).front.restore();
    }

    /** The processes serving {@code region}; health is kept for ports it already knew. */
    public void endpoints(String region, List<Integer> ports) {
        Group group = group(region);
        Map<Integer, Endpoint> known = new LinkedHashMap<>();
        group.endpoints.forEach(e -> known.put(e.port(), e));
        List<Endpoint> now = new ArrayList<>();
        for (int port : ports) {
            now.add(known.getOrDefault(port, new Endpoint(port, threshold)));
        }
        group.endpoints = List.copyOf(now);
        now.stream().filter(e -> !known.containsKey(e.port())).forEach(this::check);
    }

    public void dial(String region, int dial) {
        if (dial < 0 || dial > 100) {
            throw new IllegalArgumentException("a dial is between 0 and 100, not " + dial);
        }
        group(region).dial = dial;
    }

    public int dial(String region) {
        return group(region).dial;
    }

    /** Requests ({@code errors} false) or 5xx answers of {@code region} in the last {@code period}, as CloudWatch sums them. */
    public long recent(String region, boolean errors, Duration period) {
        Group g = group(region);
        return (errors ? g.recentServerErrors : g.recentRequests).sum(Instant.now(), period);
    }

    public List<RegionView> view() {
        List<RegionView> out = new ArrayList<>();
        for (Group g : groups.values()) {
            out.add(new RegionView(g.region, g.dial, (int) g.endpoints.stream().filter(Endpoint::healthy).count(),
                    g.endpoints.size(), g.requests.get(), g.serverErrors.get(), g.front.port()));
        }
        return out;
    }

    private Group group(String region) {
        Group group = groups.get(region);
        if (group == null) {
            throw new IllegalArgumentException("no region " + region + " at the edge; regions: " + groups.keySet());
        }
        return group;
    }

    private Group choose() {
        List<Group> healthy = groups.values().stream().filter(Group::healthy).toList();
        List<Group> candidates = healthy.isEmpty() ? List.copyOf(groups.values()) : healthy;
        for (Group g : candidates) {
            if (ThreadLocalRandom.current().nextInt(100) < g.dial) {
                return g;
            }
        }
        // Declined everywhere: the region with the highest dial takes it (a lone healthy region at 0 too).
        Group best = candidates.get(0);
        for (Group g : candidates) {
            best = g.dial > best.dial ? g : best;
        }
        return best;
    }

    private void forward(HttpExchange exchange, Group group) throws IOException {
        try (exchange) {
            Endpoint endpoint = group.pick();
            int status;
            byte[] body;
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (endpoint == null) {
                status = 503;
                body = ("{\"error\": {\"code\": \"NO_ENDPOINT\", \"message\": \"no endpoint in " + group.region
                        + "\"}}").getBytes();
            } else {
                try {
                    HttpResponse<byte[]> response = http.send(request(exchange, endpoint), HttpResponse.BodyHandlers
                            .ofByteArray());
                    status = response.statusCode();
                    body = response.body();
                    response.headers().map().forEach((k, v) -> {
                        if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                            headers.put(k, v);
                        }
                    });
                } catch (IOException e) {
                    status = 502;
                    body = ("{\"error\": {\"code\": \"BAD_GATEWAY\", \"message\": \"" + group.region
                            + " did not answer\"}}").getBytes();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Instant answered = Instant.now();
            group.requests.incrementAndGet();
            group.recentRequests.add(answered);
            if (status >= 500) {
                group.serverErrors.incrementAndGet();
                group.recentServerErrors.add(answered);
            }
            exchange.getResponseHeaders().putAll(headers);
            if (group.keepAlive.closes(exchange.getRemoteAddress(), answered)) {
                // The JDK's HttpServer closes the connection after an answer that says so.
                exchange.getResponseHeaders().set("Connection", "close");
            }
            if (!headers.containsKey("Content-Type") && !headers.containsKey("content-type")) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            boolean empty = body.length == 0 || exchange.getRequestMethod().equals("HEAD") || status == 204
                    || status == 304;
            exchange.sendResponseHeaders(status, empty ? -1 : body.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static HttpRequest request(HttpExchange exchange, Endpoint endpoint) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = URI.create("http://127.0.0.1:" + endpoint.port() + exchange.getRequestURI());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    private void checkAll() {
        groups.values().forEach(g -> g.endpoints.forEach(this::check));
    }

    private void check(Endpoint endpoint) {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/healthz"))
                .timeout(Duration.ofSeconds(1)).build();
        boolean ok;
        try {
            ok = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        endpoint.observe(ok);
    }

    @Override
    public void close() {
        checker.shutdownNow();
        listener.close();
        groups.values().forEach(g -> {
            g.front.close();
            g.balancer.stop(0);
        });
        workers.shutdownNow();
    }
}
