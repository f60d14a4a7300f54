package dev.gafail.actions;

import dev.gafail.engine.AbstractAction;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code control.wait {duration}}: holds the runbook for a while, e.g. to let traffic settle. */
public final class ControlWait extends AbstractAction<ControlWait.Params, ControlWait.Outputs> {

    /** @param duration how long to wait */
    public record Params(Duration duration) {
    }

    /** @param duration how long it waited (in runbook syntax, e.g. {@code 1m}, as every duration in JSON) */
    public record Outputs(Duration duration) {
    }

    private static final Duration TICK = Duration.ofSeconds(1);

    public ControlWait() {
        super("control.wait", Params.class, Outputs.class, true, List.of(), """
                        {"type": "object", "additionalProperties": false, "required": ["duration"],
                         "properties": {"duration": {"$ref": "#/$defs/durationOrExpression"}}}""");
    }

    @Override
    public Change plan(Params params, StepContext context) {
        return Change.to("-", "waited " + Durations.format(params.duration()));
    }

    @Override
    public Outputs apply(Params params, StepContext context) {
        return new Outputs(params.duration());
    }

    @Override
    public void await(Params params, StepContext context) throws InterruptedException {
        Instant end = context.clock().instant().plus(params.duration());
        for (Duration left = params.duration(); !left.isNegative() && !left.isZero();
             left = Duration.between(context.clock().instant(), end)) {
            context.progress("waiting " + Durations.human(params.duration().minus(left)) + " of "
                    + Durations.format(params.duration()));
            context.sleep(left.compareTo(TICK) < 0 ? left : TICK);
        }
    }
}
