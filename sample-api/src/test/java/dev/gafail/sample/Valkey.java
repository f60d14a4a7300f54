package dev.gafail.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real Valkey (or Redis) server for tests, on 127.0.0.1 and a free port, stopped by pid. */
@SuppressWarnings("try") // locks and sockets held open for a block
final class Valkey implements AutoCloseable {

    private final Process process;
    private final int port;

    private Valkey(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Valkey start() {
        String server = List.of("/usr/bin/valkey-server", "/usr/bin/redis-server").stream()
                .filter(p -> new java.io.File(p).canExecute()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no valkey-server or redis-server: .ci/run installs one"));
        int port = Postgres.freePort();
        try {
            Process process = new ProcessBuilder(server, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
            Valkey valkey = new Valkey(process, port);
            valkey.awaitListening();
            return valkey;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitListening() {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(end)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("valkey did not listen on " + port);
    }

    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
