package dev.gafail.actions;

import dev.gafail.aws.Telemetry;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * {@code aurora.lag {region, max}}: the region's secondary cluster replicates within {@code max}
 * ({@code AuroraGlobalDBRPOLag}, milliseconds, from CloudWatch in that region). No datapoint in the
 * last five minutes means the lag is unknown, which fails the check: it is never read as zero.
 */
public final class AuroraLag extends CheckAction<AuroraLag.Params, AuroraLag.Outputs> {

    public record Params(String region, Duration max) {
    }

    /** @param lagMs the replication lag seen, in milliseconds */
    public record Outputs(long lagMs) {
    }

    public AuroraLag(Supplier<Target> target) {
        super("aurora.lag", Params.class, Outputs.class, List.of("cloudwatch:GetMetricData"), """
                {"type": "object", "additionalProperties": false, "required": ["region", "max"],
                 "properties": {"region": {"type": "string", "minLength": 1},
                                "max": {"$ref": "#/$defs/durationOrExpression"}}}""", target);
    }

    @Override
    String expectation(Params params) {
        return "lag <= " + Durations.format(params.max());
    }

    @Override
    Verdict<Outputs> evaluate(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Region region = target.region(params.region());
        OptionalDouble lag = lagMillis(target, region);
        if (lag.isEmpty()) {
            return Verdict.unknown("no AuroraGlobalDBRPOLag datapoint for " + region.dbClusterId() + " in the last "
                    + Telemetry.WINDOW.toMinutes() + "m: replication lag unknown");
        }
        long millis = Math.round(lag.getAsDouble());
        String seen = "lag " + millis + " ms";
        return millis <= params.max().toMillis() ? Verdict.holds(seen, new Outputs(millis))
                : Verdict.fails(region.name() + " " + seen + ", more than " + Durations.format(params.max()));
    }

    /** The secondary's replication lag, or empty when CloudWatch has no recent datapoint. */
    static OptionalDouble lagMillis(Target target, Region secondary) throws StepFailure {
        return target.telemetry().latest(secondary.awsRegion(), Telemetry.rpoLag(secondary));
    }
}
