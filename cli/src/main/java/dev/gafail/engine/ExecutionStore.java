package dev.gafail.engine;

import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * gafail's executions as their state backend keeps them ({@link LocalState}, or a bucket the team
 * shares): what each journal adds up to, which one owes deferred steps, the history.
 */
public final class ExecutionStore {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final StateBackend backend;
    private final Path home;

    /**
     * @param home the local folder of what stays on this machine (the lab's), whichever backend
     */
    public ExecutionStore(StateBackend backend, Path home) {
        this.backend = backend;
        this.home = home;
    }

    /** Executions in the local folder {@code home}, their audit log beside them. */
    public static ExecutionStore local(Path home) {
        return new ExecutionStore(new LocalState(home), home);
    }

    /** {@code $GAFAIL_HOME}, else {@code .gafail} in the working directory. */
    public static Path defaultHome(java.util.Map<String, String> environment) {
        String configured = environment.get("GAFAIL_HOME");
        return configured != null && !configured.isBlank() ? Path.of(configured) : Path.of(".gafail");
    }

    public StateBackend backend() {
        return backend;
    }

    public Path home() {
        return home;
    }

    /** The backend's audit log. */
    public AuditLog auditLog() {
        return backend.audit();
    }

    /** A new, sortable, unique execution id: UTC time and a random suffix. */
    public String newId(Clock clock) {
        return ID_TIME.format(clock.instant()) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
    }

    /** The execution an id or unique id prefix names. */
    public String resolve(String idOrPrefix) {
        List<String> matches = backend.ids().stream().filter(id -> id.startsWith(idOrPrefix)).toList();
        if (matches.contains(idOrPrefix)) {
            return idOrPrefix;
        }
        if (matches.isEmpty()) {
            throw new GafailException(ExitCode.USAGE, "no execution '" + idOrPrefix + "' in " + backend.location()
                    + " (see: gafail history)");
        }
        if (matches.size() > 1) {
            throw new GafailException(ExitCode.USAGE, "'" + idOrPrefix + "' names " + matches.size()
                    + " executions; give more of the id");
        }
        return matches.get(0);
    }

    /**
     * Execution {@code id} as its journal holds it. One whose journal holds no event (the process ended
     * before the start was journalled) did not start; a journal that cannot be read is refused in one line.
     */
    public Stored load(String id, Clock clock) {
        return stored(id, backend.journal(id), clock);
    }

    private Stored stored(String id, StateBackend.JournalRead read, Clock clock) {
        if (read.problem() != null) {
            throw unreadable(id, read.problem());
        }
        Journal.Contents contents = read.contents();
        List<Event> events = contents.events();
        // A takeover fences a holder's journal with a notice; one that holds nothing else never started.
        boolean onlyNotices = events.stream().allMatch(e -> e.type() == EventType.NOTICE);
        if (!onlyNotices && events.get(0).type() != EventType.EXECUTION_STARTED) {
            throw unreadable(id, backend.journalName(id) + ":1: the journal does not begin with the execution's start");
        }
        try {
            ExecutionSummary summary = onlyNotices ? notStarted(id, contents.tornBytes())
                    : summarize(id, events, contents.tornBytes(), clock);
            return new Stored(summary, onlyNotices ? List.of() : events);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw unreadable(id, backend.journalName(id) + ": its events do not add up (" + e.getMessage() + ")");
        }
    }

    private static GafailException unreadable(String id, String why) {
        return new GafailException(ExitCode.STEP_FAILED, "cannot read the journal of " + id + ": " + why);
    }

    /** An execution as its journal holds it: what its events add up to, and the events. */
    public record Stored(ExecutionSummary summary, List<Event> events) {

        /** The execution's start event, or the one line that says it has none. */
        public Event started() {
            if (events.isEmpty()) {
                throw new GafailException(ExitCode.USAGE, "execution " + summary.id() + " " + summary.message()
                        + "; there is nothing to resume: start it again");
            }
            return events.get(0);
        }

        /** Refuses, in one line, to reconcile an execution that has no deferred step. */
        public void requireReconcilable() {
            started();
            if (summary.status() != ExecutionStatus.SUCCEEDED_WITH_DEFERRED) {
                throw new GafailException(ExitCode.USAGE, "execution " + summary.id() + " "
                        + summary.status().wire() + (summary.status().resumable() ? "; finish it first: gafail"
                        + " resume " + summary.id() : "; it has no deferred step to reconcile"));
            }
        }

        /** Refuses, in one line, to resume an execution that has ended or that another process runs. */
        public void requireResumable() {
            started();
            if (!summary.status().resumable()) {
                throw new GafailException(ExitCode.USAGE, "execution " + summary.id() + " "
                        + summary.status().wire() + "; there is nothing to resume");
            }
        }
    }

    /**
     * Refuses to reconcile {@code stored} when a later execution changed something on the same
     * topology: completing its deferred steps now could undo what that one did (a failback, say). One
     * that changed nothing (refused by a precondition, declined) does not count. Exit 3, nothing changed.
     */
    public void requireLatest(Stored stored, Clock clock) {
        String scope = stored.started().text("lockScope");
        for (Stored other : newestFirst(clock)) {
            ExecutionSummary later = other.summary();
            if (!later.startedAt().isAfter(stored.summary().startedAt()) || later.id().equals(stored.summary().id())) {
                break;
            }
            if (onScope(other, scope) && changedSomething(other)) {
                throw new GafailException(ExitCode.PRECONDITIONS_NOT_MET, "execution " + later.id() + " ("
                        + later.runbook() + ", " + later.status().wire() + ") acted on the same topology after "
                        + stored.summary().id() + ": completing " + stored.summary().id() + "'s deferred steps now"
                        + " could undo it. Nothing was changed; see: gafail show " + stored.summary().id());
            }
        }
    }

    private static boolean onScope(Stored stored, String scope) {
        return !stored.events().isEmpty() && (scope == null || scope.equals(stored.started().text("lockScope")));
    }

    private static boolean changedSomething(Stored stored) {
        return !ExecutionState.replay(stored.events()).changedInOrder().isEmpty();
    }

    /** A step that waits for {@code gafail reconcile}: what did not answer, and what the journal said. */
    public record DeferredStep(String execution, String step, String unreachable, String message) {
    }

    /**
     * The newest execution on {@code lockScope} (a topology; null: any) that owes deferred steps, unless
     * a later one there changed something (which supersedes it); with its deferred steps in the order
     * they were deferred. Whatever its status: an interrupted reconcile still owes them.
     */
    public Optional<Owing> owing(String lockScope, Clock clock) {
        for (Stored stored : newestFirst(clock)) {
            ExecutionSummary summary = stored.summary();
            if (!onScope(stored, lockScope)) {
                continue;
            }
            ExecutionState state = ExecutionState.replay(stored.events());
            Map<String, Event> last = new LinkedHashMap<>();
            stored.events().stream().filter(e -> e.type() == EventType.STEP_DEFERRED && state.deferred(e.step()))
                    .forEach(e -> {
                        last.remove(e.step());
                        last.put(e.step(), e);
                    });
            if (!last.isEmpty()) {
                return Optional.of(new Owing(stored, last.values().stream().map(e -> new DeferredStep(summary.id(),
                        e.step(), e.text("unreachable"), e.message())).toList()));
            }
            if (!state.changedInOrder().isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** An execution that owes deferred steps, and those steps. */
    public record Owing(Stored execution, List<DeferredStep> steps) {
    }

    /** Every execution that could be read, newest first, and one line for each that could not. */
    public record History(List<ExecutionSummary> executions, List<String> unreadable) {
    }

    public History history(Clock clock) {
        Read read = readAll(clock);
        return new History(read.executions().stream().map(Stored::summary).toList(), read.unreadable());
    }

    /**
     * The executions newest first, each read only when the one before did not settle the question: ids
     * begin with their start time, so a caller that stops at the newest reads one journal, not all of
     * them (from a bucket, that is a few requests instead of one per event ever written). One that cannot
     * be read is passed over, as history lists it apart.
     */
    public Iterable<Stored> newestFirst(Clock clock) {
        List<String> ids = new ArrayList<>(backend.ids());
        java.util.Collections.reverse(ids);
        return () -> ids.stream().map(id -> {
            try {
                return Optional.of(load(id, clock));
            } catch (GafailException e) {
                return Optional.<Stored>empty();
            }
        }).flatMap(Optional::stream).iterator();
    }

    /** Every execution that could be read, newest first, each journal read once; one line for each that could not. */
    private record Read(List<Stored> executions, List<String> unreadable) {
    }

    private Read readAll(Clock clock) {
        List<Stored> out = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        backend.journals().forEach((id, read) -> {
            try {
                out.add(stored(id, read, clock));
            } catch (GafailException e) {
                unreadable.add(e.getMessage());
            }
        });
        out.sort(Comparator.comparing((Stored s) -> s.summary().startedAt()).reversed());
        return new Read(out, unreadable);
    }

    private ExecutionSummary notStarted(String id, int tornBytes) {
        return new ExecutionSummary(id, null, ExecutionStatus.DID_NOT_START, createdAt(id), 0, null, null, null,
                "did not start: the process ended before the execution's start was journalled, so nothing was"
                        + " done", tornBytes == 0 ? null : tornBytes);
    }

    /** When an execution without a start was made: the time in its id, else the backend's record of it. */
    private Instant createdAt(String id) {
        try {
            return Instant.from(ID_TIME.parse(id.substring(0, Math.min(id.length(), 15))));
        } catch (DateTimeException e) {
            return backend.createdAt(id);
        }
    }

    /** What the events of a started execution add up to; a torn tail counts only once nobody writes it. */
    private ExecutionSummary summarize(String id, List<Event> events, int tornBytes, Clock clock) {
        ExecutionState state = ExecutionState.replay(events);
        Event started = state.started();
        Event last = state.last();
        ExecutionStatus status = status(id, state, events);
        Instant end = status == ExecutionStatus.RUNNING ? clock.instant() : last.time();
        String message = state.finished() != null ? state.finished().message()
                : last.type() == EventType.EXECUTION_INTERRUPTED ? last.message() : null;
        return new ExecutionSummary(id, started.text("runbook"), status, started.time(),
                Duration.between(started.time(), end).toMillis(), started.text("user"), started.text("host"),
                started.text("reason"), message, tornBytes == 0 || status == ExecutionStatus.RUNNING ? null : tornBytes);
    }

    private ExecutionStatus status(String id, ExecutionState state, List<Event> events) {
        if (state.finished() != null) {
            return ExecutionStatus.fromWire(String.valueOf(state.finished().text("status")));
        }
        if (state.last().type() == EventType.EXECUTION_INTERRUPTED) {
            return ExecutionStatus.INTERRUPTED;
        }
        // No end written: running if the process that last took it up still runs it, else it died.
        return backend.running(id, events) ? ExecutionStatus.RUNNING : ExecutionStatus.INTERRUPTED;
    }

    /** The start or resume event of the process that last took up the execution; null if none. */
    public static Event owner(List<Event> events) {
        Event owner = null;
        for (Event event : events) {
            if (event.type() == EventType.EXECUTION_STARTED || event.type() == EventType.EXECUTION_RESUMED) {
                owner = event;
            }
        }
        return owner;
    }
}
