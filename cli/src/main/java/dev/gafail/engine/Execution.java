package dev.gafail.engine;

import dev.gafail.runbook.Runbook;
import java.time.Instant;
import java.util.Map;

/**
 * One run of a runbook, as the engine needs it. {@code params} hold typed values (String, Long,
 * Boolean, Duration); {@code deadline} is the overall timeout's end, or null; {@code events} is
 * the bus every listener (journal, audit, console, {@code state}) hangs on; {@code approvals} what its
 * plan's approval needs beyond the operator at the prompt.
 */
public record Execution(String id, Runbook runbook, Map<String, Object> params, Map<String, Object> topology,
                        Operator operator, StopSignal stop, EventListener events, ExecutionState state,
                        Instant deadline, Approvals approvals) {

    public Execution {
        params = Map.copyOf(params);
        topology = topology == null ? null : Map.copyOf(topology);
    }
}
