package dev.gafail.lab.clients;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository this module's tests run in: its built jars and scripts. */
final class Repository {

    private Repository() {
    }

    /** The repository's root (the folder with the launcher), found from the module's folder. */
    static Path root() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.exists(at.resolve("gafail")) && Files.isDirectory(at.resolve("runbooks"))) {
                return at;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }
}
