package dev.gafail.engine;

import java.util.List;
import java.util.Optional;

/**
 * A step type: the contract of DESIGN.md. One class each, registered by name in {@link ActionRegistry}.
 *
 * @param <P> the typed parameters, bound from the step's evaluated {@code with}
 * @param <O> what {@code apply} outputs; its JSON form is journalled and read as {@code steps.ID.outputs.NAME}
 */
public interface Action<P, O extends Record> {

    /** The name runbooks use, e.g. {@code control.wait}. */
    String name();

    Class<P> parameterType();

    /** The record {@code apply} returns; the engine reads journalled outputs back as this type. */
    Class<O> outputType();

    /** JSON Schema (draft 2020-12) of {@code with}; it becomes part of the runbook schema. */
    String parameterSchema();

    /** The IAM actions the step calls, for {@code gafail iam-policy}. */
    List<String> iamActions();

    /** True when the step never changes anything; only such steps may be preconditions or checks. */
    default boolean readOnly() {
        return false;
    }

    /** Observes live state, read-only, and says what {@code apply} would change, or that it is already done. */
    Change plan(P params, StepContext context) throws StepFailure, InterruptedException;

    /**
     * Makes the change. Convergent: re-reads state and does only what is still missing, so running it
     * twice, or after a crash, never repeats a destructive action.
     *
     * @return what later steps read as {@code steps.ID.outputs.NAME}, one per record component
     */
    O apply(P params, StepContext context) throws StepFailure, InterruptedException, OperatorAbort;

    /** Waits until the change has taken effect; bounded by {@link StepContext#deadline()}. */
    default void await(P params, StepContext context) throws StepFailure, InterruptedException {
    }

    /**
     * Whether a completed step of this type leaves something running in this process that later steps
     * use (a synthetic user load, kept in {@link StepContext#residents()}): the engine then calls
     * {@link #restart} for it when the execution continues in another process.
     */
    default boolean resident() {
        return false;
    }

    /**
     * Called when {@code gafail resume} continues the execution in a new process, for each completed
     * step of a {@link #resident} type, in the runbook's order, before any other step runs: starts again
     * here what the step left running in the process that died, from its parameters and its journalled
     * outputs. A type that ends such a thing (load.stop) ends it again. Changes nothing outside the process.
     */
    default void restart(P params, O outputs, StepContext context) throws StepFailure, InterruptedException {
    }

    /** Whether {@link #rollback} compensates this step. */
    default boolean compensable() {
        return false;
    }

    /**
     * Undoes the step, convergently, from the state {@code plan} observed before the change and
     * the outputs of {@code apply} (empty if apply never returned), typed as they were, whether apply
     * just ran or a resumed execution read them from the journal.
     */
    default void rollback(P params, Change observed, Optional<O> outputs, StepContext context)
            throws StepFailure, InterruptedException {
    }
}
