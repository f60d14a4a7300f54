package dev.gafail.lab.load;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Steady client traffic through the lab's edge (or an accelerator), as the API's users make it: reads
 * of notes and writes of new ones. A write carries an Idempotency-Key and is retried with it, backing
 * off, until it is acknowledged (201, or 200 for a replay), as a well-behaved client does through a
 * failover; a read answered 503 with Retry-After is retried too (a read failing otherwise is not).
 * A retry waits as Retry-After asks, up to the client's longest backoff. Every attempt is kept as a
 * {@link Sample}; every acknowledged write is kept to be read back afterwards.
 *
 * <p>Two kinds of client: per-request ones, every request on a new connection, which the accelerator
 * routes by the dials of that moment; and keep-alive ones, each with a connection of its own that it
 * keeps, which stay where they are until their load balancer closes the connection.
 *
 * <p>Two shapes: closed-loop clients that each pause between requests (the demo's), whose rate falls
 * when answers slow down; and an open loop of a fixed number of requests a second (the seed's k6
 * profile's, and drills'), per-request, which keeps arriving whatever the answers, as real users do.
 */
public final class ClientLoad implements AutoCloseable {

    /** A write the API acknowledged: the client may forget it now, so the API must not. */
    public record Write(String id, String key, Instant at, String region) {
    }

    /**
     * The acknowledged writes read back.
     *
     * @param lost       the API answered 404: the write is gone
     * @param unreadable no answer but errors until the patience ran out: cannot tell
     */
    public record ReadBack(int checked, List<Write> lost, List<Write> unreadable) {
    }

    /** A client: how it connects, and the connection that way. */
    private record Client(Sample.Kind kind, Transport transport) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    /** The requests an open loop may have in flight; past it, an arriving user's request counts as failed. */
    private static final int MAX_IN_FLIGHT = 256;
    /** What every thread of an open loop is called, followed by what it does. */
    public static final String OPEN_LOOP_THREADS = "client-load-";

    private final URI edge;
    private final Map<String, String> auth;
    private final Duration pause;
    private final double writes;
    private final List<Thread> clients = new ArrayList<>();
    private final Client perRequest;
    private final ThreadPoolExecutor users;
    /** Appended by every client, copied by readers: a plain list under its own lock grows in amortised O(1). */
    private final List<Sample> samples = new ArrayList<>();
    private final List<Write> acknowledged = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    /**
     * Closed-loop clients of both kinds, one write in four.
     *
     * @param perRequest how many clients send at once, each request on a new connection
     * @param keepAlive  how many clients send at once, each on a connection it keeps
     * @param pause      how long each waits between two requests
     */
    public ClientLoad(URI edge, String token, int perRequest, int keepAlive, Duration pause) {
        this(edge, token, pause, 0.25, null);
        for (int i = 0; i < perRequest; i++) {
            closedLoop("lab-client-" + i, this.perRequest);
        }
        for (int i = 0; i < keepAlive; i++) {
            closedLoop("lab-keep-alive-client-" + i, new Client(Sample.Kind.KEEP_ALIVE, new KeepAliveHttp(edge,
                    TIMEOUT)));
        }
    }

    private ClientLoad(URI edge, String token, Duration pause, double writes, ThreadPoolExecutor users) {
        this.edge = edge;
        this.auth = Map.of("Authorization", "Bearer " + token);
        this.pause = pause;
        this.writes = writes;
        this.users = users;
        this.perRequest = new Client(Sample.Kind.PER_REQUEST, (method, path, headers, body) -> HttpOnce.send(edge,
                method, path, headers, body, TIMEOUT));
    }

    private void closedLoop(String name, Client client) {
        Thread thread = new Thread(() -> run(client), name);
        thread.setDaemon(true);
        clients.add(thread);
    }

    /**
     * An open loop: {@code rate} requests a second arrive, each on a thread of its own, whatever the
     * answers; a share {@code writes} (0 to 1) of them are writes.
     */
    public static ClientLoad openLoop(URI edge, String token, double rate, double writes) {
        if (!(rate > 0) || writes < 0 || writes > 1) {
            throw new IllegalArgumentException("an open loop needs a rate above 0 and a share of writes from 0 to 1");
        }
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor users = new ThreadPoolExecutor(0, MAX_IN_FLIGHT, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), work -> {
                    Thread user = new Thread(work, OPEN_LOOP_THREADS + "user-" + count.incrementAndGet());
                    user.setDaemon(true);
                    return user;
                });
        ClientLoad load = new ClientLoad(edge, token, Duration.ZERO, writes, users);
        long period = Math.max(1, (long) (1e9 / rate));
        Thread pacer = new Thread(() -> load.pace(period), OPEN_LOOP_THREADS + "pacer");
        pacer.setDaemon(true);
        load.clients.add(pacer);
        return load;
    }

    public ClientLoad start() {
        running = true;
        clients.forEach(Thread::start);
        return this;
    }

    /** Every request so far, in no particular order. */
    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    private void sampled(Sample sample) {
        synchronized (samples) {
            samples.add(sample);
        }
    }

    public List<Write> acknowledged() {
        return List.copyOf(acknowledged);
    }

    private void run(Client client) {
        try {
            while (running) {
                request(client);
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The open loop's clock: one user's request every {@code period}, late ones sent at once, not skipped. */
    private void pace(long period) {
        long next = System.nanoTime();
        while (running) {
            LockSupport.parkNanos(next - System.nanoTime());
            if (Thread.interrupted() || !running) {
                return;
            }
            try {
                users.execute(() -> {
                    try {
                        request(perRequest);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (RejectedExecutionException e) {
                if (!running) {
                    return;
                }
                sampled(new Sample(Instant.now(), Duration.ZERO, false, 0, "", Sample.Kind.PER_REQUEST, false, ""));
            }
            next += period;
        }
    }

    /** One user's request: a write (always the first, so that reads have a note), else a read of a written note. */
    private void request(Client client) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Write> written = acknowledged;
        if (written.isEmpty() || random.nextDouble() < writes) {
            write(client);
        } else {
            Write note = written.get(random.nextInt(written.size()));
            attempt(client, "GET", "/api/v1/notes/" + note.id(), Map.of(), null, UUID.randomUUID().toString());
        }
    }

    private void write(Client client) throws InterruptedException {
        String key = UUID.randomUUID().toString();
        String body = "{\"title\": \"load " + key.substring(0, 8) + "\", \"body\": \"written through a failover\"}";
        Optional<HttpOnce.Response> answer = attempt(client, "POST", "/api/v1/notes", Map.of("Idempotency-Key", key),
                body, key);
        if (answer.isPresent()) {
            String id = JSON.readTree(answer.get().body()).path("id").asString();
            acknowledged.add(new Write(id, key, Instant.now(), answer.get().header("X-Region")));
        }
    }

    /**
     * One logical request ({@code request} names it), sent until it succeeds while it should be: a write
     * (a body) whatever the answer, a read while answered 503 with Retry-After; its successful answer, if any.
     */
    private Optional<HttpOnce.Response> attempt(Client client, String method, String path, Map<String, String> extra,
                                                String body, String request) throws InterruptedException {
        boolean write = body != null;
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            Optional<HttpOnce.Response> answer = send(client, method, path, extra, body, request);
            if (answer.isPresent() && Sample.ok(answer.get().status())) {
                return answer;
            }
            Optional<String> retryAfter = answer.filter(a -> a.status() == 503).map(a -> a.header("Retry-After"))
                    .filter(value -> !value.isEmpty());
            if (!write && retryAfter.isEmpty()) {
                return Optional.empty();
            }
            Thread.sleep((retryAfter.isPresent() ? retryDelay(retryAfter.get(), backoff) : backoff).toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        return Optional.empty();
    }

    /** What a Retry-After asks (seconds; a date counts as the longest backoff), at least the backoff, at most the longest. */
    private static Duration retryDelay(String retryAfter, Duration backoff) {
        Duration asked;
        try {
            asked = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException e) {
            asked = MAX_BACKOFF;
        }
        Duration atLeast = asked.compareTo(backoff) < 0 ? backoff : asked;
        return atLeast.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : atLeast;
    }

    private Optional<HttpOnce.Response> send(Client client, String method, String path, Map<String, String> extra,
                                             String body, String request) throws InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>(auth);
        headers.putAll(extra);
        boolean write = body != null;
        Instant at = Instant.now();
        long start = System.nanoTime();
        try {
            HttpOnce.Response response = client.transport().send(method, path, headers, body);
            sampled(new Sample(at, Duration.ofNanos(System.nanoTime() - start), write, response.status(),
                    response.header("X-Region"), client.kind(), !response.header("Retry-After").isEmpty(), request));
            return Optional.of(response);
        } catch (IOException | RuntimeException e) {
            sampled(new Sample(at, Duration.ofNanos(System.nanoTime() - start), write, 0, "", client.kind(), false,
                    request));
            return Optional.empty();
        }
    }

    /** Stops every client; a write still being retried is abandoned (it was never acknowledged). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.interrupt();
            client.join(TIMEOUT.toMillis() * 2);
        }
        if (users != null) {
            users.shutdownNow();
            users.awaitTermination(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Reads every acknowledged write back through the edge: 404 is lost; no answer or an error is
     * asked again, for up to {@code patience} in all.
     */
    public ReadBack readBack(Duration patience) throws InterruptedException {
        List<Write> lost = new ArrayList<>();
        List<Write> unreadable = new ArrayList<>();
        Instant until = Instant.now().plus(patience);
        List<Write> written = acknowledged();
        for (Write write : written) {
            int status = readBack(write);
            while (status != 200 && status != 404 && Instant.now().isBefore(until)) {
                Thread.sleep(FIRST_BACKOFF.toMillis());
                status = readBack(write);
            }
            if (status == 404) {
                lost.add(write);
            } else if (status != 200) {
                unreadable.add(write);
            }
        }
        return new ReadBack(written.size(), lost, unreadable);
    }

    private int readBack(Write write) {
        try {
            return HttpOnce.send(edge, "GET", "/api/v1/notes/" + write.id(), auth, null, TIMEOUT).status();
        } catch (IOException e) {
            return 0;
        }
    }
}
