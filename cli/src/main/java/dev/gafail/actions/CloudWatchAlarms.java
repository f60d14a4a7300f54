package dev.gafail.actions;

import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * {@code cloudwatch.alarms {names | prefix, state, regions}}: the alarms (by default the topology's
 * {@code alarms}) are all in {@code state} (default OK) in every region checked. An alarm that
 * does not exist in one of them, or has INSUFFICIENT_DATA, means "cannot tell", never OK.
 */
public final class CloudWatchAlarms extends CheckAction<CloudWatchAlarms.Params, CloudWatchAlarms.Outputs> {

    public record Params(List<String> names, String prefix, String state, List<String> regions) {

        String wanted() {
            return state == null ? "OK" : state;
        }
    }

    /** @param alarms {@code region/alarm} to its state, in the order read */
    public record Outputs(Map<String, String> alarms) {

        public Outputs {
            alarms = Collections.unmodifiableMap(new LinkedHashMap<>(alarms));
        }
    }

    public CloudWatchAlarms(Supplier<Target> target) {
        super("cloudwatch.alarms", Params.class, Outputs.class, List.of("cloudwatch:DescribeAlarms"), """
                {"type": "object", "additionalProperties": false,
                 "not": {"required": ["names", "prefix"]},
                 "properties": {
                   "names": {"anyOf": [{"type": "array", "items": {"type": "string", "minLength": 1}, "maxItems": 100},
                             {"$ref": "#/$defs/expression"}]},
                   "prefix": {"type": "string", "minLength": 1},
                   "state": {"enum": ["OK", "ALARM"]},
                   "regions": {"type": "array", "items": {"type": "string", "minLength": 1}}}}""", target);
    }

    @Override
    String expectation(Params params) {
        return "every alarm " + params.wanted();
    }

    @Override
    Verdict<Outputs> evaluate(Params params, StepContext context) throws StepFailure {
        Target target = target();
        List<String> names = params.names() != null ? params.names() : target.topology().alarms();
        if (params.prefix() == null && names.isEmpty()) {
            // No alarm is OK vacuously, but none can be seen firing: a drill's detection must not pass unseen.
            return "ALARM".equals(params.wanted()) ? Verdict.unknown("no alarms configured to watch for ALARM")
                    : Verdict.holds("no alarms configured", new Outputs(Map.of()));
        }
        List<Region> regions = new ArrayList<>();
        for (String name : params.regions() != null ? params.regions() : List.copyOf(target.topology().regions().keySet())) {
            regions.add(target.region(name));
        }
        Map<String, String> states = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Region region : regions) {
            Map<String, String> found = target.telemetry().alarms(region.awsRegion(), names, params.prefix());
            found.forEach((alarm, state) -> states.put(region.name() + "/" + alarm, state));
            // An alarm missing in a region watches nothing there: that is "cannot tell", never OK.
            if (params.prefix() == null) {
                names.stream().filter(n -> !found.containsKey(n))
                        .forEach(n -> unknown.add("alarm " + n + " does not exist in " + region.name()));
            } else if (found.isEmpty()) {
                unknown.add("no alarm's name starts with " + params.prefix() + " in " + region.name());
            }
        }
        StateValue wanted = StateValue.fromValue(params.wanted());
        List<String> off = new ArrayList<>();
        states.forEach((alarm, state) -> {
            if (StateValue.fromValue(state) == StateValue.INSUFFICIENT_DATA) {
                unknown.add(alarm + " has insufficient data");
            } else if (StateValue.fromValue(state) != wanted) {
                off.add(alarm + " is " + state);
            }
        });
        if (!off.isEmpty()) {
            return Verdict.fails(String.join("; ", off));
        }
        if (!unknown.isEmpty()) {
            return Verdict.unknown(String.join("; ", unknown));
        }
        return Verdict.holds(states.size() + " alarm(s) " + params.wanted(), new Outputs(states));
    }
}
