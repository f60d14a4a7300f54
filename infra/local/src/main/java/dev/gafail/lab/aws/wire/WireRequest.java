package dev.gafail.lab.aws.wire;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as it arrived, whichever server received it (the lab's JDK server, the tests'
 * WireMock): what the protocol layer reads. Header names are matched without regard to case.
 */
public record WireRequest(String method, String path, Map<String, String> headers, byte[] body) {

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

    /** The media type of the body, without parameters, in lower case. */
    String mediaType() {
        String type = header("Content-Type");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
