package dev.gafail.actions;

import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code aurora.failover {to, allowDataLoss: true}}: the unplanned move of the writer, when the
 * primary's region is lost (FailoverGlobalCluster with AllowDataLoss, sent to the target's region).
 * What the old primary had not replicated is lost; the lag measured at the decision says how much
 * time that was. There is no rollback: going back would lose more. Once the target writes, the
 * step shows what RDS reported about the failover (in the lab: every lost transaction).
 */
public final class AuroraFailover extends AuroraWriterChange<AuroraFailover.Params> {

    public record Params(String to, boolean allowDataLoss) implements Writer {
    }

    public AuroraFailover(Supplier<Target> target) {
        super("aurora.failover", Params.class, List.of("rds:DescribeGlobalClusters", "rds:FailoverGlobalCluster",
                "rds:DescribeEvents", "cloudwatch:GetMetricData"), """
                {"type": "object", "additionalProperties": false, "required": ["to", "allowDataLoss"],
                 "properties": {"to": {"type": "string", "minLength": 1},
                                "allowDataLoss": {"anyOf": [{"const": true}, {"$ref": "#/$defs/expression"}],
                                                  "description": "must be true: this failover may lose data"}}}""",
                target);
    }

    @Override
    String operation() {
        return "FailoverGlobalCluster (AllowDataLoss)";
    }

    @Override
    void start(Params params, Target target, Region from, Region to, StepContext context) throws StepFailure {
        if (!params.allowDataLoss()) {
            throw StepFailure.permanent("refusing an unplanned failover without allowDataLoss: it may lose"
                    + " acknowledged writes (gafail failover --mode unplanned --allow-data-loss)");
        }
        target.database().failover(to.awsRegion(), to.dbClusterArn());
        // What AWS keeps of the old writer; an emulator (the lab) keeps no such snapshot.
        if (from != null && !target.aws().offline()) {
            context.notice("the writes " + from.dbClusterId() + " had not replicated are not in " + to.dbClusterId()
                    + ": when " + from.name() + " returns, Aurora attempts a snapshot of the old primary named"
                    + " rds:unplanned-global-failover-" + from.dbClusterId() + "-<timestamp> (in " + from.awsRegion()
                    + ", kept only for its backup retention: copy it), from which lost writes can be recovered"
                    + " (docs/OPERATIONS.md, Lost writes)");
        }
    }

    @Override
    public void await(Params params, StepContext context) throws StepFailure, InterruptedException {
        Instant since = context.clock().instant();
        super.await(params, context);
        Target target = target();
        Region to = target.region(params.to());
        try {
            target.database().events(to.awsRegion(), to.dbClusterId(), since)
                    .forEach(message -> context.notice(to.dbClusterId() + ": " + message));
        } catch (StepFailure e) {
            context.notice(to.dbClusterId() + " writes, but its RDS events could not be read (" + e.getMessage()
                    + "); read them in the RDS console to see what the failover reported");
        }
    }
}
