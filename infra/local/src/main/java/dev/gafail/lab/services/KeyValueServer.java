package dev.gafail.lab.services;

import dev.gafail.lab.os.Await;
import dev.gafail.lab.os.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A region's cache: {@code valkey-server} or {@code redis-server} from the PATH, on 127.0.0.1, no persistence. */
public final class KeyValueServer {

    private final ChildProcess process;
    private final int port;

    private KeyValueServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The server binary on the PATH, or empty: the regions then run without a cache. */
    public static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("valkey-server", "redis-server")) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    public static KeyValueServer start(Path binary, int port, Path log) throws IOException, InterruptedException {
        ChildProcess process = ChildProcess.start(List.of(binary.toString(), "--bind", "127.0.0.1", "--port",
                Integer.toString(port), "--save", "", "--appendonly", "no", "--protected-mode", "yes"), Map.of(), log);
        try {
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), binary.getFileName() + " did not start on port "
                    + port + " (see " + log + ")", () -> {
                        if (!process.alive()) {
                            throw new IOException(binary.getFileName() + " exited at start; see " + log);
                        }
                        return Await.listening(port);
                    });
            return new KeyValueServer(process, port);
        } catch (IOException e) {
            process.kill();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public ChildProcess process() {
        return process;
    }
}
