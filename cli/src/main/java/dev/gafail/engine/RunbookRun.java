package dev.gafail.engine;

import dev.gafail.runbook.ParameterValues;
import dev.gafail.runbook.Runbook;
import dev.gafail.runbook.RunbookLoader;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code runbook.run {runbook, params}}: runs another runbook as a part of this execution, as AWS ARC's
 * child plans do. It runs under this execution's lock (the same execution: nobody else may act meanwhile),
 * journalled in this execution's journal with its steps below this step ({@code failover/switch-writer}),
 * so that {@code gafail resume} continues inside it; its parameters come from this runbook's expressions.
 * Its plan is the child's plan, step by step: a dry run plans the child and applies nothing.
 *
 * <p>A child that fails rolls back its own changes (its compensations) before this step fails. When a later
 * step of the parent fails and the parent rolls back, the child's changes are compensated in their turn by
 * the child's own rollback, whether it completed or stopped halfway.
 * A child that ends with deferred steps defers this step when the runbook allows it, and
 * {@code gafail reconcile} completes them inside the child.
 */
final class RunbookRun extends AbstractAction<RunbookRun.Params, RunbookRun.Outputs> {

    static final String NAME = RunbookLoader.RUN;

    /**
     * @param runbook a file beside this runbook, or {@code bundled:NAME}; written as is, never an expression,
     *                so that it is loaded and checked with its parent
     * @param params  the child's parameters, by name
     */
    record Params(String runbook, Map<String, Object> params) {
        Params {
            params = params == null ? Map.of() : new LinkedHashMap<>(params);
        }
    }

    /** @param steps the outputs of the child's steps, by step id */
    record Outputs(String runbook, Map<String, Map<String, Object>> steps) {
    }

    RunbookRun() {
        super(NAME, Params.class, Outputs.class, false, List.of(), """
                {"type": "object", "additionalProperties": false, "required": ["runbook"],
                 "properties": {
                   "runbook": {"type": "string", "minLength": 1, "not": {"pattern": "\\\\$\\\\{\\\\{"},
                               "description": "a runbook file beside this one, or bundled:NAME"},
                   "params": {"type": "object", "description": "the child runbook's parameters, by name"}}}""");
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure, InterruptedException {
        StepScope scope = (StepScope) context;
        Execution child = child(params, scope);
        String name = "runbook '" + child.runbook().name() + "'";
        if (!scope.planning()) {
            return Change.to(name + " not run", name + " completed");
        }
        Engine.Planning planned = scope.engine().planning(child);
        if (planned.stopped()) {
            throw new InterruptedException("stopped while planning " + name);
        }
        if (!planned.refused().isEmpty()) {
            throw new Unmet(name + ": " + String.join("; ", planned.refused()));
        }
        if (!planned.unplanned().isEmpty()) {
            throw StepFailure.permanent(name + ": " + String.join(", ", planned.unplanned()) + " could not be planned");
        }
        String unmet = planned.preconditionsUnmet() == 0 ? ""
                : " (" + planned.preconditionsUnmet() + " of its preconditions would fail now)";
        return Change.to(name + " not run", name + ": " + planned.acting() + " of " + planned.steps()
                + " steps would act" + unmet);
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException, OperatorAbort {
        StepScope scope = (StepScope) context;
        Execution child = child(params, scope);
        String name = "runbook '" + child.runbook().name() + "'";
        Event finished = child.state().finished();
        if (child.state().started() == null) {
            child.events().on(Event.ofExecution(EventType.EXECUTION_STARTED, child.id(), scope.clock().instant(),
                    name + " started (" + child.runbook().file() + ")", Map.of("runbook", child.runbook().name())));
        }
        boolean owed = finished != null && ExecutionStatus.SUCCEEDED_WITH_DEFERRED.wire().equals(finished.text("status"));
        ExecutionResult result = owed ? scope.engine().reconcileChild(child) : scope.engine().runChild(child);
        switch (result.status()) {
            case SUCCEEDED -> {
                return new Outputs(params.runbook(), child.state().allOutputs());
            }
            case SUCCEEDED_WITH_DEFERRED -> throw new Unreachable(deferredApis(child), name + " " + result.message(),
                    false, null);
            case INTERRUPTED -> throw new InterruptedException(result.message());
            case ABORTED -> throw new OperatorAbort(result.message());
            default -> throw StepFailure.permanent(name + ": " + result.message());
        }
    }

    /**
     * What the child changed is compensated when its parent rolls back, as every change of the execution is,
     * newest first: by the child's own rollback, whether the child completed or stopped halfway (its step
     * timed out or was cancelled). A child that rolled itself back has nothing left to undo: its state is
     * that of a run not begun ({@link ChildEvents#of}).
     */
    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    public void rollback(Params params, Change observed, Optional<Outputs> outputs, StepContext context)
            throws StepFailure, InterruptedException {
        StepScope scope = (StepScope) context;
        Execution child = child(params, scope);
        if (child.state().changedInOrder().isEmpty()) {
            return;
        }
        ExecutionResult undone = scope.engine().rollbackChild(child, "its parent rolls back");
        if (undone.status() != ExecutionStatus.ROLLED_BACK) {
            throw StepFailure.permanent("runbook '" + child.runbook().name() + "': " + undone.message());
        }
    }

    /** What the child's deferred steps wait for. */
    private static String deferredApis(Execution child) {
        return String.join("; ", child.runbook().flatSteps().stream().filter(s -> child.state().deferred(s.id()))
                .map(s -> child.state().unreachable(s.id())).distinct().toList());
    }

    /** The child's execution, its state read back from this execution's journal, approved with this one's plan. */
    private static Execution child(Params params, StepScope scope) throws StepFailure {
        Execution parent = scope.execution();
        Runbook runbook = parent.runbook().child(params.runbook());
        Map<String, Object> values;
        try {
            values = ParameterValues.bind(runbook, texts(params.params()));
        } catch (ParameterValues.InvalidParameters e) {
            throw StepFailure.permanent("runbook '" + runbook.name() + "': " + String.join("; ", e.lines()));
        }
        ExecutionState state = ExecutionState.replay(parent.state().child(scope.localId()));
        state.on(Event.ofExecution(EventType.APPROVAL_GRANTED, parent.id(), scope.clock().instant(),
                "approved with the plan of runbook '" + parent.runbook().name() + "'", Map.of()));
        return parent.child(scope.localId(), runbook, values, state, deadline(runbook, scope));
    }

    /** The earliest of the step's deadline and the child runbook's own timeout from now. */
    private static Instant deadline(Runbook runbook, StepScope scope) {
        Optional<Instant> own = scope.deadline().or(() -> Optional.ofNullable(scope.execution().deadline()));
        Instant child = runbook.timeout() == null ? null : scope.clock().instant().plus(runbook.timeout());
        if (own.isEmpty()) {
            return child;
        }
        return child == null || own.get().isBefore(child) ? own.get() : child;
    }

    /** The values as {@code --set} would give them, so the child types them as it types an operator's. */
    private static Map<String, String> texts(Map<String, Object> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((name, value) -> out.put(name, value instanceof Duration d ? Durations.format(d)
                : String.valueOf(value)));
        return out;
    }
}
