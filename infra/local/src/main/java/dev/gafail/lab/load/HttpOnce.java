package dev.gafail.lab.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 request on a connection of its own ({@code Connection: close}). The accelerator
 * routes connections, not requests, so a client that reused a pooled connection would keep talking
 * to the region it first reached until its load balancer closes it ({@link KeepAliveHttp}); a new
 * connection per request is a new client arriving, routed by the dials of that moment. The JDK's
 * clients cannot be told to do this (Connection is a restricted header), hence these few lines.
 */
final class HttpOnce {

    /** @param headers by lower-case name */
    record Response(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private HttpOnce() {
    }

    static Response send(URI base, String method, String path, Map<String, String> headers, String body,
                         Duration timeout) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost()).append(':').append(port).append("\r\nConnection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket plain = new Socket()) {
            int millis = (int) timeout.toMillis();
            plain.connect(new InetSocketAddress(base.getHost(), port), millis);
            plain.setSoTimeout(millis);
            plain.setTcpNoDelay(true);
            // An accelerator's public endpoint speaks TLS; the lab's edge does not.
            Socket socket = tls ? ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain,
                    base.getHost(), port, true) : plain;
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Response parse(String raw) throws IOException {
        int end = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/1.") || end < 0) {
            throw new IOException("not an HTTP response (" + raw.length() + " bytes)");
        }
        String[] lines = raw.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4));
    }
}
