package dev.gafail.lab.aws.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as it arrived, whichever server received it (the lab's JDK server, the tests'
 * WireMock): what the protocol layer reads. {@code path} is the request target as sent, its query
 * string included. Header names are matched without regard to case.
 */
public record WireRequest(String method, String path, Map<String, String> headers, byte[] body) {

    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;

    public WireRequest {
        TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        headers = byName;
        body = body == null ? new byte[0] : body;
    }

    /** A header's value, or "" when absent. */
    public String header(String name) {
        return headers.getOrDefault(name, "");
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The path without its query string, still encoded. */
    public String rawPath() {
        int question = path.indexOf('?');
        return question < 0 ? path : path.substring(0, question);
    }

    /** The query string's parameters, decoded, in their order (the last of a repeated name wins). */
    public Map<String, String> query() {
        Map<String, String> parameters = new LinkedHashMap<>();
        int question = path.indexOf('?');
        if (question >= 0) {
            for (String pair : path.substring(question + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    parameters.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
        }
        return parameters;
    }

    /**
     * A path segment or query value with its percent-escapes decoded; a {@code +} stays a plus, as the
     * SDKs escape spaces as {@code %20} when they sign (URLDecoder alone would read a space).
     */
    static String decode(String escaped) {
        try {
            return URLDecoder.decode(escaped.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AwsFault.invalid("ValidationException", "a malformed escape in " + escaped);
        }
    }

    /** The media type of the body, without parameters, in lower case. */
    String mediaType() {
        String type = header("Content-Type");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The next HTTP/1.1 request on a connection, its head and its Content-Length body, or empty when the
     * connection ends before one: how the lab reads a request that no server will answer (a hung region).
     */
    public static Optional<WireRequest> read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (int matched = 0; matched < END_OF_HEAD.length; ) {
            int b = in.read();
            if (b < 0 && head.size() == 0) {
                return Optional.empty();
            }
            if (b < 0 || head.size() >= MAX_HEAD) {
                throw new IOException("not an HTTP request head: " + head.size() + " bytes without its end");
            }
            head.write(b);
            matched = b == END_OF_HEAD[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] start = lines[0].split(" ");
        if (start.length != 3) {
            throw new IOException("not an HTTP request line: " + lines[0]);
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        WireRequest request = new WireRequest(start[0], start[1], headers, null);
        int length;
        try {
            length = request.header("Content-Length").isEmpty() ? 0 : Integer.parseInt(request.header("Content-Length"));
        } catch (NumberFormatException e) {
            throw new IOException("Content-Length " + request.header("Content-Length") + ": not a number");
        }
        if (length < 0 || length > MAX_BODY) {
            throw new IOException("Content-Length " + length + ": between 0 and " + MAX_BODY);
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("the connection ended " + (length - body.length) + " bytes short of the body");
        }
        return Optional.of(new WireRequest(request.method(), request.path(), request.headers(), body));
    }
}
