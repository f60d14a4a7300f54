package dev.gafail.actions;

import dev.gafail.aws.AuroraCluster;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code aurora.delete-restore {region, name}}: deletes a scratch cluster that {@code aurora.restore} made in the
 * region, its instance first, and waits until RDS no longer has it. Done when there is none by that name.
 */
public final class AuroraDeleteRestore extends TargetedAction<AuroraDeleteRestore.Params, AuroraDeleteRestore.Outputs> {

    /** @param name the scratch cluster; default the execution's own, as {@code aurora.restore} names it */
    public record Params(String region, String name) {
    }

    public record Outputs(String region, String cluster, Instant deletedAt) {
    }

    public AuroraDeleteRestore(Supplier<Target> target) {
        super("aurora.delete-restore", Params.class, Outputs.class, false, List.of("rds:DescribeDBClusters",
                "rds:DescribeDBInstances", "rds:DeleteDBInstance", "rds:DeleteDBCluster"), """
                {"type": "object", "additionalProperties": false, "required": ["region"],
                 "properties": {
                   "region": {"type": "string", "minLength": 1, "description": "the region whose cluster was restored"},
                   "name": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9-]{0,59}[A-Za-z0-9]$",
                            "description": "the scratch cluster; default gafail-restore-EXECUTION"}}}""",
                target);
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        Target target = target();
        ScratchCluster scratch = scratch(target, params, context);
        Optional<AuroraCluster> found = scratch.own(target, context);
        if (found.isEmpty()) {
            return Change.alreadyDone("no scratch cluster " + scratch.name());
        }
        return Change.to("scratch cluster " + scratch.name() + " " + found.get().status() + " with "
                + found.get().instances().size() + " instance(s)", "deleted, its instance first");
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException {
        Target target = target();
        ScratchCluster scratch = scratch(target, params, context);
        scratch.remove(target, context);
        return new Outputs(params.region(), scratch.name(), context.clock().instant());
    }

    private static ScratchCluster scratch(Target target, Params params, StepContext context) throws StepFailure {
        Region region = target.region(params.region());
        return ScratchCluster.of(region.awsRegion(), params.name(), context);
    }
}
