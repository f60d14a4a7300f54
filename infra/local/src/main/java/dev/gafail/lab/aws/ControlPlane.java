package dev.gafail.lab.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gafail.lab.aws.wire.AwsEndpoint;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.WireReply;
import dev.gafail.lab.aws.wire.WireRequest;
import dev.gafail.lab.net.Outage;
import dev.gafail.lab.net.TcpProxy;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lab's AWS APIs: Global Accelerator, RDS (and its Data API), ECS, CloudWatch, STS, FIS, SNS, Service Quotas, EC2 and
 * IAM, one class each, answered from the lab's real state over each SDK client's own wire protocol, on
 * HTTP ports of 127.0.0.1. Each AWS region's APIs have a port of their own, which answers only what is signed for that region,
 * and Global Accelerator's control plane one more, in the AWS region that hosts it; each of these is
 * a lab-owned proxy in front of its server, so that a region's APIs (and GA's with them, in its host
 * region) can be lost in the ways of {@link Outage} and come back on the same port. One more port
 * answers every service of every AWS region, and IAM, which is global, for tools that take one endpoint;
 * no outage reaches it.
 * Every request is logged, a JSON line each, so that one can see which region gafail called, in which
 * protocol, and how it went; a hung port logs each request it reads and never answers. The log, and
 * the messages SNS received, are files in the lab's folder.
 */
public final class ControlPlane implements AutoCloseable {

    /** The log of every AWS request the control plane received, in the lab folder. */
    public static final String REQUEST_LOG = "aws-requests.jsonl";
    /** Every message the lab's SNS received, in the lab folder ({@link SnsMessage}). */
    public static final String SNS_MESSAGES = "sns-messages.jsonl";

    /** An AWS API port: the proxy that an outage fails, in front of the server that answers. */
    private record Front(HttpServer server, TcpProxy proxy) {
    }

    private final ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "lab-aws");
        t.setDaemon(true);
        return t;
    });
    private final BufferedWriter requestLog;
    private final String acceleratorRegion;
    private final Map<String, Front> regional = new LinkedHashMap<>();
    private final LabFis fis;
    private final LabSns sns;
    private HttpServer shared;
    private Front accelerator;
    /** Global Accelerator's control plane failed on its own ({@code lab fail global-accelerator}). */
    private Optional<Outage> acceleratorAlone = Optional.empty();

    /**
     * @param dir                the lab's folder: the request log and SNS's messages go there
     * @param awsRegions         the AWS regions that get a port of their own
     * @param acceleratorRegion  the one of them that hosts Global Accelerator's control plane
     * @param experimentDuration how long each FIS experiment template's action lasts
     */
    public ControlPlane(LabRegions lab, Path dir, Collection<String> awsRegions, String acceleratorRegion,
                        Duration experimentDuration) throws IOException {
        this(lab, dir, awsRegions, acceleratorRegion, experimentDuration, false);
    }

    /**
     * Global Accelerator's control plane alone, on its port in {@code acceleratorRegion} and on the port
     * that answers every region: what an AWS emulator lacks ({@code gafail lab up --only globalaccelerator}).
     * No region's other APIs answer.
     */
    public static ControlPlane acceleratorOnly(LabRegions lab, Path dir, Collection<String> awsRegions,
                                                String acceleratorRegion, Duration experimentDuration)
            throws IOException {
        return new ControlPlane(lab, dir, awsRegions, acceleratorRegion, experimentDuration, true);
    }

    private ControlPlane(LabRegions lab, Path dir, Collection<String> awsRegions, String acceleratorRegion,
                         Duration experimentDuration, boolean acceleratorOnly) throws IOException {
        if (!awsRegions.contains(acceleratorRegion)) {
            throw new IllegalArgumentException("Global Accelerator's control plane cannot live in " + acceleratorRegion
                    + ", not one of the lab's AWS regions " + awsRegions);
        }
        this.acceleratorRegion = acceleratorRegion;
        this.requestLog = Files.newBufferedWriter(dir.resolve(REQUEST_LOG), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.fis = new LabFis(lab, experimentDuration);
        try {
            this.sns = new LabSns(lab, dir.resolve(SNS_MESSAGES));
            AwsService globalAccelerator = new LabGlobalAccelerator(lab);
            LabRestores restores = new LabRestores(lab);
            List<AwsService> inRegions = acceleratorOnly ? List.of() : List.of(new LabRds(lab, restores),
                    new LabDataApi(lab, restores), new LabEcs(lab), new LabCloudWatch(lab), new LabSts(), fis, sns,
                    new LabServiceQuotas(), new LabEc2(lab));
            // IAM is global: one endpoint (the one that answers every region), never a region's own
            List<AwsService> global = acceleratorOnly ? List.of(globalAccelerator)
                    : List.of(globalAccelerator, new LabIam(dir.resolve(LabResources.OPERATOR_POLICY)));
            shared = listen(new AwsEndpoint(Stream.concat(inRegions.stream(), global.stream()).toList())
                    .recording(this::log));
            AwsEndpoint regionalApis = new AwsEndpoint(inRegions).recording(this::log);
            for (String awsRegion : acceleratorOnly ? List.<String>of() : awsRegions) {
                regional.put(awsRegion, front("aws-" + awsRegion, regionalApis.onlyFor(awsRegion)));
            }
            accelerator = front("aws-globalaccelerator", new AwsEndpoint(List.of(globalAccelerator))
                    .recording(this::log).onlyFor(acceleratorRegion));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The FIS experiments that have not ended, in every AWS region. */
    public List<ExperimentView> experiments() {
        return fis.running();
    }

    /**
     * Stops every FIS experiment whose faults hit the lab region {@code region}, as StopExperiment
     * would, and returns once each has stopped (its faults reverted).
     */
    public void stopExperiments(String region, String reason) throws InterruptedException {
        fis.stopHitting(region, reason);
    }

    /** The lab's SNS topics, with how many messages each received. */
    public List<TopicView> topics() {
        return sns.topics();
    }

    /** When the request this worker thread answers began to arrive; what {@link #log} stamps. */
    private final ThreadLocal<Instant> began = new ThreadLocal<>();

    /**
     * One line per request, flushed at once: a test reads the log while the lab runs. Its time is when the
     * request began to arrive (its head, before its body), so that a client paused in the middle of sending
     * it is seen to have begun it before the pause.
     */
    private synchronized void log(AwsEndpoint.Exchange exchange) {
        Instant time = began.get() != null ? began.get() : Instant.now();
        ObjectNode line = JsonNodeFactory.instance.objectNode().put("time", time.toString())
                .put("endpoint", exchange.endpoint()).put("region", exchange.region())
                .put("service", exchange.service()).put("operation", exchange.operation())
                .put("protocol", exchange.protocol()).put("status", exchange.status()).put("error", exchange.error());
        try {
            requestLog.write(line.toString());
            requestLog.newLine();
            requestLog.flush();
        } catch (IOException e) {
            System.err.println("lab: cannot log an AWS request: " + e.getMessage());
        }
    }

    /** The port that answers every AWS region. */
    public int port() {
        return shared.getAddress().getPort();
    }

    /** The port of {@code awsRegion}'s APIs alone (all but Global Accelerator's). */
    public int port(String awsRegion) {
        return front(awsRegion).proxy().port();
    }

    /** The port of Global Accelerator's control plane, which answers calls signed for its region. */
    public int acceleratorPort() {
        return accelerator.proxy().port();
    }

    public String acceleratorRegion() {
        return acceleratorRegion;
    }

    /** Loses {@code awsRegion}'s APIs as {@code mode} says, and Global Accelerator's when that region hosts it. */
    public synchronized void fail(String awsRegion, Outage mode) throws IOException {
        front(awsRegion).proxy().fail(mode);
        settleAccelerator();
    }

    /** Brings {@code awsRegion}'s APIs back, and Global Accelerator's with them unless it was failed on its own. */
    public synchronized void heal(String awsRegion) throws IOException {
        front(awsRegion).proxy().restore();
        settleAccelerator();
    }

    /** Loses Global Accelerator's control plane alone. */
    public synchronized void failAccelerator(Outage mode) throws IOException {
        acceleratorAlone = Optional.of(mode);
        settleAccelerator();
    }

    /** Undoes {@link #failAccelerator}; it stays down while its host region is. */
    public synchronized void healAccelerator() throws IOException {
        acceleratorAlone = Optional.empty();
        settleAccelerator();
    }

    /** The outage of {@code awsRegion}'s APIs, if they are down. */
    public Optional<Outage> outage(String awsRegion) {
        return front(awsRegion).proxy().outage();
    }

    /** The outage of Global Accelerator's control plane, if it is down (alone or with its region). */
    public Optional<Outage> acceleratorOutage() {
        return accelerator.proxy().outage();
    }

    /** Global Accelerator's control plane is down when it failed on its own, or with the region that hosts it. */
    private void settleAccelerator() throws IOException {
        Optional<Outage> down = acceleratorAlone.or(() -> regional.containsKey(acceleratorRegion)
                ? outage(acceleratorRegion) : Optional.empty());
        if (down.isPresent()) {
            accelerator.proxy().fail(down.get());
        } else {
            accelerator.proxy().restore();
        }
    }

    private Front front(String awsRegion) {
        Front front = regional.get(awsRegion);
        if (front == null) {
            throw new IllegalArgumentException("the lab has no AWS region " + awsRegion + "; it has "
                    + regional.keySet());
        }
        return front;
    }

    private Front front(String name, AwsEndpoint answering) throws IOException {
        HttpServer server = listen(answering);
        int port = server.getAddress().getPort();
        try {
            return new Front(server, new TcpProxy(name, 0, () -> port, in -> logUnanswered(answering, in)));
        } catch (IOException e) {
            server.stop(0);
            throw e;
        }
    }

    /** What a hung port does with a connection: reads each request on it, logs it, never answers. */
    private static void logUnanswered(AwsEndpoint answering, InputStream in) throws IOException {
        InputStream buffered = new BufferedInputStream(in);
        for (Optional<WireRequest> request = WireRequest.read(buffered); request.isPresent();
             request = WireRequest.read(buffered)) {
            answering.unanswered(request.get());
        }
    }

    private HttpServer listen(AwsEndpoint answering) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> handle(answering, exchange));
        server.setExecutor(workers);
        server.start();
        return server;
    }

    private void handle(AwsEndpoint answering, HttpExchange exchange) throws IOException {
        began.set(Instant.now());
        try (exchange) {
            answer(answering, exchange);
        } finally {
            began.remove();
        }
    }

    private static void answer(AwsEndpoint answering, HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
        String query = exchange.getRequestURI().getRawQuery();
        WireReply reply = answering.handle(new WireRequest(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query), headers, body));
        if (!reply.contentType().isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        }
        exchange.getResponseHeaders().set("x-amzn-RequestId", reply.requestId());
        reply.headers().forEach(exchange.getResponseHeaders()::set);
        // -1: no body at all (0 would mean a chunked body of unknown length)
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    @Override
    public synchronized void close() {
        if (shared != null) {
            shared.stop(0);
        }
        regional.values().forEach(ControlPlane::close);
        if (accelerator != null) {
            close(accelerator);
        }
        workers.shutdownNow();
        fis.close();
        try {
            requestLog.close();
        } catch (IOException e) {
            System.err.println("lab: cannot close the AWS request log: " + e.getMessage());
        }
    }

    private static void close(Front front) {
        front.proxy().close();
        front.server().stop(0);
    }
}
