package dev.gafail.sample;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** One HTTP request and its answer: request id, capped JSON body, one error shape. */
final class Call {

    /** Larger bodies are refused with 413 (a note is at most about 40 KB of UTF-8). */
    static final int MAX_BODY = 64 * 1024;
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final HttpExchange exchange;
    private final String requestId;
    private int status;

    Call(HttpExchange exchange) {
        this.exchange = exchange;
        String given = exchange.getRequestHeaders().getFirst("X-Request-Id");
        this.requestId = given != null && CLIENT_REQUEST_ID.matcher(given).matches() ? given
                : UUID.randomUUID().toString();
    }

    String requestId() {
        return requestId;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getRawPath();
    }

    int status() {
        return status;
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    Optional<String> query(String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Optional.empty();
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    int limit() {
        String text = query("limit").orElse("20");
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("'limit' must be a whole number from 1 to 100");
    }

    <T> T body(Class<T> type) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.matches("\\d{1,12}") && Long.parseLong(declared) > MAX_BODY) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body");
        }
        if (bytes.length > MAX_BODY) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("a JSON body is required");
        }
        try {
            T value = Json.MAPPER.readValue(bytes, type);
            if (value == null) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "'");
        } catch (JacksonException e) {
            String field = e.getPath().isEmpty() ? "" : " in '" + e.getPath().get(0).getPropertyName() + "'";
            throw ApiException.badRequest("the body is not valid JSON of the expected shape" + field);
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "the body is larger than " + MAX_BODY + " bytes");
    }

    void json(int code, String json, Map<String, String> headers) {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        this.status = code;
        try {
            exchange.sendResponseHeaders(code, code == 204 ? -1 : bytes.length);
            if (code != 204) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to tell it.
        } finally {
            exchange.close();
        }
    }

    void json(int code, Object value) {
        json(code, Json.MAPPER.writeValueAsString(value), Map.of());
    }

    void error(ApiException e) {
        Map<String, Object> error = Map.of("error", Map.of("code", e.code(), "message", e.getMessage(),
                "requestId", requestId));
        json(e.status(), Json.MAPPER.writeValueAsString(error), e.headers());
    }
}
