package dev.gafail.sample;

import dev.gafail.servers.valkey.ValkeyServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Starting the service in-process against the test's servers, and waiting for it to reach a state. */
final class Instances {

    private Instances() {
    }

    /** A running instance and everything it logged. */
    record Instance(App app, Client client, ByteArrayOutputStream log) implements AutoCloseable {
        String logText() {
            synchronized (log) {
                return log.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            app.close();
        }
    }

    static Instance start(String region, Postgres database, ValkeyServer cache) {
        return start(region, database, cache, Map.of());
    }

    /** As above, with {@code more} settings (a writer endpoint, its wait). */
    static Instance start(String region, Postgres database, ValkeyServer cache, Map<String, String> more) {
        Map<String, String> env = new HashMap<>();
        env.put("BIND_ADDRESS", "127.0.0.1");
        env.put("PORT", "0");
        env.put("REGION", region);
        env.put("DATABASE_URL", database.jdbcUrl());
        env.put("DATABASE_USER", Postgres.user());
        env.put("AUTH_JWT_SECRET", Client.SECRET);
        env.put("AUTH_JWT_AUDIENCE", Client.AUDIENCE);
        if (cache != null) {
            env.put("VALKEY_URL", cache.url());
        }
        env.putAll(more);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        App app = App.start(Config.fromEnvironment(env), new PrintStream(log, true, StandardCharsets.UTF_8));
        return new Instance(app, new Client(app.port()), log);
    }

    /** Stops each of {@code parts} that was started, newest first as given, whatever the others do. */
    static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    // keep stopping the others
                }
            }
        }
    }

    /** Waits until {@code condition} holds, at most {@code within}; fails the test otherwise. */
    static void await(String what, Duration within, BooleanSupplier condition) {
        Instant end = Instant.now().plus(within);
        while (Instant.now().isBefore(end)) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("not within " + within + ": " + what);
    }
}
