package dev.gafail.actions;

import dev.gafail.aws.GlobalDatabase;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code aurora.switchover {to}}: the planned move of the writer (SwitchoverGlobalCluster, sent to
 * the current primary's region): Aurora waits until the secondary has everything, so no
 * acknowledged write is lost. Rollback switches back to the writer found.
 */
public final class AuroraSwitchover extends AuroraWriterChange<AuroraSwitchover.Params> {

    public record Params(String to) implements Writer {
    }

    public AuroraSwitchover(Supplier<Target> target) {
        super("aurora.switchover", Params.class, List.of("rds:DescribeGlobalClusters", "rds:SwitchoverGlobalCluster",
                "cloudwatch:GetMetricData"), """
                {"type": "object", "additionalProperties": false, "required": ["to"],
                 "properties": {"to": {"type": "string", "minLength": 1}}}""", target);
    }

    @Override
    String operation() {
        return "SwitchoverGlobalCluster";
    }

    @Override
    void start(Params params, Target target, Region from, Region to, StepContext context) throws StepFailure {
        if (from == null) {
            throw StepFailure.permanent("the global database has no writer to switch over from; an unplanned"
                    + " failover (aurora.failover) is what remains");
        }
        target.database().switchover(from.awsRegion(), to.dbClusterArn());
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    public void rollback(Params params, Change observed, Optional<Outputs> outputs, StepContext context)
            throws StepFailure, InterruptedException {
        Optional<Observed> writer = observed == null ? Optional.empty() : observed.observedAs(Observed.class);
        if (writer.isEmpty()) {
            return;
        }
        Target target = target();
        Region back = target.region(writer.get().writer());
        Region to = target.region(params.to());
        // A switchover still in flight must end before the way back can start.
        awaitSettled(target, context, to, back);
        if (!target.database().describe(back.awsRegion()).settledOn(back.dbClusterArn())) {
            target.database().switchover(to.awsRegion(), back.dbClusterArn());
        }
        awaitWriter(target, context, back);
    }

    private static void awaitSettled(Target target, StepContext context, Region to, Region back)
            throws StepFailure, InterruptedException {
        Poll.until(context, target.pollInterval(), LIMIT, "the switchover to " + to.name() + " to settle", () -> {
            GlobalDatabase.State state = target.database().describe(back.awsRegion());
            return state.transition().isEmpty() ? Optional.empty()
                    : Optional.of(describe(target, state));
        });
    }
}
