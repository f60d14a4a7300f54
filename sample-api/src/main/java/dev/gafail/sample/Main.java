package dev.gafail.sample;

import java.time.Duration;

/** Starts the service from the environment; SIGTERM drains it. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (Config.InvalidSetting e) {
            System.err.println("sample-api: " + e.getMessage());
            System.exit(2);
            return;
        }
        App app;
        try {
            app = App.start(config, System.out);
        } catch (java.io.UncheckedIOException e) {
            System.err.println("sample-api: " + e.getMessage() + ": " + e.getCause().getMessage());
            System.exit(1);
            return;
        }
        Duration announce = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("DRAIN_SECONDS", "5")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> app.drain(announce, Duration.ofSeconds(20)),
                "drain"));
    }
}
