package dev.gafail.lab.aws.wire;

import java.nio.charset.StandardCharsets;

/** An HTTP reply in the caller's protocol, for whichever server sends it. */
public record WireReply(int status, String contentType, byte[] body, String requestId) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
