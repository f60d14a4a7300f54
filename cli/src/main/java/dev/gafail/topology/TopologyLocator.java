package dev.gafail.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which topology file a command uses: {@code --topology FILE}, else {@code $GAFAIL_TOPOLOGY}, else
 * {@code ./gafail.yaml}, else the topology of a lab running in the default lab folder (which the
 * caller looks up: the lab is not this package's business). A file named explicitly must exist; the
 * others are used only when they do.
 */
public final class TopologyLocator {

    public static final String ENV = "GAFAIL_TOPOLOGY";
    public static final String DEFAULT_FILE = "gafail.yaml";
    public static final String HOW_TO_GET_ONE = "no topology: pass --topology FILE, set " + ENV
            + ", write ./" + DEFAULT_FILE + " (`gafail topology example` prints one), or start a lab (`gafail lab up`)";

    private TopologyLocator() {
    }

    /**
     * The file to read, or empty when none is configured, there is no {@code ./gafail.yaml} and
     * {@code runningLab} has none.
     */
    public static Optional<Path> locate(Path explicit, Map<String, String> env, Path workingDirectory,
                                        Supplier<Optional<Path>> runningLab) {
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
        return runningLab.get();
    }
}
