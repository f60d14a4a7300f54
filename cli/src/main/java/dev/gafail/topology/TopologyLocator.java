package dev.gafail.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which topology file a command uses: {@code --topology FILE}, else {@code $GAFAIL_TOPOLOGY}, else
 * {@code ./gafail.yaml}. A file named explicitly must exist; the default is used only when it does.
 */
public final class TopologyLocator {

    public static final String ENV = "GAFAIL_TOPOLOGY";
    public static final String DEFAULT_FILE = "gafail.yaml";
    public static final String HOW_TO_GET_ONE = "no topology: pass --topology FILE, set " + ENV
            + ", or write ./" + DEFAULT_FILE + " (`gafail topology example` prints one)";

    private TopologyLocator() {
    }

    /** The file to read, or empty when none is configured and there is no {@code ./gafail.yaml}. */
    public static Optional<Path> locate(Path explicit, Map<String, String> env, Path workingDirectory) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(Path.of(fromEnv));
        }
        Path local = workingDirectory.resolve(DEFAULT_FILE);
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }
}
