package dev.gafail.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where executions are kept: their lock, their journals, the runbook and topology each ran with,
 * requests to abort them, and approvals of their plans. A folder on this machine ({@link LocalState}), or a bucket the whole team
 * shares. {@link ExecutionStore} reads executions through it; {@link ExecutionService} writes them.
 */
public interface StateBackend {

    /** Where the state is, for messages: a folder, or {@code s3://bucket/prefix}. */
    String location();

    /** The audit log kept beside the executions: a file in the folder, or records in the bucket. */
    AuditLog audit();

    /** Every execution's id, the ones whose start never reached the journal too, in id order. */
    List<String> ids();

    /** Execution {@code id}'s journal as stored, or why it cannot be read. */
    JournalRead journal(String id);

    /** Every execution's journal, by id in id order; a backend may read them all at once. */
    default Map<String, JournalRead> journals() {
        Map<String, JournalRead> out = new LinkedHashMap<>();
        ids().forEach(id -> out.put(id, journal(id)));
        return out;
    }

    /** What names execution {@code id}'s journal in messages. */
    String journalName(String id);

    /** When execution {@code id}, which never journalled its start, was created. */
    Instant createdAt(String id);

    /**
     * Whether the process that last took up execution {@code id} (whose journal holds {@code events},
     * with no end) still runs it.
     */
    boolean running(String id, List<Event> events);

    /** The runbook text execution {@code id} ran, as it stored it. */
    Optional<String> runbookCopy(String id);

    /** The topology file execution {@code id} acted on, as it stored it when it began; empty when none. */
    Optional<String> topologyCopy(String id);

    /** What names that copy in messages: its file, or its object. */
    String runbookCopyName(String id);

    /**
     * Keeps file {@code name} of execution {@code id} beside its journal (its report, a load's raw samples),
     * replacing an earlier one (a resumed execution's report is written again); where it is, for messages.
     */
    String keep(String id, String name, byte[] content);

    /** File {@code name} kept beside execution {@code id}'s journal, if there is one. */
    Optional<byte[]> kept(String id, String name);

    /** Who holds the lock of {@code scope} now, as its lock names them; empty when nobody does. */
    Optional<ExecutionLock.Holder> holder(String scope);

    /**
     * Takes the lock of {@code me.scope()}, or throws exit 5 naming the holder.
     *
     * @throws GafailException LOCKED when another live execution holds it
     */
    Lease acquire(ExecutionLock.Holder me);

    /**
     * Clears a lock whose holder is gone, or refuses (exit 5) while one holds it.
     *
     * @throws GafailException LOCKED while a holder holds it
     */
    ExecutionLock.Forced forceUnlock(String scope);

    /** A new execution's journal, with copies of the runbook (and topology, when there is one) it runs. */
    JournalWriter create(String id, String runbookSource, Optional<String> topologySource, Lease lease);

    /** The journal of an execution taken up again, under {@code lease}, to append to. */
    JournalWriter append(String id, Lease lease);

    /**
     * Asks the holder of execution {@code id} to stop at its next safe point.
     *
     * @param request who asks, when and why
     */
    void requestAbort(String id, Map<String, Object> request);

    /** The request to stop execution {@code id}, if someone made one that was not yet honoured. */
    Optional<Map<String, Object>> abortRequest(String id);

    /** Forgets the request to stop execution {@code id}, once its holder journalled it. */
    void clearAbort(String id);

    /**
     * Keeps one person's approval of execution {@code id}'s plan, for the execution to read ({@code gafail
     * approve}); the state stamps when it received it.
     *
     * @throws GafailException USAGE where no one else could see the execution (a local folder)
     */
    void approve(String id, Approval approval);

    /** Every approval kept for execution {@code id}, of any plan, each with when the state received it. */
    List<Approval> approvals(String id);

    /** One execution's journal as stored: its contents, or (null contents) the one line why it cannot be read. */
    record JournalRead(Journal.Contents contents, String problem) {

        public static JournalRead of(Journal.Contents contents) {
            return new JournalRead(contents, null);
        }

        public static JournalRead unreadable(String problem) {
            return new JournalRead(null, problem);
        }
    }
}
