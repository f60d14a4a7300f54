package dev.gafail.servers.valkey;

import dev.gafail.servers.os.Await;
import dev.gafail.servers.os.ChildProcess;
import dev.gafail.servers.os.UnpackedOnce;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A Valkey or Redis server on 127.0.0.1 without persistence: a region's cache. Stopped by process id. */
public final class ValkeyServer implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private ValkeyServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The server binary {@code resource} (one class-path file named {@code name}), unpacked in {@code cache}. */
    public static Path unpackedIn(Path cache, URL resource, String name) {
        return UnpackedOnce.in(cache, "valkey", resource, name, (source, into) -> {
            try (InputStream in = source.openStream()) {
                Files.copy(in, into.resolve(name));
            }
            Files.setPosixFilePermissions(into.resolve(name), UnpackedOnce.permissions(0755));
        }).resolve(name);
    }

    /** Starts {@code binary} on {@code port} and returns once it listens; its output goes to {@code log}. */
    public static ValkeyServer start(Path binary, int port, Path log) throws IOException, InterruptedException {
        ChildProcess process = ChildProcess.start(List.of(binary.toString(), "--bind", "127.0.0.1", "--port",
                Integer.toString(port), "--save", "", "--appendonly", "no", "--protected-mode", "yes",
                "--daemonize", "no"), Map.of(), log);
        try {
            process.awaitReady(binary.getFileName().toString(), "did not start on port " + port,
                    Duration.ofSeconds(10), Duration.ofMillis(50), () -> Await.listening(port));
            return new ValkeyServer(process, port);
        } catch (IOException | InterruptedException e) {
            process.kill();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** Where a client connects: {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public ChildProcess process() {
        return process;
    }

    /** Ends the server at once (a cache holds nothing to save). */
    @Override
    public void close() {
        process.kill();
    }
}
