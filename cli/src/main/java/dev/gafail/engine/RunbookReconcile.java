package dev.gafail.engine;

import dev.gafail.runbook.RunbookLoader;
import dev.gafail.runbook.StepSpec;
import java.util.List;
import java.util.Optional;

/**
 * {@code runbook.reconcile {step}}: completes the deferred steps of an earlier {@code runbook.run} step of
 * this execution at this point of the runbook, as {@code gafail reconcile} completes them once an execution
 * has ended. A region-loss drill needs it: its unplanned failover defers fencing the lost region until that
 * region's APIs answer, and the region must be fenced before the drill fails back to it. A step that
 * deferred nothing leaves nothing to do; one whose region still does not answer defers this step too, when
 * the runbook allows it, and fails it otherwise.
 */
final class RunbookReconcile extends AbstractAction<RunbookReconcile.Params, RunbookReconcile.Outputs> {

    static final String NAME = "runbook.reconcile";

    /** @param step the id of the {@code runbook.run} step whose deferred steps to complete */
    record Params(String step) {
    }

    /** @param step the step whose deferred steps are complete now */
    record Outputs(String step) {
    }

    RunbookReconcile() {
        super(NAME, Params.class, Outputs.class, false, List.of(), """
                {"type": "object", "additionalProperties": false, "required": ["step"],
                 "properties": {
                   "step": {"type": "string", "minLength": 1,
                            "description": "the id of an earlier runbook.run step of this runbook"}}}""");
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        StepScope scope = (StepScope) context;
        StepSpec step = runStep(params, scope.execution());
        if (scope.execution().state().deferred(step.id())) {
            return Change.to("'" + step.id() + "' deferred steps until " + scope.execution().state()
                    .unreachable(step.id()) + " answer", "the deferred steps of '" + step.id() + "' completed");
        }
        if (scope.planning() && !scope.execution().state().completed(step.id())) {
            return Change.to("'" + step.id() + "' has not run", "the steps '" + step.id() + "' defers, if any,"
                    + " completed");
        }
        return Change.alreadyDone("'" + step.id() + "' has no deferred step");
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException, OperatorAbort {
        StepScope scope = (StepScope) context;
        Execution x = scope.execution();
        StepSpec step = runStep(params, x);
        StepRunner.Outcome outcome = scope.engine().completeDeferred(x, step);
        return switch (outcome.kind()) {
            case SUCCEEDED, SKIPPED -> new Outputs(step.id());
            case DEFERRED -> throw new Unreachable(outcome.unreachable(), "'" + step.id() + "' still waits: "
                    + outcome.message(), false, null);
            case INTERRUPTED -> throw new InterruptedException(outcome.message());
            case ABORTED -> throw new OperatorAbort(outcome.message());
            case FAILED -> throw StepFailure.permanent("'" + step.id() + "': " + outcome.message());
        };
    }

    /**
     * What it completed is undone with the rest of the child, by the child's own rollback when the
     * {@code runbook.run} step is compensated: nothing is left here to undo, and nothing is left as it is.
     */
    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    public void rollback(Params params, Change observed, Optional<Outputs> outputs, StepContext context) {
    }

    /** The runbook's {@code runbook.run} step that {@code params} names. */
    private static StepSpec runStep(Params params, Execution x) throws StepFailure {
        return x.runbook().flatSteps().stream()
                .filter(s -> s.id().equals(params.step()) && s.action().equals(RunbookLoader.RUN)).findFirst()
                .orElseThrow(() -> StepFailure.permanent("runbook '" + x.runbook().name() + "' has no "
                        + RunbookLoader.RUN + " step '" + params.step() + "' whose deferred steps to complete; its "
                        + RunbookLoader.RUN + " steps: " + String.join(", ", x.runbook().flatSteps().stream()
                        .filter(s -> s.action().equals(RunbookLoader.RUN)).map(StepSpec::id).toList())));
    }
}
