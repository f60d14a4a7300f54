package dev.gafail.engine;

import dev.gafail.runbook.ApprovalPolicy;
import dev.gafail.runbook.KeptRunbooks;
import dev.gafail.runbook.ParameterValues;
import dev.gafail.runbook.Runbook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Wires an execution together: the lock, the journal, the audit trail, the caller's console and the
 * notifications on one event bus, then hands it to the engine. Also the dry run, which has none of them
 * but the console (and the sinks that take dry runs).
 */
public final class ExecutionService {

    /** How often a running execution looks for a request to stop it from another machine. */
    static final Duration ABORT_POLL = Duration.ofSeconds(1);

    private final Engine engine;
    private final ExecutionStore store;
    private final StateBackend backend;
    private final Clock clock;
    private final Actor actor;
    private final HeldLock held;

    public ExecutionService(Engine engine, ExecutionStore store, Clock clock, Actor actor) {
        this(engine, store, clock, actor, new HeldLock());
    }

    /** @param held told of the lease while an execution runs, for what checks it (the AWS calls) */
    public ExecutionService(Engine engine, ExecutionStore store, Clock clock, Actor actor, HeldLock held) {
        this.engine = engine;
        this.store = store;
        this.backend = store.backend();
        this.clock = clock;
        this.actor = actor;
        this.held = held;
    }

    public ExecutionStore store() {
        return store;
    }

    /** The dry run: plans, changes nothing, writes nothing; it tells only the sinks that take dry runs. */
    public ExecutionResult plan(Runbook runbook, Map<String, Object> params, RunOptions options, EventListener console) {
        // The deadline a run would have, so that a step type checks its plan against the same time limits.
        // A dry run starts nothing, so keeps nothing running: its residents stay empty.
        return dryRun("dry-run", runbook, options, console, (bus, notifier) -> engine.plan(new Execution("dry-run",
                runbook, params, options.topology(), options.operator(), options.stop(), bus, new ExecutionState(),
                deadline(runbook, options, clock.instant()), Approvals.alone(), notifier, new Residents(),
                (name, content) -> {
                    throw new IllegalStateException("a dry run keeps no file: " + name);
                })));
    }

    /**
     * A dry run of execution {@code id}: the console alone hears it, and the sinks that take dry runs are told
     * its outcome (waited for, at most {@link Outbox#BOUND}).
     */
    private ExecutionResult dryRun(String id, Runbook runbook, RunOptions options, EventListener console,
                                   BiFunction<EventBus, Notifier, ExecutionResult> plan) {
        Redactor redactor = options.redactor();
        try (Outbox outbox = new Outbox(options.notifications(), true, redactor, clock)) {
            EventBus bus = new EventBus(redactor, List.of(console));
            outbox.reportTo(bus, id);
            Notifier notifier = notifier(outbox, runbook, options);
            ExecutionResult result = masked(redactor, plan.apply(bus, notifier));
            notifier.dryRun(id, result);
            return result;
        }
    }

    /** What tells people about an execution of {@code runbook}: its messages name the topology, the operator and why. */
    private Notifier notifier(Outbox outbox, Runbook runbook, RunOptions options) {
        Object topology = options.target().get("topology");
        return new Notifier(outbox, new Notification.About(topology == null ? null : String.valueOf(topology),
                runbook.name(), actor.user(), actor.host(), identity(options, "arn"), options.reason()), clock);
    }

    public ExecutionResult start(Runbook runbook, Map<String, Object> params, RunOptions options,
                                 EventListener console) {
        String id = store.newId(clock);
        String scope = lockScope(options, runbook.file());
        try (Lease lock = backend.acquire(holder(scope, id, options));
             Holding holding = new Holding(lock, options.stop());
             JournalWriter journal = backend.create(id, runbook.source(), topologySource(options), lock);
             Outbox outbox = new Outbox(options.notifications(), false, options.redactor(), clock)) {
            AuditTrail audit = auditTrail(options);
            ExecutionState state = new ExecutionState();
            Redactor redactor = options.redactor();
            Notifier notifier = notifier(outbox, runbook, options);
            EventBus bus = new EventBus(redactor, List.of(journal, state, audit, console, notifier));
            outbox.reportTo(bus, id);
            Map<String, Object> data = who(options);
            data.put("runbook", runbook.name());
            data.put("runbookFile", absolute(runbook.file()));
            data.put("runbookSha256", sha256(runbook.source()));
            data.put("params", journalled(runbook, params));
            if (!runbook.children().isEmpty()) {
                data.put("children", KeptRunbooks.of(runbook));
            }
            data.put("lockScope", scope);
            data.putAll(options.target());
            Journal.stamp(data);
            Instant now = clock.instant();
            bus.on(Event.ofExecution(EventType.EXECUTION_STARTED, id, now, null, data));
            noteStaleHolder(lock, audit, bus, id);
            notices(options, bus, id);
            try (AbortWatch watch = new AbortWatch(backend, id, options.stop(), bus, clock, ABORT_POLL);
                 Residents residents = new Residents()) {
                return masked(redactor, engine.run(execution(id, runbook, params, options, bus, state, now, notifier,
                        residents)));
            }
        }
    }

    /**
     * The lease the AWS calls check while this execution holds it; losing it stops the execution's waits
     * at once, as the operator's stop does.
     */
    private final class Holding implements AutoCloseable {
        private final Lease lease;

        Holding(Lease lease, StopSignal stop) {
            this.lease = lease;
            held.hold(lease);
            lease.onLost(stop::request);
        }

        @Override
        public void close() {
            held.release(lease);
        }
    }

    /**
     * Finishes an interrupted, stopped or aborted execution without repeating what it completed. A torn
     * last line in its journal is set aside first, and the journal says so.
     *
     * @param before the journal as the caller read it, checked readable, to find the runbook and the lock
     */
    public ExecutionResult resume(ExecutionStore.Stored before, Runbook runbook, Map<String, Object> params,
                                  RunOptions options, EventListener console) {
        return takeUp(before, runbook, params, options, console, false);
    }

    /**
     * Completes the deferred steps of an execution that succeeded with them ({@code gafail reconcile}),
     * under the lock and journalled as any step, audited as a resume is.
     */
    public ExecutionResult reconcile(ExecutionStore.Stored before, Runbook runbook, Map<String, Object> params,
                                     RunOptions options, EventListener console) {
        return takeUp(before, runbook, params, options, console, true);
    }

    /** The plan of the deferred steps of an execution: what reconcile would do; changes nothing, writes nothing. */
    public ExecutionResult planReconcile(ExecutionStore.Stored stored, Runbook runbook, Map<String, Object> params,
                                         RunOptions options, EventListener console) {
        stored.requireReconcilable();
        store.requireLatest(stored, clock);
        String id = stored.summary().id();
        return dryRun(id, runbook, options, console, (bus, notifier) -> engine.planReconcile(execution(id, runbook,
                params, options, bus, ExecutionState.replay(stored.events()), clock.instant(), notifier,
                new Residents())));
    }

    private ExecutionResult takeUp(ExecutionStore.Stored before, Runbook runbook, Map<String, Object> params,
                                   RunOptions options, EventListener console, boolean reconcile) {
        String id = before.summary().id();
        Event started = before.started();
        String scope = started.text("lockScope") != null ? started.text("lockScope")
                : lockScope(options, started.text("runbookFile"));
        try (Lease lock = backend.acquire(holder(scope, id, options)); Holding holding = new Holding(lock, options.stop())) {
            // A request to stop was for the holder before: it died, or stopped, before it could honour it.
            backend.clearAbort(id);
            // Read again under the lock: the journal is final only once nobody else holds it.
            ExecutionStore.Stored stored = store.load(id, clock);
            if (reconcile) {
                stored.requireReconcilable();
                store.requireLatest(stored, clock);
            } else {
                stored.requireResumable();
            }
            ExecutionSummary summary = stored.summary();
            try (JournalWriter journal = backend.append(id, lock);
                 Outbox outbox = new Outbox(options.notifications(), false, options.redactor(), clock)) {
                AuditTrail audit = auditTrail(options);
                ExecutionState state = ExecutionState.replay(stored.events());
                Redactor redactor = options.redactor();
                Notifier notifier = notifier(outbox, runbook, options);
                EventBus bus = new EventBus(redactor, List.of(journal, state, audit, console, notifier));
                outbox.reportTo(bus, id);
                Map<String, Object> data = who(options);
                data.put("runbook", runbook.name());
                data.put("previousStatus", summary.status().wire());
                if (reconcile) {
                    data.put("reconcile", true);
                }
                data.putAll(options.target());
                Journal.stamp(data);
                bus.on(Event.ofExecution(EventType.EXECUTION_RESUMED, id, clock.instant(), reconcile
                        ? "reconciling the deferred steps" : "resuming " + summary.status().wire() + " execution", data));
                journal.setAside().ifPresent(torn -> bus.on(Event.ofExecution(EventType.NOTICE, id, clock.instant(),
                        "the journal's last line was torn (" + torn.bytes() + " bytes) and was set aside in "
                                + torn.file(), Map.of("tornBytes", torn.bytes(), "setAsideIn", torn.file()))));
                noteStaleHolder(lock, audit, bus, id);
                notices(options, bus, id);
                try (AbortWatch watch = new AbortWatch(backend, id, options.stop(), bus, clock, ABORT_POLL);
                     Residents residents = new Residents()) {
                    Execution execution = execution(id, runbook, params, options, bus, state, clock.instant(), notifier,
                            residents);
                    return masked(redactor, reconcile ? engine.reconcile(execution) : engine.run(execution));
                }
            }
        }
    }

    /** The result's message goes to the operator too, so it is masked like every event. */
    private static ExecutionResult masked(Redactor redactor, ExecutionResult result) {
        return new ExecutionResult(result.status(), result.exitCode(), redactor.text(result.message()));
    }

    /** Parameters as the journal keeps them: text, secrets masked. */
    public static Map<String, Object> journalled(Runbook runbook, Map<String, Object> params) {
        Map<String, Object> out = new LinkedHashMap<>(ParameterValues.storable(runbook, params));
        runbook.parameters().values().stream().filter(p -> p.secret() && params.containsKey(p.name()))
                .forEach(p -> out.put(p.name(), Redactor.MASK));
        return out;
    }

    /** Clears the lock of {@code options}' scope (else of {@code runbookFile}) if no process holds it, and audits it. */
    public void forceUnlock(String runbookFile, RunOptions options) {
        String scope = lockScope(options, runbookFile);
        ExecutionLock.Forced forced = backend.forceUnlock(scope);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("event", "lock-forced");
        record.put("scope", scope);
        record.put("previousHolder", forced.holder());
        if (forced.content() != null) {
            record.put("lockFile", forced.content());
        }
        auditTrail(options).append(record);
    }

    private AuditTrail auditTrail(RunOptions options) {
        return new AuditTrail(store.auditLog(), actor, options.command(), options.reason(), identity(options, "arn"));
    }

    /** @param residents closed by the caller when the execution ends here, however it ends */
    private Execution execution(String id, Runbook runbook, Map<String, Object> params, RunOptions options,
                                EventBus bus, ExecutionState state, Instant from, Notifier notifier,
                                Residents residents) {
        return new Execution(id, runbook, params, options.topology(), options.operator(), options.stop(), bus, state,
                deadline(runbook, options, from), new KeptApprovals(backend, id, options), notifier, residents,
                (name, content) -> backend.keep(id, name, content));
    }

    /** When an execution from {@code from} must end: its {@code --timeout}, else the runbook's; null: never. */
    private static Instant deadline(Runbook runbook, RunOptions options, Instant from) {
        Duration timeout = options.timeout() != null ? options.timeout() : runbook.timeout();
        return timeout == null ? null : from.plus(timeout);
    }

    /** An execution's approvals as its state keeps them, and what its options know of who runs it and where. */
    private record KeptApprovals(StateBackend backend, String id, RunOptions options) implements Approvals {

        @Override
        public ApprovalPolicy policy() {
            return options.approvals();
        }

        @Override
        public Optional<String> requester() {
            return identity("arn");
        }

        @Override
        public Optional<String> account() {
            return identity("account");
        }

        @Override
        public Optional<String> topology() {
            return Optional.ofNullable(options.target().get("topology")).map(String::valueOf);
        }

        @Override
        public List<Approval> given() {
            return backend.approvals(id);
        }

        @Override
        public ApprovalVerifier.Verified verify(Approval approval, String plan) {
            return options.verifier().verify(approval, id, plan);
        }

        private Optional<String> identity(String field) {
            return Optional.ofNullable(ExecutionService.identity(options, field));
        }
    }

    private void noteStaleHolder(Lease lock, AuditTrail audit, EventListener bus, String id) {
        lock.staleHolder().ifPresent(stale -> {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("event", "stale-lock-released");
            record.put("execution", id);
            record.put("previousHolder", stale);
            audit.append(record);
            bus.on(Event.ofExecution(EventType.NOTICE, id, clock.instant(), "took over the lock of "
                    + stale.describe() + ", which no longer holds it", Map.of()));
        });
    }

    /** What the operator should know before the first step (credentials that end before the run may), journalled. */
    private void notices(RunOptions options, EventListener bus, String id) {
        options.notices().forEach(n -> bus.on(Event.ofExecution(EventType.NOTICE, id, clock.instant(), n, Map.of())));
    }

    /** Who takes the lock: this process, and the AWS identity it acts as when the run knows it. */
    private ExecutionLock.Holder holder(String scope, String id, RunOptions options) {
        return new ExecutionLock.Holder(scope, actor.user(), actor.host(), actor.pid(), actor.processStart(),
                clock.instant(), id, identity(options, "arn"), null);
    }

    /** A field ({@code arn}, {@code account}) of the AWS identity the run acts as, when it knows it; else null. */
    private static String identity(RunOptions options, String field) {
        return options.target().get("identity") instanceof Map<?, ?> caller && caller.get(field) != null
                ? String.valueOf(caller.get(field)) : null;
    }

    /** The topology file the execution acts on, as it is now, to keep beside its journal. */
    private static Optional<String> topologySource(RunOptions options) {
        Object file = options.target().get("topologyFile");
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(Path.of(String.valueOf(file))));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private Map<String, Object> who(RunOptions options) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user", actor.user());
        data.put("host", actor.host());
        data.put("pid", actor.pid());
        if (actor.processStart() != null) {
            data.put("processStart", actor.processStart().toString());
        }
        if (options.reason() != null) {
            data.put("reason", options.reason());
        }
        // what was typed (secrets masked): a report and a drill's evidence say what was done
        if (options.command() != null) {
            data.put("command", options.command());
        }
        return data;
    }

    /** One execution per topology at a time; without a topology, per runbook file. */
    static String lockScope(RunOptions options, String runbookFile) {
        return options.lockScope() != null ? options.lockScope() : lockScope(runbookFile);
    }

    static String lockScope(String runbookFile) {
        return "runbook:" + absolute(runbookFile);
    }

    private static String absolute(String file) {
        Path path = Path.of(file).toAbsolutePath().normalize();
        try {
            return Files.exists(path) ? path.toRealPath().toString() : path.toString();
        } catch (java.io.IOException e) {
            return path.toString();
        }
    }

    /** The SHA-256 of {@code text}'s UTF-8 bytes, in hex. */
    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
