package dev.gafail.sample;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The service's settings, from the environment. A missing or malformed one stops start-up with
 * one line naming it ({@link InvalidSetting}).
 */
public record Config(String bindAddress, int port, String region, String databaseUrl, String databaseUser, String databasePassword,
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
                jdbc(env),
                required(env, "DATABASE_USER"),
                env.getOrDefault("DATABASE_PASSWORD", ""),
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

    private static String jdbc(Map<String, String> env) {
        String value = required(env, "DATABASE_URL");
        if (!value.startsWith("jdbc:postgresql://")) {
            throw new InvalidSetting("DATABASE_URL", "expected jdbc:postgresql://HOST:PORT/DATABASE");
        }
        return value;
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
        return "Config[bindAddress=" + bindAddress + ", port=" + port + ", region=" + region + ", databaseUrl=" + databaseUrl + ", databaseUser="
                + databaseUser + ", valkeyUrl=" + valkeyUrl.orElse(null) + ", jwtIssuer=" + jwtIssuer.orElse(null)
                + ", jwtAudience=" + jwtAudience.orElse(null) + "]";
    }
}
