package dev.gafail.engine;

import dev.gafail.engine.StepRunner.Outcome;
import dev.gafail.runbook.Expressions;
import dev.gafail.runbook.OnFailure;
import dev.gafail.runbook.OnUnreachable;
import dev.gafail.runbook.Runbook;
import dev.gafail.runbook.StepNode;
import dev.gafail.runbook.StepSpec;
import dev.gafail.yaml.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Executes runbooks: preconditions, plan, approval, steps, verification, and on failure the
 * compensations of what was changed, newest first. Every state change goes through the event bus,
 * whose first listener is the journal, before the next one starts. A dry run lives here too: it
 * calls only {@code plan}, never {@code apply}.
 */
public final class Engine {

    private static final String KNOWN_AFTER_APPLY = "known after apply";
    /** What a step whose {@code when} is false says, planned or run. */
    private static final String NOT_WHEN = "skipped: its 'when' is false";

    private final ActionRegistry actions;
    private final StepInputs inputs;
    private final StepRunner runner;
    private final ApprovalGate approvals;
    private final Clock clock;

    public Engine(ActionRegistry actions, Expressions expressions, Clock clock) {
        this.actions = actions;
        this.inputs = new StepInputs(expressions);
        this.runner = new StepRunner(actions, inputs, clock, this);
        this.approvals = new ApprovalGate(clock);
        this.clock = clock;
    }

    /**
     * The dry run: plans every step, checks preconditions, changes nothing. A plan with a step that
     * could not be planned is incomplete (exit 7), since the run would meet the same failure there:
     * CI relies on dry runs to catch it. A step planned "known after apply" (it reads what an earlier
     * step will produce) is not such a failure, nor is one the runbook continues past
     * ({@code onFailure: continue}): the run would not stop there either.
     */
    public ExecutionResult plan(Execution x) {
        Planning planned = planning(x);
        if (planned.stopped()) {
            return new ExecutionResult(ExecutionStatus.INTERRUPTED, ExitCode.ABORTED, "dry run stopped ("
                    + x.stop().reason() + ") before every step was planned; nothing was changed");
        }
        int unmet = planned.preconditionsUnmet() + planned.refused().size();
        if (unmet > 0) {
            return new ExecutionResult(ExecutionStatus.FAILED, ExitCode.PRECONDITIONS_NOT_MET,
                    unmet + " precondition(s) would fail or step(s) cannot run; a run would change nothing");
        }
        if (!planned.unplanned().isEmpty()) {
            return new ExecutionResult(ExecutionStatus.FAILED, ExitCode.INCOMPLETE_PLAN, "incomplete plan: "
                    + planned.unplanned().size() + " step(s) could not be planned (" + String.join(", ",
                    planned.unplanned()) + "); a run would fail there. Nothing was changed");
        }
        return new ExecutionResult(ExecutionStatus.SUCCEEDED, ExitCode.OK, "dry run: " + planned.acting() + " of "
                + planned.steps() + " steps would act; nothing was changed");
    }

    /**
     * What planning a whole runbook found.
     *
     * @param preconditionsUnmet how many preconditions would fail now
     * @param refused            why each step that can never run cannot ("step 'x': ...")
     * @param unplanned          the steps that could not be planned, a run would fail there
     * @param acting             how many of its {@code steps} main steps would act
     * @param stopped            whether the operator stopped the planning before its end
     */
    record Planning(int preconditionsUnmet, List<String> refused, List<String> unplanned, int acting, int steps,
                    boolean stopped) {
    }

    /** Plans every precondition, step and check of {@code x}'s runbook (PLANNED events); changes nothing. */
    Planning planning(Execution x) {
        Runbook runbook = x.runbook();
        int unmet = 0;
        List<String> refused = new ArrayList<>();
        List<String> unplanned = new ArrayList<>();
        for (StepSpec check : runbook.preconditions()) {
            Planned planned = planOne(x, Phase.PRECONDITION, check, Set.of());
            unmet += planned.acts() && !planned.failed() ? 1 : 0;
            planned.blocking(check).ifPresent(unplanned::add);
        }
        List<Planned> steps = planSteps(x, runbook.flatSteps());
        for (int i = 0; i < steps.size(); i++) {
            StepSpec step = runbook.flatSteps().get(i);
            if (steps.get(i).refuses(step)) {
                refused.add("step '" + step.id() + "' cannot run: " + steps.get(i).reason());
            } else {
                steps.get(i).blocking(step).ifPresent(unplanned::add);
            }
        }
        for (StepSpec check : runbook.verify()) {
            // What a check reads from the steps is known only after they have run.
            planOne(x, Phase.VERIFY, check, Set.of()).blocking(check).ifPresent(unplanned::add);
        }
        return new Planning(unmet, refused, unplanned, acting(steps), steps.size(), x.stop().requested());
    }

    /** The dry run of {@link #reconcile}: plans the deferred steps, changes nothing. */
    public ExecutionResult planReconcile(Execution x) {
        List<StepSpec> waiting = deferred(x);
        List<Planned> planned = planSteps(x, waiting);
        List<String> unplanned = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            planned.get(i).blocking(waiting.get(i)).ifPresent(unplanned::add);
        }
        if (!unplanned.isEmpty()) {
            return new ExecutionResult(ExecutionStatus.FAILED, ExitCode.INCOMPLETE_PLAN, "incomplete plan: "
                    + String.join(", ", unplanned) + " could not be planned; nothing was changed");
        }
        return new ExecutionResult(ExecutionStatus.SUCCEEDED, ExitCode.OK, "dry run: " + acting(planned) + " of "
                + waiting.size() + " deferred step(s) would act; nothing was changed");
    }

    /** Runs (or, with a replayed state, resumes) an execution to its end or to a safe stop. */
    public ExecutionResult run(Execution x) {
        try {
            return runChild(x);
        } catch (LockLost e) {
            return lost(e);
        }
    }

    /**
     * As {@link #run}, for a child runbook's execution: a lost lock reaches the step that runs it, which
     * stops its own execution with it.
     */
    ExecutionResult runChild(Execution x) {
        try {
            return x.state().rollingBack() ? rollback(x, "resuming the rollback") : forward(x);
        } catch (InterruptedException e) {
            // The operator's stop reached a safe point; the journal has all that was done.
            return interrupted(x);
        }
    }

    /** The lock is no longer this process's: it stops where it is, and neither calls nor journals anything more. */
    private static ExecutionResult lost(LockLost e) {
        return new ExecutionResult(ExecutionStatus.INTERRUPTED, e.exitCode(), e.getMessage());
    }

    private ExecutionResult forward(Execution x) throws InterruptedException {
        Runbook runbook = x.runbook();
        ExecutionState state = x.state();
        for (StepSpec check : runbook.preconditions()) {
            if (state.preconditionPassed(check.id())) {
                continue;
            }
            Outcome outcome = runSteps(x, Phase.PRECONDITION, List.of(check)).get(0);
            if (!outcome.ok()) {
                return outcome.kind() == Outcome.Kind.FAILED
                        ? finish(x, ExecutionStatus.FAILED, ExitCode.PRECONDITIONS_NOT_MET, "precondition '"
                                + check.id() + "' not met: " + outcome.message() + "; nothing was changed")
                        : stopped(x, outcome);
            }
        }
        List<StepSpec> remaining = runbook.flatSteps().stream().filter(s -> !done(state, s)).toList();
        if (!state.approved()) {
            List<Planned> planned = planSteps(x, remaining);
            for (int i = 0; i < planned.size(); i++) {
                if (planned.get(i).refuses(remaining.get(i))) {
                    return finish(x, ExecutionStatus.FAILED, ExitCode.PRECONDITIONS_NOT_MET, "step '"
                            + remaining.get(i).id() + "' cannot run: " + planned.get(i).reason() + "; nothing was changed");
                }
            }
            Optional<OperatorAbort> declined = approve(x, remaining, planned);
            if (x.stop().requested()) {
                return interrupted(x);
            }
            if (declined.isPresent()) {
                return finish(x, ExecutionStatus.ABORTED, ExitCode.ABORTED,
                        "not approved: " + declined.get().getMessage() + "; nothing was changed");
            }
        }
        Optional<ExecutionResult> unrestarted = restartResidents(x);
        if (unrestarted.isPresent()) {
            return unrestarted.get();
        }
        for (StepNode node : runbook.steps()) {
            List<StepSpec> todo = node.members().stream().filter(s -> !done(state, s)).toList();
            if (todo.isEmpty()) {
                continue;
            }
            if (x.stop().requested()) {
                return interrupted(x);
            }
            Optional<ExecutionResult> end = settle(x, todo, runSteps(x, Phase.STEP, todo));
            if (end.isPresent()) {
                return end.get();
            }
        }
        for (StepSpec check : runbook.verify()) {
            if (done(state, check)) {
                continue;
            }
            if (x.stop().requested()) {
                return interrupted(x);
            }
            Optional<ExecutionResult> end = settle(x, List.of(check), runSteps(x, Phase.VERIFY, List.of(check)));
            if (end.isPresent()) {
                return end.get();
            }
        }
        Event started = state.started();
        String took = started == null ? "" : " in " + Durations.human(Duration.between(started.time(), clock.instant()));
        return succeeded(x, "runbook '" + runbook.name() + "' succeeded" + took);
    }

    /**
     * Starts again, in this process, what completed steps of resident types left running in the process
     * that ran them before ({@link Action#restart}), in the runbook's order; nothing on a first run, which
     * has completed nothing. Once approved, before the next step; one that fails stops the execution, resumably.
     */
    private Optional<ExecutionResult> restartResidents(Execution x) throws InterruptedException {
        for (StepSpec step : x.runbook().flatSteps()) {
            Action<?, ?> action = actions.get(step.action());
            if (action.resident() && x.state().completed(step.id())) {
                try {
                    restartTyped(action, x, step);
                } catch (StepFailure e) {
                    return Optional.of(finish(x, ExecutionStatus.FAILED, ExitCode.STEP_FAILED, "step '" + step.id()
                            + "' could not start again what it left running: " + e.getMessage()
                            + ". Fix the cause, then: gafail resume " + x.id()));
                }
            }
        }
        return Optional.empty();
    }

    private <P, O extends Record> void restartTyped(Action<P, O> action, Execution x, StepSpec step)
            throws StepFailure, InterruptedException {
        // A step that found its work done (skipped) output nothing, and left nothing running.
        Optional<O> outputs = x.state().outputs(step.id(), action.outputType());
        if (outputs.isPresent()) {
            P params = inputs.bind(action, step, StepInputs.variables(x, x.state().allOutputs()));
            action.restart(params, outputs.get(), new StepScope(x, step.id(), Phase.STEP, null, clock, false, this, false));
        }
    }

    /** Whether a step needs no (more) work now: completed, deferred to reconcile, or failed with onFailure: continue. */
    private static boolean done(ExecutionState state, StepSpec step) {
        return state.completed(step.id()) || state.deferred(step.id())
                || state.failed(step.id()) && step.onFailure() == OnFailure.CONTINUE;
    }

    /** The main steps that wait for reconcile, in the runbook's order. */
    private static List<StepSpec> deferred(Execution x) {
        return x.runbook().flatSteps().stream().filter(s -> x.state().deferred(s.id())).toList();
    }

    /** Success, or success with deferred steps (exit 6), which the message names with how to complete them. */
    private ExecutionResult succeeded(Execution x, String message) {
        List<StepSpec> waiting = deferred(x);
        if (waiting.isEmpty()) {
            return finish(x, ExecutionStatus.SUCCEEDED, ExitCode.OK, message);
        }
        return finish(x, ExecutionStatus.SUCCEEDED_WITH_DEFERRED, ExitCode.DEFERRED, message + ", with "
                + waiting.size() + " deferred step(s): " + String.join(", ", waiting.stream()
                .map(StepSpec::id).toList()) + ". Once " + String.join("; ", waiting.stream()
                .map(s -> x.state().unreachable(s.id())).distinct().toList()) + " answer again: gafail reconcile "
                + x.id());
    }

    /**
     * Completes the deferred steps of a finished execution, in the runbook's order, each planned anew
     * (its preconditions are its own plan: it does only what is still missing) and journalled as any
     * step. Those whose region still does not answer stay deferred (exit 6).
     */
    public ExecutionResult reconcile(Execution x) {
        try {
            return reconcileChild(x);
        } catch (LockLost e) {
            return lost(e);
        }
    }

    /** As {@link #reconcile}, for a child runbook's execution, as {@link #runChild} is. */
    ExecutionResult reconcileChild(Execution x) {
        List<StepSpec> waiting = deferred(x);
        try {
            if (!x.state().approved()) {
                Optional<OperatorAbort> declined = approve(x, waiting, planSteps(x, waiting));
                if (x.stop().requested()) {
                    return interrupted(x);
                }
                if (declined.isPresent()) {
                    return finish(x, ExecutionStatus.SUCCEEDED_WITH_DEFERRED, ExitCode.ABORTED, "not approved: "
                            + declined.get().getMessage() + "; nothing was changed, the steps stay deferred");
                }
            }
            for (StepSpec step : waiting) {
                if (x.stop().requested()) {
                    return interrupted(x);
                }
                Outcome outcome = runSteps(x, Phase.STEP, List.of(step)).get(0);
                if (!outcome.ok()) {
                    return outcome.kind() == Outcome.Kind.FAILED ? finish(x, ExecutionStatus.SUCCEEDED_WITH_DEFERRED,
                            ExitCode.STEP_FAILED, "deferred step '" + step.id() + "' failed: " + outcome.message()
                                    + ". Fix the cause, then: gafail reconcile " + x.id()) : stopped(x, outcome);
                }
            }
        } catch (InterruptedException e) {
            return interrupted(x);
        }
        return succeeded(x, "reconciled " + waiting.stream().filter(s -> !x.state().deferred(s.id())).count()
                + " of " + waiting.size() + " deferred step(s) of runbook '" + x.runbook().name() + "'");
    }

    /**
     * Plans {@code steps} and has the plan approved, journalled: empty once approved, the refusal otherwise.
     * A plan others approved (they may take a while) is planned again before it runs, and approved anew if
     * it changed meanwhile: what runs is what they approved.
     */
    private Optional<OperatorAbort> approve(Execution x, List<StepSpec> steps, List<Planned> planned)
            throws InterruptedException {
        PlanApproval plan = planApproval(x, steps, planned);
        while (!x.stop().requested()) {
            Optional<OperatorAbort> declined = approvals.approve(x, plan);
            if (declined.isPresent() || !x.approvals().policy().needsOthers()) {
                return declined;
            }
            PlanApproval now = planApproval(x, steps, planSteps(x, steps));
            if (now.plan().equals(plan.plan())) {
                return Optional.empty();
            }
            emitExecution(x, EventType.NOTICE, "the plan changed while it waited for approvals (now plan "
                    + now.shortPlan() + "); it needs approving again", Map.of());
            plan = now;
        }
        return Optional.empty();
    }

    /** Decides what a batch's outcomes mean for the execution; empty to go on. */
    private Optional<ExecutionResult> settle(Execution x, List<StepSpec> batch, List<Outcome> outcomes)
            throws InterruptedException {
        for (Outcome outcome : outcomes) {
            if (outcome.kind() == Outcome.Kind.INTERRUPTED || outcome.kind() == Outcome.Kind.ABORTED) {
                return Optional.of(stopped(x, outcome));
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            Outcome outcome = outcomes.get(i);
            StepSpec step = batch.get(i);
            Optional<String> missed = VerdictStep.failed(step, outcome);
            if (missed.isPresent()) {
                return Optional.of(finish(x, ExecutionStatus.VERDICT_FAILED, ExitCode.VERDICT_FAILED,
                        "verdict of step '" + step.id() + "': fail: " + missed.get()));
            }
            if (outcome.ok() || step.onFailure() == OnFailure.CONTINUE) {
                continue;
            }
            String cause = "step '" + step.id() + "' failed: " + outcome.message();
            if (step.onFailure() == OnFailure.STOP) {
                return Optional.of(finish(x, ExecutionStatus.FAILED, ExitCode.STEP_FAILED,
                        cause + "; stopped. Fix the cause, then: gafail resume " + x.id()));
            }
            return Optional.of(rollback(x, cause));
        }
        return Optional.empty();
    }

    private ExecutionResult stopped(Execution x, Outcome outcome) {
        if (outcome.kind() == Outcome.Kind.ABORTED) {
            return finish(x, ExecutionStatus.ABORTED, ExitCode.ABORTED,
                    outcome.message() + "; to continue later: gafail resume " + x.id());
        }
        return interrupted(x);
    }

    /**
     * Compensates every changed step, newest first: its built-in rollback, then its rollback entries.
     * What resumes a rollback skips what already ran; the end says how many steps were really undone.
     */
    /**
     * Compensates what a child runbook's execution changed, as its own failure would have: for a
     * {@code runbook.run} step whose child stopped halfway (cancelled, timed out) when its parent rolls back.
     */
    ExecutionResult rollbackChild(Execution x, String cause) throws InterruptedException {
        return rollback(x, cause);
    }

    private ExecutionResult rollback(Execution x, String cause) throws InterruptedException {
        Runbook runbook = x.runbook();
        ExecutionState state = x.state();
        emitExecution(x, EventType.ROLLBACK_STARTED, cause, Map.of());
        List<String> failures = new ArrayList<>();
        List<String> uncompensable = new ArrayList<>();
        List<String> changed = new ArrayList<>(state.changedInOrder());
        Collections.reverse(changed);
        for (String id : changed) {
            StepSpec step = runbook.find(id).orElseThrow();
            Action<?, ?> action = actions.get(step.action());
            // A check that ran as a step changed nothing, so there is nothing to compensate.
            if (state.compensated(id) || action.readOnly()) {
                continue;
            }
            List<StepSpec> entries = runbook.rollback().stream().filter(e -> id.equals(e.compensates())).toList();
            if (!action.compensable() && entries.isEmpty()) {
                uncompensable.add(id);
                continue;
            }
            List<String> problems = new ArrayList<>();
            if (action.compensable() && !state.compensationApplied(id)) {
                failure(runner.run(x, List.of(runner.compensationJob(x, step))).get(0)).ifPresent(problems::add);
            }
            for (StepSpec entry : entries) {
                if (!state.completed(entry.id())) {
                    failure(runSteps(x, Phase.ROLLBACK, List.of(entry)).get(0))
                            .ifPresent(why -> problems.add(entry.id() + ": " + why));
                }
            }
            if (problems.isEmpty()) {
                emitFor(x, EventType.ROLLBACK_SUCCEEDED, step, "compensated");
            } else {
                failures.add(id);
                emitFor(x, EventType.ROLLBACK_FAILED, step, String.join("; ", problems));
            }
        }
        for (StepSpec entry : runbook.rollback()) {
            if (entry.compensates() == null && !state.completed(entry.id())
                    && failure(runSteps(x, Phase.ROLLBACK, List.of(entry)).get(0)).isPresent()) {
                failures.add(entry.id());
            }
        }
        if (failures.isEmpty()) {
            return finish(x, ExecutionStatus.ROLLED_BACK, ExitCode.STEP_FAILED,
                    cause + "; " + undone(changed.stream().filter(state::compensated).count(), uncompensable));
        }
        return finish(x, ExecutionStatus.FAILED, ExitCode.STEP_FAILED, cause + "; rollback incomplete ("
                + String.join(", ", failures) + " failed). Fix the cause, then: gafail resume " + x.id());
    }

    /** How many steps a rollback undid, and which changed steps it could not, having no compensation. */
    private static String undone(long compensated, List<String> uncompensable) {
        String count = compensated == 0 && uncompensable.isEmpty()
                ? "nothing to roll back: no step had changed anything" : "rolled back " + compensated + " step(s)";
        return uncompensable.isEmpty() ? count
                : count + "; left as they are, having no compensation: " + String.join(", ", uncompensable);
    }

    /** Why a compensation failed, if it did; an operator's stop ends the rollback here, resumably. */
    private static Optional<String> failure(Outcome outcome) throws InterruptedException {
        if (outcome.kind() == Outcome.Kind.INTERRUPTED) {
            throw new InterruptedException(outcome.message());
        }
        return outcome.ok() ? Optional.empty() : Optional.of(outcome.message());
    }

    /**
     * Runs the deferred main step {@code step} of {@code x} again, journalled as reconcile runs it, from
     * within another step of the same execution ({@code runbook.reconcile}).
     */
    Outcome completeDeferred(Execution x, StepSpec step) throws InterruptedException {
        return runSteps(x, Phase.STEP, List.of(step)).get(0);
    }

    /**
     * Starts the steps together and journals each one's end. A step that reads the outputs of a deferred
     * step cannot know its parameters until that one is done: unstarted, it is deferred with it if it
     * may be deferred, and fails otherwise (a check must not pass without running).
     */
    private List<Outcome> runSteps(Execution x, Phase phase, List<StepSpec> steps) throws InterruptedException {
        List<StepRunner.Job> jobs = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>(Collections.nCopies(steps.size(), (Outcome) null));
        List<Integer> started = new ArrayList<>();
        Set<Integer> notRun = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            StepSpec step = steps.get(i);
            Optional<String> waitsFor = deferredInput(x, step);
            if (waitsFor.isPresent()) {
                outcomes.set(i, defers(phase, step) ? new Outcome(Outcome.Kind.DEFERRED, "waits for deferred step '"
                        + waitsFor.get() + "', whose outputs it reads", null, Map.of(),
                        x.state().unreachable(waitsFor.get())) : Outcome.failed("reads the outputs of deferred step '"
                        + waitsFor.get() + "', which has not run yet (gafail reconcile completes it)"));
                continue;
            }
            try {
                if (!inputs.runs(step, StepInputs.variables(x, x.state().allOutputs()))) {
                    outcomes.set(i, new Outcome(Outcome.Kind.SKIPPED, NOT_WHEN, null, Map.of()));
                    notRun.add(i);
                    continue;
                }
            } catch (StepFailure e) {
                outcomes.set(i, Outcome.failed(e.getMessage()));
                continue;
            }
            runner.emit(x, EventType.STEP_STARTED, phase, step, null, step.description().isEmpty() ? null
                    : step.description(), Map.of());
            jobs.add(runner.stepJob(x, phase, step));
            started.add(i);
        }
        List<Outcome> ran = runner.run(x, jobs);
        for (int k = 0; k < started.size(); k++) {
            outcomes.set(started.get(k), ran.get(k));
        }
        for (int i = 0; i < steps.size(); i++) {
            Outcome outcome = outcomes.get(i);
            StepSpec step = steps.get(i);
            Map<String, Object> data = new LinkedHashMap<>();
            if (outcome.change() != null) {
                data.put("change", outcome.change());
            }
            switch (outcome.kind()) {
                case SUCCEEDED -> {
                    data.put("outputs", outcome.outputs());
                    runner.emit(x, EventType.STEP_SUCCEEDED, phase, step, null, outcome.message(), data);
                }
                case SKIPPED -> runner.emit(x, EventType.STEP_SKIPPED, phase, step, null,
                        actions.get(step.action()).readOnly() || notRun.contains(i) ? outcome.message()
                                : "already done: " + outcome.message(), data);
                case DEFERRED -> {
                    data.put("unreachable", outcome.unreachable());
                    runner.emit(x, EventType.STEP_DEFERRED, phase, step, null, outcome.message(), data);
                }
                case FAILED, ABORTED -> runner.emit(x, EventType.STEP_FAILED, phase, step, null, outcome.message(),
                        data);
                case INTERRUPTED -> { }
            }
        }
        return outcomes;
    }

    /** Whether the runbook defers the step when what it needs does not answer: only main steps may be. */
    static boolean defers(Phase phase, StepSpec step) {
        return phase == Phase.STEP && step.onUnreachable() == OnUnreachable.DEFER;
    }

    /** The deferred step whose outputs {@code step} reads, if there is one. */
    private Optional<String> deferredInput(Execution x, StepSpec step) {
        try {
            return inputs.unknownPath(step, x.state().allOutputs().keySet()).map(path -> path.get(1))
                    .filter(x.state()::deferred);
        } catch (StepFailure e) {
            return Optional.empty(); // the step itself reports its broken expression
        }
    }

    /** Plans the steps (PLANNED events), in order. */
    private List<Planned> planSteps(Execution x, List<StepSpec> steps) {
        Set<String> ran = new HashSet<>(x.state().allOutputs().keySet());
        List<Planned> planned = new ArrayList<>();
        for (StepSpec step : steps) {
            planned.add(planOne(x, Phase.STEP, step, ran));
        }
        return planned;
    }

    /** What the operator (and, when the policy wants them, others) approve: the acting steps' changes. */
    private static PlanApproval planApproval(Execution x, List<StepSpec> steps, List<Planned> planned) {
        List<PlanApproval.PlannedChange> changes = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Planned plan = planned.get(i);
            if (plan.acts()) {
                StepSpec step = steps.get(i);
                changes.add(new PlanApproval.PlannedChange(step.id(), step.action(),
                        plan.change().map(Change::current).orElse(KNOWN_AFTER_APPLY),
                        plan.change().map(Change::desired).orElse(KNOWN_AFTER_APPLY)));
            }
        }
        Approvals given = x.approvals();
        return PlanApproval.of(x.id(), x.runbook().name(), x.runbook().source(), given.topology().orElse(null),
                given.account().orElse(null), ExecutionService.journalled(x.runbook(), x.params()), changes,
                given.policy().required(), given.policy().expiry(), given.requester().orElse(null));
    }

    private static int acting(List<Planned> planned) {
        return (int) planned.stream().filter(Planned::acts).count();
    }

    /** One step's read-only plan as a PLANNED event; no change when it depends on outputs not known yet. */
    private Planned planOne(Execution x, Phase phase, StepSpec step, Set<String> ran) {
        try {
            Optional<String> unknown = inputs.unknownReference(step, ran);
            if (unknown.isPresent()) {
                runner.emit(x, EventType.PLANNED, phase, step, null,
                        KNOWN_AFTER_APPLY + " (reads " + unknown.get() + ")", Map.of());
                return new Planned(Optional.empty(), false, null);
            }
            if (!inputs.runs(step, StepInputs.variables(x, x.state().allOutputs()))) {
                runner.emit(x, EventType.PLANNED, phase, step, null, NOT_WHEN, Map.of());
                return new Planned(Optional.of(Change.alreadyDone(NOT_WHEN)), false, null);
            }
            Change change = planTyped(actions.get(step.action()), x, phase, step);
            runner.emit(x, EventType.PLANNED, phase, step, null, null, Map.of("change", change));
            return new Planned(Optional.of(change), false, null);
        } catch (Unreachable e) {
            if (!defers(phase, step)) {
                return cannotPlan(x, phase, step, e);
            }
            // Expected when a region is lost: the run would defer it too, so the plan is complete.
            runner.emit(x, EventType.PLANNED, phase, step, null, "would be deferred: " + e.getMessage(),
                    Map.of("deferred", true, "unreachable", e.api()));
            return new Planned(Optional.of(Change.to("unknown", "deferred until " + e.api() + " answers")), false, null);
        } catch (CredentialsLost e) {
            x.stop().request(e.getMessage());
            return new Planned(Optional.empty(), false, null);
        } catch (StepFailure e) {
            return cannotPlan(x, phase, step, e);
        } catch (InterruptedException e) {
            // Any interrupt is a stop, seen by the callers through the stop signal; an interrupt flag left set
            // would break the journal's and audit's writes.
            if (!x.stop().requested()) {
                x.stop().request("interrupted");
            }
            return new Planned(Optional.empty(), false, null);
        }
    }

    private Planned cannotPlan(Execution x, Phase phase, StepSpec step, StepFailure e) {
        boolean unmet = e instanceof Unmet;
        String said = (unmet ? "cannot run: " : "cannot plan: ") + e.getMessage();
        runner.emit(x, EventType.PLANNED, phase, step, null, said, unmet ? Map.of("error", true, "unmet", true)
                : Map.of("error", true));
        return new Planned(Optional.of(Change.to("unknown", said)), true, unmet ? e.getMessage() : null);
    }

    /**
     * A step's plan: its change (none when known only after apply), whether planning it failed, and why
     * the step cannot run at all when its plan found so ({@link Unmet}; else null).
     */
    private record Planned(Optional<Change> change, boolean failed, String reason) {

        /** Whether the step's plan refuses the run: it cannot run, and the runbook does not go on past it. */
        boolean refuses(StepSpec step) {
            return reason != null && step.onFailure() != OnFailure.CONTINUE;
        }

        boolean acts() {
            return change.isEmpty() || !change.get().done();
        }

        /** The step's id when its failed plan makes the whole plan incomplete. */
        Optional<String> blocking(StepSpec step) {
            return failed && step.onFailure() != OnFailure.CONTINUE ? Optional.of(step.id()) : Optional.empty();
        }
    }

    private <P> Change planTyped(Action<P, ?> action, Execution x, Phase phase, StepSpec step)
            throws StepFailure, InterruptedException {
        P params = inputs.bind(action, step, StepInputs.variables(x, x.state().allOutputs()));
        return action.plan(params, new StepScope(x, step.id(), phase, null, clock, defers(phase, step), this, true));
    }

    private ExecutionResult interrupted(Execution x) {
        String why = x.stop().reason() == null ? "interrupted" : x.stop().reason();
        String message = "stopped at a safe point (" + why + "); to finish: gafail resume " + x.id();
        emitExecution(x, EventType.EXECUTION_INTERRUPTED, message, Map.of("reason", why));
        return new ExecutionResult(ExecutionStatus.INTERRUPTED, ExitCode.ABORTED, message);
    }

    private ExecutionResult finish(Execution x, ExecutionStatus status, ExitCode code, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", status.wire());
        data.put("exitCode", code.code());
        Event started = x.state().started();
        if (started != null) {
            data.put("durationMs", Duration.between(started.time(), clock.instant()).toMillis());
        }
        emitExecution(x, EventType.EXECUTION_FINISHED, message, data);
        return new ExecutionResult(status, code, message);
    }

    private void emitExecution(Execution x, EventType type, String message, Map<String, Object> data) {
        x.events().on(Event.ofExecution(type, x.id(), clock.instant(), message, data));
    }

    private void emitFor(Execution x, EventType type, StepSpec step, String message) {
        x.events().on(new Event(type, clock.instant(), x.id(), Phase.ROLLBACK, step.id(), step.action(), null,
                message, Map.of("for", step.id())));
    }
}
