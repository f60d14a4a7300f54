package dev.gafail.runbook;

import dev.gafail.yaml.InvalidFileException;
import java.util.Optional;

/**
 * Where the runbooks that {@code runbook.run} steps name are read from: files beside their parent, the
 * runbooks bundled in gafail, or, when an execution resumes, the copies its journal keeps.
 */
@FunctionalInterface
public interface RunbookSources {

    /** A runbook's text, and the name its problems and its children's lookups go by. */
    record Source(String file, byte[] bytes) {
    }

    /**
     * The runbook {@code ref} names, as written in a {@code runbook.run} step of the runbook {@code parentFile};
     * empty when there is none.
     *
     * @throws InvalidFileException when it is there but cannot be read
     */
    Optional<Source> child(String parentFile, String ref) throws InvalidFileException;

    /** For runbooks that name no others: every lookup finds nothing. */
    RunbookSources NONE = (parent, ref) -> Optional.empty();
}
