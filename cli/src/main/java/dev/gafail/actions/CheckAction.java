package dev.gafail.actions;

import dev.gafail.engine.Change;
import dev.gafail.engine.Json;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * A read-only step type that evaluates a condition: as a precondition, a verification, a step, or
 * an {@code abortIf} of {@code traffic.shift}. A check that fails or cannot tell fails the step
 * retryably, so {@code retry} makes it wait for a state to converge.
 */
abstract class CheckAction<P, O extends Record> extends TargetedAction<P, O> {

    protected CheckAction(String name, Class<P> parameterType, Class<O> outputType, List<String> iamActions,
                          String parameterSchema, Supplier<Target> target) {
        super(name, parameterType, outputType, true, iamActions, parameterSchema, target);
    }

    /** One observation of the condition. */
    abstract Verdict<O> evaluate(P params, StepContext context) throws StepFailure, InterruptedException;

    /** This check with its parameters bound from {@code with} (as {@code abortIf} gives them), once. */
    Bound<P> bind(ObjectNode with) throws StepFailure {
        try {
            return new Bound<>(this, Json.MAPPER.treeToValue(with, parameterType()));
        } catch (RuntimeException e) {
            throw StepFailure.permanent("parameters of " + name() + " do not fit: " + Json.mismatch(e));
        }
    }

    /** A check and its typed parameters, ready to observe as often as needed. */
    record Bound<P>(CheckAction<P, ?> check, P params) {

        Verdict<?> evaluate(StepContext context) throws StepFailure, InterruptedException {
            return check.evaluate(params, context);
        }

        String name() {
            return check.name();
        }
    }

    /** What holding looks like, for the plan's "current -> desired". */
    abstract String expectation(P params);

    @Override
    public Change plan(P params, StepContext context) throws StepFailure, InterruptedException {
        Verdict<O> verdict = evaluate(params, context);
        return verdict.holds() ? Change.alreadyDone(verdict.detail())
                : Change.to(verdict.detail(), expectation(params));
    }

    @Override
    public O apply(P params, StepContext context) throws StepFailure, InterruptedException {
        return require(evaluate(params, context));
    }

    static <O extends Record> O require(Verdict<O> verdict) throws StepFailure {
        if (!verdict.holds()) {
            throw StepFailure.transientFailure((verdict.kind() == Verdict.Kind.UNKNOWN ? "cannot tell: " : "")
                    + verdict.detail());
        }
        return verdict.outputs().orElseThrow();
    }
}
