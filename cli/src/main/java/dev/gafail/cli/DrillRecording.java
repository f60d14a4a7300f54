package dev.gafail.cli;

import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.IoErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code gafail drill --record FILE}: the drill log is kept with the execution, in its start event as given,
 * so that whichever process ends the drill on a verdict (the drill, or a {@code resume}, in another process
 * or on another machine) adds its row, once. A relative path is resolved against the working directory of
 * that process.
 */
final class DrillRecording {

    /** The start event's field that names the drill log. */
    static final String FIELD = "drillLog";

    private DrillRecording() {
    }

    /**
     * What {@code drill --record given} keeps with the execution, once the file is checked, before anything
     * runs: one that rows cannot be added to is exit 2 naming it.
     */
    static Map<String, Object> kept(Gafail gafail, Path given) {
        new DrillLog(gafail.context().workingDirectory().resolve(given)).problem().ifPresent(problem -> {
            throw new GafailException(ExitCode.USAGE, "--record " + given + ": " + problem + "; nothing was run");
        });
        return Map.of(FIELD, given.toString());
    }

    /**
     * Adds the execution's row to the drill log it began with, if it ended on a verdict (exit 0 or 8; a dry
     * run starts no execution), and says so on stderr. Failing that, the exit code stays the drill's: a line
     * says why, with the row to add by hand when there is one.
     */
    static void ended(Gafail gafail, String execution, int code) {
        if (execution == null || code != ExitCode.OK.code() && code != ExitCode.VERDICT_FAILED.code()) {
            return;
        }
        try {
            ExecutionStore.Stored stored = gafail.session().store().load(execution, gafail.context().clock());
            String given = stored.started().text(FIELD);
            if (given != null) {
                DrillLogRow.of(stored.events(), stored.summary().status())
                        .ifPresent(row -> add(gafail, execution, gafail.context().workingDirectory().resolve(given), row));
            }
        } catch (GafailException e) {
            say(gafail, "gafail: cannot add the row of " + execution + " to its drill log: " + e.getMessage());
        }
    }

    private static void add(Gafail gafail, String execution, Path file, DrillLogRow row) {
        try {
            say(gafail, new DrillLog(file).append(row) ? "drill log: added the row of " + execution + " to " + file
                    : "drill log: " + file + " has the row of " + execution + " already");
        } catch (IOException e) {
            say(gafail, "gafail: cannot add the row of " + execution + " to the drill log " + file + ": "
                    + IoErrors.reason(e) + "; add it by hand: " + row.markdown());
        }
    }

    private static void say(Gafail gafail, String line) {
        gafail.context().err().println(line);
        gafail.context().err().flush();
    }
}
