package dev.gafail.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The service's settings, from the environment. A missing or malformed one stops start-up with
 * one line naming it ({@link InvalidSetting}).
 *
 * @param databaseWriterUrl the endpoint that always leads to the global database's current writer (Aurora's
 *                          global writer endpoint); when given, this region writes through it whatever its
 *                          own database's role; empty: only the writer region writes
 * @param writeWait         how long a write through the writer endpoint waits for a writer while it moves
 * @param cacheTtl          how long a cached note may be served: the bound on how much older than the
 *                          region's database's copy a note read from the cache may be
 */
public record Config(String bindAddress, int port, String region, String databaseUrl, String databaseUser, String databasePassword,
                     Optional<String> databaseWriterUrl, Duration writeWait, Duration cacheTtl,
                     Optional<URI> valkeyUrl, byte[] jwtSecret, Optional<String> jwtIssuer,
                     Optional<String> jwtAudience) {

    /** A setting the service cannot start with. */
    public static final class InvalidSetting extends RuntimeException {
        public InvalidSetting(String name, String problem) {
            super(name + ": " + problem);
        }
    }

    public static Config fromEnvironment(Map<String, String> env) {
        return new Config(
                env.getOrDefault("BIND_ADDRESS", "0.0.0.0"),
                port(env),
                matching(env, "REGION", "^[a-z][a-z0-9-]{0,62}$", "a region name such as region-a"),
                jdbc(env, "DATABASE_URL"),
                required(env, "DATABASE_USER"),
                env.getOrDefault("DATABASE_PASSWORD", ""),
                optional(env, "DATABASE_WRITER_URL").map(url -> jdbc(env, "DATABASE_WRITER_URL")),
                seconds(env, "WRITE_WAIT_SECONDS", 5),
                seconds(env, "CACHE_TTL_SECONDS", 10),
                valkey(env),
                secret(env),
                optional(env, "AUTH_JWT_ISSUER"),
                optional(env, "AUTH_JWT_AUDIENCE"));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidSetting(name, "missing");
        }
        return value.trim();
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static String matching(Map<String, String> env, String name, String pattern, String expected) {
        String value = required(env, name);
        if (!value.matches(pattern)) {
            throw new InvalidSetting(name, "'" + value + "' is not " + expected);
        }
        return value;
    }

    private static int port(Map<String, String> env) {
        String value = required(env, "PORT");
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSetting("PORT", "'" + value + "' is not a port number (0-65535)");
    }

    private static String jdbc(Map<String, String> env, String name) {
        String value = required(env, name);
        if (!value.startsWith("jdbc:postgresql://")) {
            throw new InvalidSetting(name, "expected jdbc:postgresql://HOST:PORT/DATABASE");
        }
        return value;
    }

    private static Duration seconds(Map<String, String> env, String name, int otherwise) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            return Duration.ofSeconds(otherwise);
        }
        try {
            int seconds = Integer.parseInt(value.get());
            if (seconds >= 0 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSetting(name, "'" + value.get() + "' is not a number of seconds (0-3600)");
    }

    private static Optional<URI> valkey(Map<String, String> env) {
        Optional<String> value = optional(env, "VALKEY_URL");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(value.get());
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getPort() > 0) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidSetting("VALKEY_URL", "expected redis://HOST:PORT");
    }

    private static byte[] secret(Map<String, String> env) {
        byte[] secret = required(env, "AUTH_JWT_SECRET").getBytes(StandardCharsets.UTF_8);
        if (secret.length < 32) {
            throw new InvalidSetting("AUTH_JWT_SECRET", "HS256 needs at least 32 bytes; got " + secret.length);
        }
        return secret;
    }

    /** Never prints the secret or the password. */
    @Override
    public String toString() {
        return "Config[bindAddress=" + bindAddress + ", port=" + port + ", region=" + region + ", databaseUrl=" + databaseUrl
                + ", databaseWriterUrl=" + databaseWriterUrl.orElse(null) + ", writeWait=" + writeWait + ", cacheTtl="
                + cacheTtl + ", databaseUser=" + databaseUser + ", valkeyUrl=" + valkeyUrl.orElse(null) + ", jwtIssuer=" + jwtIssuer.orElse(null)
                + ", jwtAudience=" + jwtAudience.orElse(null) + "]";
    }
}
