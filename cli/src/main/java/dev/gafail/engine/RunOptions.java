package dev.gafail.engine;

import dev.gafail.runbook.ApprovalPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the operator asked for an execution: who approves, how to stop it, why it runs
 * ({@code --reason}), the command line (for the audit log), the overall timeout (null: the
 * runbook's), what masks the secret values everywhere, and what the execution acts on: the lock's
 * scope (null: the runbook file), the topology's variables for expressions (null: none) and facts
 * for the journal's and audit log's record of the start (the topology, the caller's AWS identity),
 * notices for the operator, journalled as the execution begins, who must approve its plan, what tells
 * who really approved it, and where to tell people what it does (the redactor masks the sinks' secrets).
 */
public record RunOptions(Operator operator, StopSignal stop, String reason, String command, Duration timeout,
                         Redactor redactor, String lockScope, Map<String, Object> topology,
                         Map<String, Object> target, List<String> notices, ApprovalPolicy approvals,
                         ApprovalVerifier verifier, List<Subscription> notifications) {

    public RunOptions {
        notifications = notifications == null ? List.of() : List.copyOf(notifications);
        topology = topology == null ? null : Map.copyOf(topology);
        target = target == null ? Map.of() : Map.copyOf(target);
        notices = notices == null ? List.of() : List.copyOf(notices);
        approvals = approvals == null ? ApprovalPolicy.ONE : approvals;
        verifier = verifier == null ? ApprovalVerifier.NONE : verifier;
    }
}
