package dev.gafail.actions;

import dev.gafail.aws.EcsServices;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;

/**
 * {@code ecs.scale {region, desiredCount | to: active|warm}}: sets the region's service to a count,
 * then waits until its PRIMARY deployment's rollout is COMPLETED with as many tasks running as
 * desired. A FAILED rollout (the circuit breaker rolled back) is a failure, though ECS calls the
 * service stable again. {@code to: warm} is a fence: it is done once no more than the warm count run,
 * so that a region whose tasks cannot start (drained, lost) is fenced without waiting for it to recover.
 * Rollback restores the count found.
 */
public final class EcsScale extends TargetedAction<EcsScale.Params, EcsScale.Outputs> {

    /** What plan found: the service's desired count before the change, which rollback restores. */
    public record Observed(int desiredCount) {
    }

    public record Params(String region, Integer desiredCount, String to) {
    }

    /** @param previousCount the desired count apply found */
    public record Outputs(String region, int desiredCount, int previousCount) {
    }

    private static final Duration LIMIT = Duration.ofMinutes(15);

    public EcsScale(Supplier<Target> target) {
        super("ecs.scale", Params.class, Outputs.class, false, List.of("ecs:DescribeServices", "ecs:UpdateService"), """
                {"type": "object", "additionalProperties": false, "required": ["region"],
                 "oneOf": [{"required": ["desiredCount"]}, {"required": ["to"]}],
                 "properties": {
                   "region": {"type": "string", "minLength": 1},
                   "desiredCount": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 5000},
                                              {"$ref": "#/$defs/expression"}]},
                   "to": {"enum": ["active", "warm"], "description": "the topology's activeCount or warmCount"}}}""",
                target);
    }

    private static int desired(Params params, Region region) {
        if (params.desiredCount() != null) {
            return params.desiredCount();
        }
        return "active".equals(params.to()) ? region.ecs().activeCount() : region.ecs().warmCount();
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Region region = target.region(params.region());
        EcsServices.State state = target.ecs().describe(region);
        int desired = desired(params, region);
        String current = region.name() + " " + region.ecs().service() + ": " + state.summary();
        Change change = settled(params, state, desired) ? Change.alreadyDone(current)
                : Change.to(current, region.name() + " " + region.ecs().service() + ": desired " + desired
                        + ", UpdateService desiredCount " + state.desired() + " -> " + desired);
        return change.observing(new Observed(state.desired()));
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Region region = target.region(params.region());
        int desired = desired(params, region);
        EcsServices.State state = target.ecs().describe(region);
        if (state.desired() != desired) {
            target.ecs().setDesired(region, desired);
        }
        return new Outputs(region.name(), desired, state.desired());
    }

    @Override
    public void await(Params params, StepContext context) throws StepFailure, InterruptedException {
        Target target = target();
        Region region = target.region(params.region());
        int desired = desired(params, region);
        awaitSteady(target, region, desired, context, state -> settled(params, state, desired));
    }

    /** Done: steady at the count, or, for a fence, no more tasks than it running. */
    private static boolean settled(Params params, EcsServices.State state, int desired) {
        return "warm".equals(params.to()) ? state.fencedAt(desired) : state.steadyAt(desired);
    }

    /** Waits until {@code done} holds of the service, failing on a FAILED or replaced deployment. */
    private static void awaitSteady(Target target, Region region, int desired, StepContext context,
                                    Predicate<EcsServices.State> done) throws StepFailure, InterruptedException {
        String primary = target.ecs().describe(region).primary().map(EcsServices.Rollout::id).orElse(null);
        Poll.until(context, target.pollInterval(), LIMIT, region.name() + " service at " + desired, () -> {
            EcsServices.State state = target.ecs().describe(region);
            for (EcsServices.Rollout d : state.deployments()) {
                if (d.rollout() == DeploymentRolloutState.FAILED && (d.id().equals(primary) || d.primary())) {
                    throw StepFailure.permanent(region.name() + " deployment " + d.id() + " FAILED"
                            + (d.reason() == null ? "" : ": " + d.reason()) + " (the circuit breaker rolls it back)");
                }
            }
            String now = state.primary().map(EcsServices.Rollout::id).orElse(null);
            if (primary != null && now != null && !primary.equals(now)) {
                throw StepFailure.permanent(region.name() + " deployment " + primary + " was replaced by " + now
                        + " while scaling (rolled back, or someone deployed)");
            }
            return done.test(state) ? Optional.empty() : Optional.of(state.summary());
        });
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    public void rollback(Params params, Change observed, Optional<Outputs> outputs, StepContext context)
            throws StepFailure, InterruptedException {
        Optional<Observed> found = observed == null ? Optional.empty() : observed.observedAs(Observed.class);
        if (found.isEmpty()) {
            return;
        }
        Target target = target();
        Region region = target.region(params.region());
        int previous = found.get().desiredCount();
        if (target.ecs().describe(region).desired() != previous) {
            target.ecs().setDesired(region, previous);
        }
        awaitSteady(target, region, previous, context, state -> state.steadyAt(previous));
    }
}
