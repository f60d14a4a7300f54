package dev.gafail.engine;

import dev.gafail.runbook.RetryPolicy;
import dev.gafail.runbook.StepSpec;
import dev.gafail.yaml.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs steps on worker threads, bounded by their deadlines: the step contract's plan, apply and
 * await with retries, and built-in compensations. A batch runs concurrently (a parallel group;
 * a single step is a batch of one); the first failure cancels the others.
 */
final class StepRunner {

    /** How long a cancelled step may take to notice before it is abandoned. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

    /** @param unreachable of a deferred step: what did not answer; else null */
    record Outcome(Kind kind, String message, Change change, Map<String, Object> outputs, String unreachable) {
        enum Kind { SUCCEEDED, SKIPPED, DEFERRED, FAILED, INTERRUPTED, ABORTED }

        Outcome(Kind kind, String message, Change change, Map<String, Object> outputs) {
            this(kind, message, change, outputs, null);
        }

        static Outcome failed(String message) {
            return new Outcome(Kind.FAILED, message, null, Map.of());
        }

        static Outcome deferred(Unreachable why, Change change) {
            return new Outcome(Kind.DEFERRED, why.getMessage(), change, Map.of(), why.api());
        }

        /** Whether the execution goes on past it: a deferred step waits for reconcile, not for the operator. */
        boolean ok() {
            return kind == Kind.SUCCEEDED || kind == Kind.SKIPPED || kind == Kind.DEFERRED;
        }
    }

    /** Work for one worker thread; throws InterruptedException when cancelled or stopped. */
    interface Body {
        Outcome run(StepScope scope) throws InterruptedException;
    }

    /**
     * A body with its deadline (null: none), what to say if the deadline passes, and whether the runbook
     * defers it when what it needs does not answer.
     */
    record Job(String id, Phase phase, Instant deadline, String timeoutMessage, boolean defersUnreachable, Body body) {
    }

    private final ActionRegistry actions;
    private final StepInputs inputs;
    private final Clock clock;
    private final Engine engine;

    /** @param engine what runs the child runbooks of {@code runbook.run} steps */
    StepRunner(ActionRegistry actions, StepInputs inputs, Clock clock, Engine engine) {
        this.actions = actions;
        this.inputs = inputs;
        this.clock = clock;
        this.engine = engine;
    }

    Job stepJob(Execution execution, Phase phase, StepSpec spec) {
        return job(execution, spec, phase, phase != Phase.ROLLBACK, Engine.defers(phase, spec),
                scope -> attempts(execution, phase, spec, scope));
    }

    Job compensationJob(Execution execution, StepSpec spec) {
        return job(execution, spec, Phase.ROLLBACK, false, false, scope -> compensate(execution, spec, scope));
    }

    /** Compensations are not cut short by the execution's timeout: undoing matters most when time ran out. */
    private Job job(Execution execution, StepSpec spec, Phase phase, boolean boundByExecution, boolean defers,
                    Body body) {
        Instant now = clock.instant();
        Instant stepEnd = spec.timeout() == null ? null : now.plus(spec.timeout());
        Instant overall = boundByExecution ? execution.deadline() : null;
        boolean overallFirst = overall != null && (stepEnd == null || overall.isBefore(stepEnd));
        Instant deadline = overallFirst ? overall : stepEnd;
        String message = overallFirst ? "the execution's timeout ran out"
                : spec.timeout() == null ? "" : "timed out after " + Durations.format(spec.timeout());
        return new Job(spec.id(), phase, deadline, message, defers, body);
    }

    List<Outcome> run(Execution execution, List<Job> jobs) throws InterruptedException {
        int n = jobs.size();
        Outcome[] results = new Outcome[n];
        StepScope[] scopes = new StepScope[n];
        Thread[] threads = new Thread[n];
        Instant[] abandonAt = new Instant[n];
        boolean[] finished = new boolean[n];
        BlockingQueue<Integer> done = new LinkedBlockingQueue<>();
        AtomicReference<LockLost> lost = new AtomicReference<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Job job = jobs.get(i);
            scopes[i] = new StepScope(execution, job.id(), job.phase(), job.deadline(), clock, job.defersUnreachable(),
                    engine, false);
            threads[i] = new Thread(() -> {
                try {
                    results[index] = job.body().run(scopes[index]);
                } catch (InterruptedException e) {
                    results[index] = null;
                } catch (LockLost e) {
                    // Nothing more may be done by anyone here: the siblings stop too, and the engine with them.
                    lost.compareAndSet(null, e);
                    execution.stop().request(e.getMessage());
                    results[index] = null;
                } catch (RuntimeException e) {
                    results[index] = Outcome.failed("internal error: " + e);
                } finally {
                    done.add(index);
                }
            }, "step-" + job.id());
            threads[i].setDaemon(true);
            threads[i].start();
        }
        try {
            await(execution, jobs, results, scopes, threads, abandonAt, finished, done);
        } catch (InterruptedException e) {
            // What runs this batch was stopped (the runbook.run step of a child runbook timed out): its steps stop too.
            stopAll(scopes, threads, finished);
            throw e;
        }
        if (lost.get() != null) {
            throw lost.get();
        }
        return List.of(results);
    }

    /** Cancels the unfinished steps and gives each the grace a cancelled step has to notice. */
    private static void stopAll(StepScope[] scopes, Thread[] threads, boolean[] finished) {
        for (int i = 0; i < threads.length; i++) {
            if (!finished[i]) {
                cancel(scopes[i], threads[i], "stopped with the step that runs its runbook");
            }
        }
        long until = System.nanoTime() + CANCEL_GRACE.toNanos();
        for (int i = 0; i < threads.length; i++) {
            try {
                threads[i].join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits for every job of a batch: each to its end, its deadline, or its abandonment. */
    private void await(Execution execution, List<Job> jobs, Outcome[] results, StepScope[] scopes, Thread[] threads,
                       Instant[] abandonAt, boolean[] finished, BlockingQueue<Integer> done) throws InterruptedException {
        int n = jobs.size();
        int remaining = n;
        boolean cancelledSiblings = false;
        while (remaining > 0) {
            Instant next = null;
            for (int i = 0; i < n; i++) {
                if (!finished[i]) {
                    Instant limit = abandonAt[i] != null ? abandonAt[i] : jobs.get(i).deadline();
                    next = limit != null && (next == null || limit.isBefore(next)) ? limit : next;
                }
            }
            Integer index = next == null ? done.take()
                    : done.poll(Math.max(1, Duration.between(clock.instant(), next).toMillis()), TimeUnit.MILLISECONDS);
            if (index == null) {
                Instant now = clock.instant();
                for (int i = 0; i < n; i++) {
                    if (finished[i]) {
                        continue;
                    }
                    if (abandonAt[i] != null && !now.isBefore(abandonAt[i])) {
                        finished[i] = true;
                        remaining--;
                        results[i] = Outcome.failed(scopes[i].cancelled() + "; the step did not stop within "
                                + Durations.format(CANCEL_GRACE) + " and was abandoned");
                    } else if (abandonAt[i] == null && jobs.get(i).deadline() != null
                            && !now.isBefore(jobs.get(i).deadline())) {
                        cancel(scopes[i], threads[i], jobs.get(i).timeoutMessage());
                        abandonAt[i] = now.plus(CANCEL_GRACE);
                    }
                }
                continue;
            }
            if (finished[index]) {
                continue;
            }
            finished[index] = true;
            remaining--;
            results[index] = settle(execution, results[index], scopes[index]);
            if (!results[index].ok() && !cancelledSiblings) {
                cancelledSiblings = true;
                for (int i = 0; i < n; i++) {
                    if (!finished[i] && abandonAt[i] == null) {
                        cancel(scopes[i], threads[i], "cancelled because step '" + jobs.get(index).id() + "' failed");
                        abandonAt[i] = clock.instant().plus(CANCEL_GRACE);
                    }
                }
            }
        }
    }

    private static void cancel(StepScope scope, Thread thread, String why) {
        scope.cancel(why);
        thread.interrupt();
    }

    /** Turns "the worker was interrupted" into the reason: timeout, a failed sibling, or the operator's stop. */
    private static Outcome settle(Execution execution, Outcome result, StepScope scope) {
        if (scope.cancelled() != null && (result == null || !result.ok())) {
            return Outcome.failed(scope.cancelled());
        }
        if (result != null) {
            return result;
        }
        if (execution.stop().requested()) {
            return new Outcome(Outcome.Kind.INTERRUPTED, execution.stop().reason(), null, Map.of());
        }
        return Outcome.failed("interrupted");
    }

    private Outcome attempts(Execution execution, Phase phase, StepSpec spec, StepScope scope)
            throws InterruptedException {
        return typed(actions.get(spec.action()), execution, phase, spec, scope);
    }

    private <P, O extends Record> Outcome typed(Action<P, O> action, Execution execution, Phase phase,
                                                StepSpec spec, StepScope scope) throws InterruptedException {
        return retried(spec.retry(), scope, attempt -> {
            Change change = null;
            try {
                P params = inputs.bind(action, spec, StepInputs.variables(execution, execution.state().allOutputs()));
                change = action.plan(params, scope);
                // A check's plan is only a prediction; its apply is the check (a probe wants several successes).
                if (change.done() && !action.readOnly()) {
                    return new Outcome(Outcome.Kind.SKIPPED, change.current(), change, Map.of());
                }
                if (execution.stop().requested() || scope.cancelled() != null) {
                    throw new InterruptedException("stopped before the change");
                }
                emit(execution, EventType.STEP_APPLYING, phase, spec, attempt, null, Map.of("change", change));
                // Journalled and read by expressions in their JSON form; rollback reads them back as O.
                Map<String, Object> outputs = Json.object(Objects.requireNonNull(action.apply(params, scope),
                        () -> action.name() + " returned no outputs"));
                emit(execution, EventType.STEP_APPLIED, phase, spec, attempt, null, Map.of("outputs", outputs));
                action.await(params, scope);
                return new Outcome(Outcome.Kind.SUCCEEDED, change.desired(), change, outputs);
            } catch (OperatorAbort abort) {
                return new Outcome(Outcome.Kind.ABORTED, abort.getMessage(), null, Map.of());
            } catch (Unreachable unreachable) {
                if (scope.defersUnreachable()) {
                    return Outcome.deferred(unreachable, change);
                }
                throw unreachable;
            }
        }, (attempt, failure, delay) -> emit(execution, EventType.STEP_RETRYING, phase, spec, attempt,
                failure.getMessage(), Map.of("delay", Durations.format(delay))));
    }

    private Outcome compensate(Execution execution, StepSpec spec, StepScope scope) throws InterruptedException {
        return compensateTyped(actions.get(spec.action()), execution, spec, scope);
    }

    private <P, O extends Record> Outcome compensateTyped(Action<P, O> action, Execution execution,
                                                          StepSpec spec, StepScope scope) throws InterruptedException {
        return retried(spec.retry(), scope, attempt -> {
            P params = inputs.bind(action, spec, StepInputs.variables(execution, execution.state().allOutputs()));
            Change observed = execution.state().observed(spec.id());
            // Journalled before and after, as a step's change is: a resume neither loses nor repeats it.
            emit(execution, EventType.ROLLBACK_APPLYING, Phase.ROLLBACK, spec, attempt,
                    observed.current().isEmpty() ? null : "restoring " + observed.current(), Map.of("for", spec.id()));
            action.rollback(params, observed, execution.state().outputs(spec.id(), action.outputType()), scope);
            emit(execution, EventType.ROLLBACK_APPLIED, Phase.ROLLBACK, spec, attempt, null, Map.of("for", spec.id()));
            return new Outcome(Outcome.Kind.SUCCEEDED, "compensated", null, Map.of());
        }, (attempt, failure, delay) -> { });
    }

    /** One try of a step or a compensation (numbered from 1). */
    @FunctionalInterface
    private interface Attempt {
        Outcome run(int attempt) throws StepFailure, InterruptedException;
    }

    /** Told of a retry before its backoff: a step journals it; a compensation's retries pass unjournalled. */
    @FunctionalInterface
    private interface Retrying {
        void before(int attempt, StepFailure failure, Duration delay);
    }

    /**
     * The one retry routine, for steps and compensations alike: tries until an outcome, a failure that
     * is not retryable, or the policy's last attempt, backing off between tries within the step's scope.
     */
    private static Outcome retried(RetryPolicy retry, StepScope scope, Attempt attempt, Retrying retrying)
            throws InterruptedException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run(n);
            } catch (CredentialsLost lost) {
                scope.stopExecution(lost.getMessage());
                return new Outcome(Outcome.Kind.INTERRUPTED, lost.getMessage(), null, Map.of());
            } catch (StepFailure failure) {
                if (!failure.retryable() || n >= retry.attempts()) {
                    return Outcome.failed(failure.getMessage() + (n > 1 ? " (after " + n + " attempts)" : ""));
                }
                Duration delay = backoff(retry, n);
                retrying.before(n, failure, delay);
                scope.sleep(delay);
            }
        }
    }

    /** Exponential backoff with jitter: backoff * 2^(attempt-1), capped, then scaled by a random 50-100%. */
    static Duration backoff(RetryPolicy retry, int attempt) {
        long base = retry.backoff().toMillis() << Math.min(20, attempt - 1);
        long capped = Math.min(base, retry.maxBackoff().toMillis());
        return Duration.ofMillis((long) (capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
    }

    void emit(Execution execution, EventType type, Phase phase, StepSpec spec, Integer attempt,
              String message, Map<String, Object> data) {
        execution.events().on(new Event(type, clock.instant(), execution.id(), phase, spec.id(), spec.action(),
                attempt, message, data));
    }
}
