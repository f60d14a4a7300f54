package dev.gafail.testing;

import com.sun.net.httpserver.HttpServer;
import dev.gafail.engine.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/**
 * A webhook endpoint on 127.0.0.1 (the JDK's HTTP server), as Slack's or an incident tool's: it takes
 * every POST with 200 "ok" and keeps what came, by path, in order.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it came. */
    public record Received(String path, String contentType, String userAgent, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("User-Agent"), body));
            byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, ok.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        server.start();
    }

    /** The URL of {@code path} here. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** What was POSTed to {@code path}, in order. */
    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Every body that came, whatever the path. */
    public List<String> bodies() {
        return received.stream().map(Received::body).toList();
    }

    /** The JSON bodies POSTed to {@code path}, in order. */
    public List<JsonNode> documents(String path) {
        return received(path).stream().map(r -> Json.MAPPER.readTree(r.body())).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
