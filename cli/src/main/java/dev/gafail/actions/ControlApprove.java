package dev.gafail.actions;

import dev.gafail.engine.AbstractAction;
import dev.gafail.engine.Change;
import dev.gafail.engine.OperatorAbort;
import dev.gafail.engine.StepContext;
import java.util.List;

/**
 * {@code control.approve {message}}: asks the operator before going on. {@code --yes} answers for
 * them; with no terminal and no {@code --yes} it refuses, and the execution stops with exit 4.
 */
public final class ControlApprove extends AbstractAction<ControlApprove.Params, ControlApprove.Outputs> {

    /** @param message the question, e.g. "Traffic is at 10% in region-b; go to 100%?" */
    public record Params(String message) {
    }

    /** @param approvedBy the operator who said yes */
    public record Outputs(String approvedBy) {
    }

    public ControlApprove() {
        super("control.approve", Params.class, Outputs.class, true, List.of(), """
                        {"type": "object", "additionalProperties": false, "required": ["message"],
                         "properties": {"message": {"type": "string", "minLength": 1, "maxLength": 500}}}""");
    }

    @Override
    public Change plan(Params params, StepContext context) {
        return Change.to("not approved", "approved: " + params.message());
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws OperatorAbort {
        context.operator().approve(params.message());
        return new Outputs(context.operator().name());
    }
}
