package dev.gafail.app;

import dev.gafail.runbook.Runbook;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Run {@code runbook} with the parameter values given (as text: {@code --set}), or with {@code dryRun}
 * plan it: what {@code run}, {@code plan}, {@code failover} and the demo ask of a {@link Session}.
 * {@code lostRegions} are the topology's regions the operator says are lost (an unplanned failover's
 * old region): gafail asks nothing of them it can do without, and tries what it must once, briefly.
 * {@code kept} is what the command keeps with the execution, in its start event, for whichever process
 * ends it (a drill's {@code --record} file).
 */
public record RunRequest(Runbook runbook, Map<String, String> values, ChangeRequest change, boolean dryRun,
                         Set<String> lostRegions, Map<String, Object> kept) {

    public RunRequest {
        // In the order given: errors about them are listed in that order.
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        lostRegions = Set.copyOf(lostRegions);
        kept = Map.copyOf(kept);
    }

    public RunRequest(Runbook runbook, Map<String, String> values, ChangeRequest change, boolean dryRun,
                      Set<String> lostRegions) {
        this(runbook, values, change, dryRun, lostRegions, Map.of());
    }

    public RunRequest(Runbook runbook, Map<String, String> values, ChangeRequest change, boolean dryRun) {
        this(runbook, values, change, dryRun, Set.of());
    }

    /** This request, keeping {@code facts} with the execution. */
    public RunRequest keeping(Map<String, Object> facts) {
        return new RunRequest(runbook, values, change, dryRun, lostRegions, facts);
    }
}
