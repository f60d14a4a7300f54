package dev.gafail.lab.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The lab's AWS endpoint: one HTTP port on 127.0.0.1 that answers, over each SDK client's own wire
 * protocol, the operations gafail calls, from the lab's real state ({@link LabApi}). Malformed and
 * unknown requests get AWS's error shapes. Requests are not signature-checked.
 */
public final class ControlPlane implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "lab-aws");
        t.setDaemon(true);
        return t;
    });
    private final LabApi api;

    public ControlPlane(LabApi api) throws IOException {
        this.api = api;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            AwsReply reply;
            try {
                AwsCall call = AwsCall.parse(exchange.getRequestHeaders().getFirst("Authorization"), target, body);
                reply = api.answer(call);
            } catch (RuntimeException e) {
                reply = AwsReply.error(target != null, 400, target != null ? "SerializationException"
                        : "MalformedQueryString", "cannot read the request: " + e.getMessage());
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("x-amzn-RequestId", reply.requestId());
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
