package dev.gafail.actions;

import dev.gafail.engine.AbstractAction;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import java.util.List;

/**
 * {@code control.assert {that, message}}: a check. {@code that} is usually an expression; with
 * {@code retry}, it is evaluated afresh on each attempt, so a check can wait for a state to converge.
 */
public final class ControlAssert extends AbstractAction<ControlAssert.Params, ControlAssert.Outputs> {

    /** @param that the condition; @param message what it means when it does not hold */
    public record Params(boolean that, String message) {
    }

    /** @param holds always true: an assertion that does not hold fails the step */
    public record Outputs(boolean holds) {
    }

    public ControlAssert() {
        super("control.assert", Params.class, Outputs.class, true, List.of(), """
                        {"type": "object", "additionalProperties": false, "required": ["that"],
                         "properties": {"that": {"$ref": "#/$defs/boolOrExpression"},
                                        "message": {"type": "string", "maxLength": 500}}}""");
    }

    @Override
    public Change plan(Params params, StepContext context) {
        return params.that() ? Change.alreadyDone("holds") : Change.to("does not hold", "holds");
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure {
        if (!params.that()) {
            throw StepFailure.transientFailure(params.message() == null ? "assertion does not hold"
                    : params.message());
        }
        return new Outputs(true);
    }
}
