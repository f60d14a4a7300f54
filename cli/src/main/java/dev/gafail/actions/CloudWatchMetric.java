package dev.gafail.actions;

import dev.gafail.aws.Telemetry;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * {@code cloudwatch.metric {region, namespace, name, dimensions, stat, period, threshold, comparison}}:
 * the newest datapoint of the last five minutes compares to {@code threshold} as
 * {@code comparison} says (CloudWatch's names); no datapoint means "cannot tell".
 */
public final class CloudWatchMetric extends CheckAction<CloudWatchMetric.Params, CloudWatchMetric.Outputs> {

    public record Params(String region, String namespace, String name, Map<String, String> dimensions, String stat,
                         Duration period, Double threshold, String comparison) {

        Telemetry.Metric metric() {
            return new Telemetry.Metric(namespace, name, dimensions, stat == null ? "Average" : stat,
                    period == null ? Duration.ofMinutes(1) : period);
        }
    }

    /** @param value the newest datapoint */
    public record Outputs(double value) {
    }

    private static final Map<String, String> SYMBOLS = Map.of("GreaterThanThreshold", ">",
            "GreaterThanOrEqualToThreshold", ">=", "LessThanThreshold", "<", "LessThanOrEqualToThreshold", "<=");

    public CloudWatchMetric(Supplier<Target> target) {
        super("cloudwatch.metric", Params.class, Outputs.class, List.of("cloudwatch:GetMetricData"), """
                {"type": "object", "additionalProperties": false,
                 "required": ["region", "namespace", "name", "threshold", "comparison"],
                 "properties": {
                   "region": {"type": "string", "minLength": 1},
                   "namespace": {"type": "string", "minLength": 1, "maxLength": 255},
                   "name": {"type": "string", "minLength": 1, "maxLength": 255},
                   "dimensions": {"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 30},
                   "stat": {"type": "string", "pattern": "^(Average|Sum|Minimum|Maximum|SampleCount|p\\\\d{1,2}(\\\\.\\\\d+)?)$",
                            "description": "Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p95"},
                   "period": {"$ref": "#/$defs/durationOrExpression"},
                   "threshold": {"anyOf": [{"type": "number"}, {"$ref": "#/$defs/expression"}]},
                   "comparison": {"enum": ["GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
                                           "LessThanThreshold", "LessThanOrEqualToThreshold"]}}}""", target);
    }

    @Override
    String expectation(Params params) {
        return params.name() + " " + SYMBOLS.get(params.comparison()) + " " + params.threshold();
    }

    @Override
    Verdict<Outputs> evaluate(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Telemetry.Metric metric = params.metric();
        OptionalDouble value = target.telemetry().latest(target.region(params.region()).awsRegion(), metric);
        if (value.isEmpty()) {
            return Verdict.unknown("no datapoint of " + metric.describe() + " in the last "
                    + Telemetry.WINDOW.toMinutes() + "m");
        }
        double v = value.getAsDouble();
        double t = params.threshold();
        boolean holds = switch (params.comparison()) {
            case "GreaterThanThreshold" -> v > t;
            case "GreaterThanOrEqualToThreshold" -> v >= t;
            case "LessThanThreshold" -> v < t;
            default -> v <= t;
        };
        String seen = params.name() + " = " + v;
        return holds ? Verdict.holds(seen, new Outputs(v)) : Verdict.fails(seen + ", expected "
                + expectation(params));
    }
}
