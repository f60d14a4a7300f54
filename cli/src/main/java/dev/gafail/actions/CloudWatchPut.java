package dev.gafail.actions;

import dev.gafail.aws.Telemetry;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code cloudwatch.put {region, namespace, metrics: [{name, value, unit, dimensions}]}}: publishes
 * values, e.g. a drill's measured RTO and RPO, so that dashboards keep the history.
 */
public final class CloudWatchPut extends TargetedAction<CloudWatchPut.Params, CloudWatchPut.Outputs> {

    public record Params(String region, String namespace, List<Telemetry.Datum> metrics) {
    }

    /** @param published how many metrics were sent */
    public record Outputs(int published) {
    }

    public CloudWatchPut(Supplier<Target> target) {
        super("cloudwatch.put", Params.class, Outputs.class, false, List.of("cloudwatch:PutMetricData"), """
                {"type": "object", "additionalProperties": false, "required": ["region", "namespace", "metrics"],
                 "properties": {
                   "region": {"type": "string", "minLength": 1},
                   "namespace": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^:]",
                                 "description": "a namespace that does not start with ':'"},
                   "metrics": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {
                     "type": "object", "additionalProperties": false, "required": ["name", "value"],
                     "properties": {
                       "name": {"type": "string", "minLength": 1, "maxLength": 255},
                       "value": {"anyOf": [{"type": "number"}, {"$ref": "#/$defs/expression"}]},
                       "unit": {"enum": ["Seconds", "Milliseconds", "Microseconds", "Count", "Percent", "None",
                                         "Count/Second", "Bytes"]},
                       "dimensions": {"type": "object", "additionalProperties": {"type": "string"}}}}}}}""", target);
    }

    @Override
    public Change plan(Params params, StepContext context) {
        return Change.to("-", "published " + params.metrics().size() + " metric(s) to " + params.namespace()
                + " in " + params.region());
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure {
        Target target = target();
        target.telemetry().put(target.region(params.region()).awsRegion(), params.namespace(), params.metrics());
        return new Outputs(params.metrics().size());
    }
}
