package dev.gafail.sample;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import tools.jackson.databind.JsonNode;

/** An HTTP client of one running instance, with tokens signed as a real client's would be. */
final class Client {

    static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";
    static final String AUDIENCE = "notes";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    Client(int port) {
        this.port = port;
    }

    static String token(String subject, Duration validFor, String secret, String audience) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).audience(audience)
                    .expirationTime(Date.from(Instant.now().plus(validFor))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(String subject) {
        return token(subject, Duration.ofHours(1), SECRET, AUDIENCE);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
    }

    HttpRequest.Builder authed(String path, String subject) {
        return request(path).header("Authorization", "Bearer " + token(subject));
    }

    Response send(HttpRequest.Builder request) {
        try {
            return new Response(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String path, String subject) {
        return send(authed(path, subject).GET());
    }

    Response post(String path, String subject, String key, String json) {
        HttpRequest.Builder request = authed(path, subject).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return send(request);
    }

    /** A response, with its body read as JSON where it is JSON. */
    record Response(HttpResponse<String> raw) {
        int status() {
            return raw.statusCode();
        }

        String body() {
            return raw.body();
        }

        JsonNode json() {
            return Json.MAPPER.readTree(raw.body());
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** The error shape's code, failing if the body is not the error shape. */
        String errorCode() {
            JsonNode error = json().get("error");
            if (error == null || !error.has("message") || !error.has("requestId")) {
                throw new AssertionError("not the error shape: " + raw.body());
            }
            return error.get("code").asString();
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.body();
        }
    }
}
