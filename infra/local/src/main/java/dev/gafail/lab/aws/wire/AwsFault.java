package dev.gafail.lab.aws.wire;

/**
 * An AWS error reply: the HTTP status, the error code the service uses (e.g. {@code
 * DBClusterNotFoundFault}) and a message. A service throws it; the protocol layer writes it in the
 * caller's protocol ({@code __type} for the JSON protocols, {@code ErrorResponse} for AWS Query).
 */
public final class AwsFault extends RuntimeException {

    private final int status;
    private final String code;

    public AwsFault(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** A client error (HTTP 400), the caller's to mend. */
    public static AwsFault invalid(String code, String message) {
        return new AwsFault(400, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
