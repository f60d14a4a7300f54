package dev.gafail.check;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionStatus;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExecutionSummary;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The drills on record in the state backend, newest first, as their journals tell them: the latest failover
 * drill that passed, the latest that put user load through the regions (whatever its verdict), and the latest
 * restore drill that passed. A drill is an execution {@code gafail drill} started; its scenario tells a restore
 * drill from a failover drill.
 */
record DrillRecords(Optional<Drill> passedFailover, Optional<Drill> withLoad, Optional<Drill> passedRestore,
                    List<String> unreadable) {

    /** The scenario of {@code gafail drill --scenario restore}. */
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

    static DrillRecords read(ExecutionStore store, Clock clock) {
        ExecutionStore.History history = store.history(clock);
        Drill passedFailover = null;
        Drill withLoad = null;
        Drill passedRestore = null;
        List<String> unreadable = new ArrayList<>(history.unreadable());
        List<ExecutionSummary> executions = history.executions();
        for (ExecutionSummary summary : executions.subList(0, Math.min(MAX_EXECUTIONS, executions.size()))) {
            if (passedFailover != null && withLoad != null && passedRestore != null) {
                break;
            }
            Optional<Drill> drill;
            try {
                drill = drill(store.load(summary.id(), clock));
            } catch (RuntimeException e) {
                unreadable.add(summary.id() + ": " + e.getMessage());
                continue;
            }
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
                Optional.ofNullable(passedRestore), unreadable);
    }

    /** The execution as a drill, if {@code gafail drill} started it; each action's last outputs by action name. */
    private static Optional<Drill> drill(ExecutionStore.Stored stored) {
        if (stored.events().isEmpty()) {
            return Optional.empty();
        }
        Event started = stored.events().get(0);
        if (!started.text("command").startsWith(DRILL_COMMAND)) {
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
