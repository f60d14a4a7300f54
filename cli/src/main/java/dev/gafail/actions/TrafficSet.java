package dev.gafail.actions;

import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unreachable;
import dev.gafail.topology.Region;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.node.StringNode;

/**
 * {@code traffic.set {region, dial, allowFullDrain}}: sets one endpoint group's traffic dial
 * (UpdateEndpointGroup TrafficDialPercentage), after the accelerator is DEPLOYED, and waits until it
 * is DEPLOYED again and the dial reads back. Refuses to leave every region at 0 unless
 * {@code allowFullDrain: true}. Rollback restores the dial it found.
 *
 * <p>When the accelerator's control plane does not answer and the runbook defers the step
 * ({@code onUnreachable: defer}), a dial that should rise is first checked through the data plane:
 * the accelerator routes around a region with no healthy endpoint even to a group at dial 0, so
 * clients may already reach this region. Only once they do is the dial change deferred.
 */
public final class TrafficSet extends TargetedAction<TrafficSet.Params, TrafficSet.Outputs> {

    public record Params(String region, int dial, boolean allowFullDrain) {
    }

    public record Outputs(String region, int dial) {
    }

    /** Answers in a row from the region through the accelerator that show the data plane routes there. */
    private static final int DATA_PLANE_SUCCESSES = 3;

    public TrafficSet(Supplier<Target> target) {
        super("traffic.set", Params.class, Outputs.class, false, TrafficShift.IAM_ACTIONS, """
                {"type": "object", "additionalProperties": false, "required": ["region", "dial"],
                 "properties": {
                   "region": {"type": "string", "minLength": 1},
                   "dial": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 100}, {"$ref": "#/$defs/expression"}]},
                   "allowFullDrain": {"$ref": "#/$defs/boolOrExpression"}}}""", target);
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Region region = target.region(params.region());
        checkDial(params.dial());
        Map<String, Integer> dials;
        try {
            dials = Dials.read(target);
        } catch (Unreachable controlPlane) {
            if (!dataPlaneMayStandIn(params, context)) {
                throw controlPlane;
            }
            // Apply checks the data plane before it defers; the plan says so.
            return Change.to("dials unknown (" + controlPlane.getMessage() + ")", region.name() + " "
                    + params.dial() + "%, or deferred once clients reach " + region.name()
                    + " through the accelerator's data plane");
        }
        Map<String, Integer> after = new LinkedHashMap<>(dials);
        after.put(region.name(), params.dial());
        Change change = dials.get(region.name()) == params.dial() ? Change.alreadyDone(Dials.show(dials))
                : Change.to(Dials.show(dials), Dials.show(after) + " (UpdateEndpointGroup " + region.name() + " "
                        + dials.get(region.name()) + " -> " + params.dial() + ")");
        if (!change.done()) {
            Dials.guardDrain(after, params.allowFullDrain());
        }
        return change.observing(new TrafficShift.Observed(dials));
    }

    /**
     * Whether, without the control plane, the data plane can stand in for this change until reconcile:
     * only when the runbook defers the step, and only for a dial that rises (one that falls just waits).
     */
    private static boolean dataPlaneMayStandIn(Params params, StepContext context) {
        return context.defersUnreachable() && params.dial() > 0;
    }

    static void checkDial(int dial) throws StepFailure {
        if (dial < 0 || dial > 100) {
            throw StepFailure.permanent("dial " + dial + " is not between 0 and 100");
        }
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException {
        Target target = target();
        Region region = target.region(params.region());
        checkDial(params.dial());
        try {
            Map<String, Integer> after = new LinkedHashMap<>(Dials.read(target));
            after.put(region.name(), params.dial());
            Dials.guardDrain(after, params.allowFullDrain());
            Dials.set(target, context, region, params.dial());
        } catch (Unreachable controlPlane) {
            if (!dataPlaneMayStandIn(params, context)) {
                throw controlPlane;
            }
            HttpProbe.Outputs reached = new HttpProbe(() -> target).apply(new HttpProbe.Params(
                    target.topology().endpoint().toString().replaceAll("/+$", "") + "/healthz", null, 200,
                    Map.of("region", StringNode.valueOf(region.name())), DATA_PLANE_SUCCESSES, target.pollInterval(),
                    null, null, null), context);
            throw new Unreachable(controlPlane.api(), controlPlane.getMessage() + "; clients reach " + region.name()
                    + " through the accelerator's data plane (HTTP " + reached.status() + " from " + region.name() + " "
                    + DATA_PLANE_SUCCESSES + " times in a row), so the dial change waits", false, controlPlane);
        }
        return new Outputs(region.name(), params.dial());
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    public void rollback(Params params, Change observed, Optional<Outputs> outputs, StepContext context)
            throws StepFailure, InterruptedException {
        TrafficShift.restore(target(), context, observed);
    }
}
