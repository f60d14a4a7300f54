package dev.gafail.sample;

import java.util.Map;

/** An error answered with the one error shape: {@code {"error": {code, message, requestId}}}. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message);
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", message, Map.of("WWW-Authenticate", "Bearer"));
    }

    /** A write reached a region whose database is a replica: retry with the same key after the failover. */
    static ApiException readOnly() {
        return new ApiException(503, "REGION_READ_ONLY",
                "this region's database is a read replica; retry with the same Idempotency-Key",
                Map.of("Retry-After", "5"));
    }

    static ApiException unavailable(String message) {
        return new ApiException(503, "UNAVAILABLE", message, Map.of("Retry-After", "5"));
    }
}
