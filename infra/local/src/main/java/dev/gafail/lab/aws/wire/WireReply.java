package dev.gafail.lab.aws.wire;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP reply in the caller's protocol, for whichever server sends it: its content type (empty for
 * a reply without a body, which must not name one) and the protocol's other headers ({@code
 * smithy-protocol}, {@code x-amzn-query-error}) besides the request id.
 */
public record WireReply(int status, String contentType, byte[] body, String requestId, Map<String, String> headers) {

    public WireReply {
        headers = Map.copyOf(headers);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
