package dev.gafail.actions;

import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code traffic.shift {to, stages, holdFor, abortIf}}: moves traffic to {@code to} in stages. The
 * target's dial goes to 100 first; at stage {@code p} the other region's dial is {@code 100 - p}, so
 * {@code p}% of the traffic it would take goes to the target. Between stages it holds for
 * {@code holdFor}, running the {@code abortIf} checks: one that fails aborts the shift (and the
 * engine rolls back), one that cannot tell (telemetry missing) stops the hold's clock until it can.
 * Rollback restores the dials found, raising before lowering.
 */
public final class TrafficShift extends TargetedAction<TrafficShift.Params, TrafficShift.Outputs> {

    static final List<String> IAM_ACTIONS = List.of("globalaccelerator:DescribeAccelerator",
            "globalaccelerator:DescribeEndpointGroup", "globalaccelerator:UpdateEndpointGroup");

    /** What plan found (here and in traffic.set): every region's dial before the change, which rollback restores. */
    public record Observed(Map<String, Integer> dials) {
    }

    public record Params(String to, List<Integer> stages, Duration holdFor, List<Conditions.Check> abortIf) {

        List<Integer> steps() {
            return stages == null ? List.of(10, 50, 100) : stages;
        }

        Duration hold() {
            return holdFor == null ? Duration.ZERO : holdFor;
        }

        List<Conditions.Check> checks() {
            return abortIf == null ? List.of() : abortIf;
        }
    }

    /**
     * @param dials   every region's dial at the end
     * @param seconds how long the shift took
     * @param stages  each stage as this run reached it: when, and every region's dial then (a report's chart)
     */
    public record Outputs(String to, Map<String, Integer> dials, long seconds, List<Stage> stages) {

        public Outputs {
            dials = Collections.unmodifiableMap(new LinkedHashMap<>(dials));
            // an execution journalled before stages were kept has none
            stages = stages == null ? List.of() : List.copyOf(stages);
        }
    }

    /** A stage reached at {@code at}, every region's dial then. */
    public record Stage(int percent, Instant at, Map<String, Integer> dials) {

        public Stage {
            dials = Collections.unmodifiableMap(new LinkedHashMap<>(dials));
        }
    }

    private final Conditions checks;

    public TrafficShift(Supplier<Target> target, Conditions checks) {
        super("traffic.shift", Params.class, Outputs.class, false, IAM_ACTIONS, """
                {"type": "object", "additionalProperties": false, "required": ["to"],
                 "properties": {
                   "to": {"type": "string", "minLength": 1},
                   "stages": {"type": "array", "minItems": 1, "maxItems": 20,
                              "items": {"type": "integer", "minimum": 1, "maximum": 100}},
                   "holdFor": {"$ref": "#/$defs/durationOrExpression"},
                   "abortIf": %s}}""".formatted(checks.schema()), target);
        this.checks = checks;
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Region to = target.region(params.to());
        checkStages(params.steps());
        checks.bind("abortIf", params.checks());
        Map<String, Integer> dials = Dials.read(target);
        Map<String, Integer> end = stage(target, to, params.steps().get(params.steps().size() - 1));
        StringBuilder path = new StringBuilder();
        for (int p : params.steps()) {
            path.append(path.isEmpty() ? "" : " -> ").append(p).append('%');
        }
        Change change = reached(dials, end) ? Change.alreadyDone(Dials.show(dials))
                : Change.to(Dials.show(dials), Dials.show(end) + " (UpdateEndpointGroup, stages " + path
                        + (params.hold().isZero() ? "" : ", holding " + Durations.format(params.hold())) + ")");
        return change.observing(new Observed(dials));
    }

    private static void checkStages(List<Integer> stages) throws StepFailure {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i) < 1 || stages.get(i) > 100 || i > 0 && stages.get(i) <= stages.get(i - 1)) {
                throw StepFailure.permanent("stages " + stages + " must rise, each between 1 and 100");
            }
        }
    }

    /** The dials at stage {@code percent}: the target at 100, every other region at 100 - percent. */
    private static Map<String, Integer> stage(Target target, Region to, int percent) {
        Map<String, Integer> dials = new LinkedHashMap<>();
        target.topology().regions().values().forEach(r -> dials.put(r.name(), r.equals(to) ? 100 : 100 - percent));
        return dials;
    }

    /** Whether the dials are at least as far along as {@code wanted}. */
    private static boolean reached(Map<String, Integer> dials, Map<String, Integer> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue() == 100 ? dials.get(e.getKey()) == 100
                : dials.get(e.getKey()) <= e.getValue());
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException {
        Target target = target();
        Region to = target.region(params.to());
        checkStages(params.steps());
        // Bound before any dial moves: an abortIf that cannot run stops the shift at 0%, not halfway.
        List<CheckAction.Bound<?>> abortIf = checks.bind("abortIf", params.checks());
        Instant start = context.clock().instant();
        List<Integer> stages = params.steps();
        List<Stage> reached = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            Map<String, Integer> wanted = stage(target, to, stages.get(i));
            Map<String, Integer> now = Dials.read(target);
            if (!reached(now, wanted)) {
                Dials.turn(target, context, wanted);
                now = wanted;
            }
            reached.add(new Stage(stages.get(i), context.clock().instant(), now));
            if (i < stages.size() - 1) {
                hold(params, abortIf, target, context, stages.get(i));
            }
        }
        long seconds = Duration.between(start, context.clock().instant()).toSeconds();
        return new Outputs(to.name(), Dials.read(target), seconds, reached);
    }

    private static void hold(Params params, List<CheckAction.Bound<?>> abortIf, Target target, StepContext context,
                             int percent) throws StepFailure, InterruptedException {
        Duration held = Duration.ZERO;
        Instant last = context.clock().instant();
        while (true) {
            List<String> unknown = new ArrayList<>();
            for (CheckAction.Bound<?> check : abortIf) {
                Verdict<?> verdict = check.evaluate(context);
                if (verdict.kind() == Verdict.Kind.FAILS) {
                    throw StepFailure.permanent("aborted at " + percent + "%: " + check.name() + ": "
                            + verdict.detail());
                }
                if (verdict.kind() == Verdict.Kind.UNKNOWN) {
                    unknown.add(check.name() + ": " + verdict.detail());
                }
            }
            Instant now = context.clock().instant();
            if (unknown.isEmpty()) {
                held = held.plus(Duration.between(last, now));
            }
            last = now;
            Duration left = params.hold().minus(held);
            if (left.isNegative() || left.isZero()) {
                return;
            }
            context.progress("holding at " + percent + "%: " + Durations.human(held) + " of "
                    + Durations.format(params.hold()) + (unknown.isEmpty() ? "" : " (the clock stopped: telemetry"
                    + " missing: " + String.join("; ", unknown) + ")"));
            Duration interval = target.pollInterval();
            context.sleep(left.compareTo(interval) < 0 ? left : interval);
        }
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    public void rollback(Params params, Change observed, Optional<Outputs> outputs, StepContext context)
            throws StepFailure, InterruptedException {
        restore(target(), context, observed);
    }

    /** Turns the dials back to those a step's plan found. */
    static void restore(Target target, StepContext context, Change observed) throws StepFailure, InterruptedException {
        Optional<Observed> found = observed == null ? Optional.empty() : observed.observedAs(Observed.class);
        if (found.isPresent()) {
            Dials.turn(target, context, found.get().dials());
        }
    }
}
