package dev.gafail.topology;

import dev.gafail.lab.Lab;
import dev.gafail.lab.LabState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which topology file a command uses: {@code --topology FILE}, else {@code $GAFAIL_TOPOLOGY}, else
 * {@code ./gafail.yaml}, else the topology of a lab running in the default lab folder. A file named
 * explicitly must exist; the others are used only when they do.
 */
public final class TopologyLocator {

    public static final String ENV = "GAFAIL_TOPOLOGY";
    public static final String DEFAULT_FILE = "gafail.yaml";
    public static final String HOW_TO_GET_ONE = "no topology: pass --topology FILE, set " + ENV
            + ", write ./" + DEFAULT_FILE + " (`gafail topology example` prints one), or start a lab (`gafail lab up`)";

    private TopologyLocator() {
    }

    /**
     * The file to read, or empty when none is configured, there is no {@code ./gafail.yaml} and no
     * lab runs in {@code labDir}.
     */
    public static Optional<Path> locate(Path explicit, Map<String, String> env, Path workingDirectory, Path labDir) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(Path.of(fromEnv));
        }
        Path local = workingDirectory.resolve(DEFAULT_FILE);
        if (Files.isRegularFile(local)) {
            return Optional.of(local);
        }
        return runningLab(labDir);
    }

    private static Optional<Path> runningLab(Path labDir) {
        try {
            return LabState.read(labDir).filter(s -> LabState.READY.equals(s.state()) && s.supervisorAlive())
                    .map(s -> labDir.resolve(Lab.TOPOLOGY)).filter(Files::isRegularFile);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
