package dev.gafail.engine;

import dev.gafail.runbook.Runbook;
import java.time.Instant;
import java.util.Map;

/**
 * One run of a runbook, as the engine needs it. {@code params} hold typed values (String, Long,
 * Boolean, Duration); {@code deadline} is the overall timeout's end, or null; {@code events} is
 * the bus every listener (journal, audit, console, {@code state}) hangs on; {@code approvals} what its
 * plan's approval needs beyond the operator at the prompt; {@code notifier} what its notify steps send with;
 * {@code residents} what it keeps running in this process between steps, which its end closes;
 * {@code attachments} where its steps keep files beside its journal.
 * {@code within} is where a child runbook's execution sits in its parent's, as its steps' ids begin
 * there ({@code failover/}); empty for the execution an operator started.
 */
public record Execution(String id, Runbook runbook, Map<String, Object> params, Map<String, Object> topology,
                        Operator operator, StopSignal stop, EventListener events, ExecutionState state,
                        Instant deadline, Approvals approvals, Notifier notifier, Residents residents,
                        Attachments attachments, String within) {

    public Execution {
        params = Map.copyOf(params);
        topology = topology == null ? null : Map.copyOf(topology);
    }

    public Execution(String id, Runbook runbook, Map<String, Object> params, Map<String, Object> topology,
                     Operator operator, StopSignal stop, EventListener events, ExecutionState state,
                     Instant deadline, Approvals approvals, Notifier notifier, Residents residents,
                     Attachments attachments) {
        this(id, runbook, params, topology, operator, stop, events, state, deadline, approvals, notifier, residents,
                attachments, "");
    }

    /**
     * The execution of the runbook that step {@code step} runs: the same id, operator, stop, approvals,
     * notifications, residents and attachments; its events journalled in this one's below the step, and folded into
     * {@code state}.
     */
    Execution child(String step, Runbook child, Map<String, Object> childParams, ExecutionState childState,
                    Instant childDeadline) {
        EventListener toParent = new ChildEvents(step, events);
        EventListener both = e -> {
            toParent.on(e);
            childState.on(e);
        };
        return new Execution(id, child, childParams, topology, operator, stop, both, childState, childDeadline,
                approvals, notifier, residents, attachments, within + step + "/");
    }
}
