package dev.gafail.check;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionStatus;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExecutionSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The drills on record in the state backend, newest first, as their journals tell them: the latest failover
 * drill that passed, the latest that put user load through the regions (whatever its verdict), and the latest
 * restore drill that passed. A drill is an execution {@code gafail drill} started; its scenario tells a restore
 * drill from a failover drill. A journal that cannot be read is passed over, as {@code gafail history} names it.
 */
record DrillRecords(Optional<Drill> passedFailover, Optional<Drill> withLoad, Optional<Drill> passedRestore) {

    /** The scenario of a restore drill (a drill whose {@code scenario} parameter says so). */
    static final String RESTORE = "restore";
    /** How far back to look: a team's history, not every dry run it ever made. */
    private static final int MAX_EXECUTIONS = 500;
    private static final String DRILL_COMMAND = "gafail drill";

    /** One drill: its execution, how it ended, its scenario, and what its steps output, by step. */
    record Drill(ExecutionSummary summary, String scenario, Map<String, Map<?, ?>> outputs) {

        boolean passed() {
            return summary.status() == ExecutionStatus.SUCCEEDED;
        }

        Optional<Map<?, ?>> output(String action) {
            return Optional.ofNullable(outputs.get(action));
        }
    }

    /**
     * The drills on record, newest first, reading journals only until all three are found, or one began more
     * than {@code within} ago (an older drill is too old to count), or the bound: from a bucket, each journal
     * read is a request per event.
     */
    static DrillRecords read(ExecutionStore store, Clock clock, Duration within) {
        Instant since = clock.instant().minus(within);
        Drill passedFailover = null;
        Drill withLoad = null;
        Drill passedRestore = null;
        int read = 0;
        for (ExecutionStore.Stored stored : store.newestFirst(clock)) {
            if (passedFailover != null && withLoad != null && passedRestore != null || read++ == MAX_EXECUTIONS
                    || stored.summary().startedAt().isBefore(since)) {
                break;
            }
            Optional<Drill> drill = drill(stored);
            if (drill.isEmpty()) {
                continue;
            }
            Drill d = drill.get();
            if (d.scenario().equals(RESTORE)) {
                passedRestore = passedRestore == null && d.passed() ? d : passedRestore;
            } else {
                passedFailover = passedFailover == null && d.passed() ? d : passedFailover;
                withLoad = withLoad == null && d.output("load.stop").isPresent() ? d : withLoad;
            }
        }
        return new DrillRecords(Optional.ofNullable(passedFailover), Optional.ofNullable(withLoad),
                Optional.ofNullable(passedRestore));
    }

    /** The execution as a drill, if {@code gafail drill} started it; each action's last outputs by action name. */
    private static Optional<Drill> drill(ExecutionStore.Stored stored) {
        if (stored.events().isEmpty()) {
            return Optional.empty();
        }
        Event started = stored.events().get(0);
        String command = started.text("command");
        if (command == null || !command.startsWith(DRILL_COMMAND)) {
            return Optional.empty();
        }
        String scenario = started.get("params") instanceof Map<?, ?> params && params.get("scenario") != null
                ? String.valueOf(params.get("scenario")) : "";
        Map<String, Map<?, ?>> outputs = new LinkedHashMap<>();
        for (Event e : stored.events()) {
            if (e.type() == EventType.STEP_SUCCEEDED && e.action() != null && e.get("outputs") instanceof Map<?, ?> out) {
                outputs.put(e.action(), out);
            }
        }
        return Optional.of(new Drill(stored.summary(), scenario, outputs));
    }
}
