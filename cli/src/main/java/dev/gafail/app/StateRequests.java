package dev.gafail.app;

import dev.gafail.aws.S3State;
import dev.gafail.engine.Actor;
import dev.gafail.engine.AuditTrail;
import dev.gafail.engine.ExecutionLock;
import dev.gafail.engine.ExecutionStatus;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one responder asks of executions kept in a state others share, each audited on this machine:
 * that a running one stop ({@code gafail abort}), or that one run with {@code --state local} join the
 * bucket ({@code gafail state push}).
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
        new AuditTrail(store.auditLog(), me, command, reason, null).append(record);
    }
}
