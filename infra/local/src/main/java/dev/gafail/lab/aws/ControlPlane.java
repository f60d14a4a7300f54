package dev.gafail.lab.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gafail.lab.aws.wire.AwsEndpoint;
import dev.gafail.lab.aws.wire.WireReply;
import dev.gafail.lab.aws.wire.WireRequest;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lab's AWS APIs: Global Accelerator, RDS, ECS, CloudWatch and STS, one class each, answered
 * from the lab's real state over each SDK client's own wire protocol, on HTTP ports of 127.0.0.1.
 * One port answers every AWS region; each region can also have a port of its own, which answers
 * only what is signed for that region, so that a region's APIs can be lost with it. Every request
 * is logged, a JSON line each, so that one can see which region gafail called and how it went.
 */
public final class ControlPlane implements AutoCloseable {

    private final ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "lab-aws");
        t.setDaemon(true);
        return t;
    });
    private final AwsEndpoint endpoint;
    private final HttpServer shared;
    private final Map<String, HttpServer> regional = new HashMap<>();
    private final BufferedWriter requestLog;
    private boolean closed;

    public ControlPlane(LabRegions lab, Path requestLog) throws IOException {
        this.requestLog = Files.newBufferedWriter(requestLog, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        endpoint = new AwsEndpoint(List.of(new LabGlobalAccelerator(lab), new LabRds(lab), new LabEcs(lab),
                new LabCloudWatch(lab), new LabSts())).recording(this::log);
        shared = listen(endpoint);
    }

    /** One line per request, flushed at once: a test reads the log while the lab runs. */
    private synchronized void log(AwsEndpoint.Exchange exchange) {
        ObjectNode line = JsonNodeFactory.instance.objectNode().put("time", Instant.now().toString())
                .put("endpoint", exchange.endpoint()).put("region", exchange.region())
                .put("service", exchange.service()).put("operation", exchange.operation())
                .put("status", exchange.status()).put("error", exchange.error());
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

    /** The port of {@code awsRegion}'s APIs alone, opened on first use. */
    public synchronized int port(String awsRegion) throws IOException {
        if (closed) {
            throw new IllegalStateException("the control plane is closed");
        }
        HttpServer server = regional.get(awsRegion);
        if (server == null) {
            server = listen(endpoint.onlyFor(awsRegion));
            regional.put(awsRegion, server);
        }
        return server.getAddress().getPort();
    }

    private HttpServer listen(AwsEndpoint answering) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> handle(answering, exchange));
        server.setExecutor(workers);
        server.start();
        return server;
    }

    private static void handle(AwsEndpoint answering, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            WireReply reply = answering.handle(new WireRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), headers, body));
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("x-amzn-RequestId", reply.requestId());
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        shared.stop(0);
        regional.values().forEach(server -> server.stop(0));
        workers.shutdownNow();
        try {
            requestLog.close();
        } catch (IOException e) {
            System.err.println("lab: cannot close the AWS request log: " + e.getMessage());
        }
    }
}
