package dev.gafail.app;

import dev.gafail.aws.S3State;
import dev.gafail.engine.Actor;
import dev.gafail.engine.Approval;
import dev.gafail.engine.ApprovalVerifier;
import dev.gafail.engine.AuditTrail;
import dev.gafail.engine.ExecutionLock;
import dev.gafail.engine.ExecutionState;
import dev.gafail.engine.ExecutionStatus;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Operator;
import dev.gafail.engine.OperatorAbort;
import dev.gafail.engine.PlanApproval;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What one responder asks of executions kept in a state others share, each audited: that a running
 * one stop ({@code gafail abort}), that one go on with their approval ({@code gafail approve}), or that
 * one run with {@code --state local} join the bucket ({@code gafail state push}).
 */
final class StateRequests {

    private final ExecutionStore store;
    private final Clock clock;
    private final Actor me = Actor.current();

    StateRequests(ExecutionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Asks the holder of running execution {@code id} to stop at its next safe point; the execution and the holder. */
    String abort(String id, String reason) {
        ExecutionStore.Stored stored = store.load(store.resolve(id), clock);
        String execution = stored.summary().id();
        if (stored.summary().status() != ExecutionStatus.RUNNING) {
            throw new GafailException(ExitCode.USAGE, "execution " + execution + " is " + stored.summary().status().wire()
                    + ", not running; there is nothing to abort");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("by", me.user() + "@" + me.host());
        request.put("at", clock.instant().toString());
        if (reason != null) {
            request.put("reason", reason);
        }
        store.backend().requestAbort(execution, request);
        String holder = store.backend().holder(stored.started().text("lockScope"))
                .map(ExecutionLock.Holder::describe).orElse("its holder");
        audit("gafail abort " + execution, reason, "abort-requested", execution, "holder", holder);
        return execution + " (held by " + holder + ")";
    }

    /**
     * Approves, as {@code caller} (an AWS identity, asked once the execution is found waiting), the plan
     * execution {@code id} waits on, once {@code operator} has read it and said yes, with {@code prove}'s
     * proof of that identity for what it approves; what was approved.
     *
     * @param plan the plan the approver means (a prefix of its hash), when they name one
     */
    String approve(String id, Supplier<String> caller, Function<String, Map<String, Object>> prove,
                   Optional<String> plan, String reason, Operator operator) {
        ExecutionStore.Stored stored = store.load(store.resolve(id), clock);
        String execution = stored.summary().id();
        PlanApproval request = ExecutionState.replay(stored.events()).awaitingApproval().map(PlanApproval::from)
                .orElseThrow(() -> new GafailException(ExitCode.USAGE, "execution " + execution + " is "
                        + stored.summary().status().wire() + " and waits for no approval; nothing was approved"));
        String identity = caller.get();
        if (identity.equals(request.requester())) {
            throw new GafailException(ExitCode.PRECONDITIONS_NOT_MET, "you (" + identity + ") run execution "
                    + execution + ": its plan needs the approval of someone else; nothing was approved");
        }
        if (plan.isPresent() && !request.isPlan(plan.get())) {
            throw new GafailException(ExitCode.PRECONDITIONS_NOT_MET, "execution " + execution + " waits on plan "
                    + request.shortPlan() + ", not on plan " + plan.get() + ": the plan changed; read it (gafail"
                    + " approve " + execution + ") before you approve it. Nothing was approved");
        }
        try {
            operator.approve(request.summary(), "Approve plan " + request.shortPlan() + " of execution " + execution
                    + (request.requester() == null ? "" : ", run by " + request.requester()) + "?");
        } catch (OperatorAbort e) {
            throw new GafailException(ExitCode.ABORTED, "not approved: " + e.getMessage());
        }
        store.backend().approve(execution, new Approval(identity, me.user() + "@" + me.host(), request.plan(),
                clock.instant(), reason, prove.apply(ApprovalVerifier.audience(execution, request.plan()))));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("event", "approval-given");
        record.put("execution", execution);
        record.put("plan", request.plan());
        audit("gafail approve " + execution, reason, record, identity);
        return "approved plan " + request.shortPlan() + " of execution " + execution + " as " + identity + " (it needs "
                + request.required() + " approvals in all, its requester's included)";
    }

    /**
     * Uploads execution {@code id} of this (local) store to {@code bucket}, each object only if absent;
     * what went where.
     */
    String push(String id, S3State bucket) {
        ExecutionStore.Stored stored = store.load(store.resolve(id), clock);
        String execution = stored.summary().id();
        if (stored.summary().status() == ExecutionStatus.RUNNING) {
            throw new GafailException(ExitCode.LOCKED, "execution " + execution + " is still running here; push it"
                    + " once it has stopped");
        }
        bucket.push(execution, store.backend().runbookCopy(execution).orElse(""),
                store.backend().topologyCopy(execution), stored.events());
        audit("gafail state push " + execution, null, "state-pushed", execution, "to", bucket.location());
        return execution + " (" + stored.events().size() + " events) to " + bucket.location();
    }

    /** One audit record: the event, the execution, and one more field. */
    private void audit(String command, String reason, String event, String execution, String field, String value) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("event", event);
        record.put("execution", execution);
        record.put(field, value);
        audit(command, reason, record, null);
    }

    /** @param identity the AWS identity the command acted as, when it knows it */
    private void audit(String command, String reason, Map<String, Object> record, String identity) {
        new AuditTrail(store.auditLog(), me, command, reason, identity).append(record);
    }
}
