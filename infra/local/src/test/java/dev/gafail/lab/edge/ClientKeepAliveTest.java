package dev.gafail.lab.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edge's load balancers close a client connection gracefully once it is older than their HTTP
 * client keepalive duration, as an ALB does: a keep-alive client reconnects, and its new connection
 * goes where the dials say, without a failed request.
 */
class ClientKeepAliveTest {

    private static final Instant T = Instant.parse("2026-12-01T05:00:00Z");
    private static final Duration KEEP_ALIVE = Duration.ofMillis(1500);

    private final List<HttpServer> backends = new ArrayList<>();
    private Edge edge;

    @BeforeEach
    void edge() throws IOException {
        Map<String, Integer> dials = new LinkedHashMap<>(Map.of("region-a", 100));
        dials.put("region-b", 0);
        edge = new Edge(dials, Duration.ofSeconds(1), 1, KEEP_ALIVE);
        for (String region : dials.keySet()) {
            edge.endpoints(region, List.of(backend(region)));
        }
    }

    /** A process of {@code region}: every path answers 200, naming the region. */
    private int backend(String region) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Region", region);
            exchange.sendResponseHeaders(200, body.length);
            try (exchange) {
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        backends.add(server);
        return server.getAddress().getPort();
    }

    @AfterEach
    void close() {
        edge.close();
        backends.forEach(s -> s.stop(0));
    }

    @Test
    void aKeepAliveClientStaysWhereItWasUntilTheDurationThenReconnectsWhereTheDialsSayWithoutAFailure()
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + edge.port() + "/api");
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        edge.dial("region-a", 0);
        edge.dial("region-b", 100);
        // A new connection would go to region-b now; this client's stays in region-a until it is closed.
        while (answers.size() < 200 && !region(answers.get(answers.size() - 1)).equals("region-b")) {
            Thread.sleep(50);
            answers.add(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        }

        assertTrue(answers.stream().allMatch(r -> r.statusCode() == 200), "no request failed");
        List<String> regions = answers.stream().map(ClientKeepAliveTest::region).toList();
        assertEquals("region-a", regions.get(1), "the connection outlived the dials' move: " + regions);
        assertEquals("region-b", regions.get(regions.size() - 1), "it reconnected where the dials say: " + regions);
        List<Integer> closing = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).headers().firstValue("Connection").filter("close"::equalsIgnoreCase).isPresent()) {
                closing.add(i);
            }
        }
        assertEquals(List.of(regions.size() - 2), closing, "one answer closed it, region-a's last: " + regions);
    }

    @Test
    void theLoadBalancerClosesTheConnectionAfterTheAnswerThatSaysSo() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), edge.port())) {
            socket.setSoTimeout(5000);
            assertEquals(Optional.empty(), exchange(socket).connection(), "a young connection is kept");
            // Its age only grows: once past the duration, the next answer closes it.
            Thread.sleep(KEEP_ALIVE.toMillis() + 100);
            Answer last = exchange(socket);
            assertEquals(200, last.status());
            assertEquals(Optional.of("close"), last.connection());
            assertEquals(-1, socket.getInputStream().read(), "the server closed it after that answer");
        }
    }

    @Test
    void aConnectionClosesOnceOlderThanTheDurationAndUnseenOnesAreForgotten() {
        ClientKeepAlive keepAlive = new ClientKeepAlive(Duration.ofSeconds(2));
        InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
        assertFalse(keepAlive.closes(client, T));
        assertFalse(keepAlive.closes(client, T.plusMillis(1999)), "traffic does not reset its age, nor end it");
        assertTrue(keepAlive.closes(client, T.plusSeconds(2)));
        assertFalse(keepAlive.closes(client, T.plusSeconds(3)), "the same address again is a new connection");
        for (int port = 40001; port < 41001; port++) {
            keepAlive.closes(new InetSocketAddress("127.0.0.1", port), T.plusSeconds(3));
        }
        assertEquals(1001, keepAlive.known());
        keepAlive.forgetIdle(T.plusSeconds(3).plus(ClientKeepAlive.FORGET_AFTER));
        assertEquals(1001, keepAlive.known(), "not yet unseen for long enough");
        keepAlive.forgetIdle(T.plusSeconds(4).plus(ClientKeepAlive.FORGET_AFTER));
        assertEquals(0, keepAlive.known());
    }

    private static String region(HttpResponse<String> response) {
        return response.headers().firstValue("X-Region").orElse("");
    }

    /** @param connection the answer's Connection header, lower case */
    private record Answer(int status, Optional<String> connection) {
    }

    /** One GET on a kept connection, its answer read to the end of its body. */
    private static Answer exchange(Socket socket) throws IOException {
        socket.getOutputStream().write(("GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the answer's end: " + head);
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim()
                    .toLowerCase());
        }
        in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), Optional.ofNullable(headers.get("connection")));
    }
}
