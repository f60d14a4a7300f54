package dev.gafail.actions;

import dev.gafail.engine.AbstractAction;
import java.util.List;
import java.util.function.Supplier;

/**
 * A step type that acts on the topology. Its {@link Target} is resolved only when a step runs, so
 * that validating a runbook needs no topology and no credentials.
 */
public abstract class TargetedAction<P, O extends Record> extends AbstractAction<P, O> {

    private final Supplier<Target> target;

    protected TargetedAction(String name, Class<P> parameterType, Class<O> outputType, boolean readOnly,
                             List<String> iamActions, String parameterSchema, Supplier<Target> target) {
        super(name, parameterType, outputType, readOnly, iamActions, parameterSchema);
        this.target = target;
    }

    protected Target target() {
        return target.get();
    }
}
