package dev.gafail.engine;

import dev.gafail.runbook.StepSpec;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code verdict {steps, targets, figures}}: judges the execution against its targets, as a drill ends (and
 * as it begins: a steady state that does not hold ends a drill before any fault). Each step named in
 * {@code steps} that failed ({@code onFailure: continue}) is a missed target, with its reason; each that
 * succeeded adds the targets its outputs judged ({@code targets: [{name, measured, target, held}]}, as
 * {@code load.check} writes them). Each of {@code targets} compares a measured value with its {@code max}
 * or {@code min}: durations ({@code 1m30s}) or numbers (a number beside a duration counts in its
 * {@code unit}, ms by default). A measured value is given, or read from a step's outputs
 * ({@code step}, {@code output}: a dotted path): a step that failed or did not run measured nothing, and
 * its target is missed saying so. Figures are reported as they are, given or read the same way. The step
 * itself always succeeds, with the verdict as outputs, so that {@code gafail show} prints it; a verdict
 * that fails ends the execution there, with exit 8 and the missed targets named, and nothing is rolled back.
 */
final class VerdictStep extends AbstractAction<VerdictStep.Params, VerdictStep.Outputs> {

    static final String NAME = "verdict";

    /**
     * @param steps   steps whose failure is a missed target, and whose outputs' {@code targets} are judged too
     * @param targets measured values against their bounds
     * @param figures what the verdict reports beside the targets (time to detect, RTO, ...), by name: a value,
     *                or {@code {step, output}}
     */
    record Params(List<String> steps, List<Target> targets, Map<String, Object> figures) {
        Params {
            steps = steps == null ? List.of() : List.copyOf(steps);
            targets = targets == null ? List.of() : List.copyOf(targets);
            figures = figures == null ? Map.of() : new LinkedHashMap<>(figures);
        }
    }

    /**
     * A bound on one measured value: {@code max}, {@code min} or both. The value is {@code measured}, or the
     * {@code output} of step {@code step}; {@code unit} ({@code ms}, {@code s}) is a number's beside a duration.
     */
    record Target(String name, Object measured, String step, String output, String unit, Object max, Object min) {
    }

    /** One target as judged: what was measured, the bound, whether it held. */
    record Judged(String name, String measured, String target, boolean held) {
    }

    /** @param verdict {@code pass} or {@code fail} */
    record Outputs(String verdict, boolean passed, List<Judged> targets, List<String> missed,
                   Map<String, Object> figures) {
    }

    VerdictStep() {
        super(NAME, Params.class, Outputs.class, true, List.of(), """
                {"type": "object", "additionalProperties": false,
                 "properties": {
                   "steps": {"type": "array", "items": {"type": "string"},
                             "description": "steps whose failure is a missed target, and whose outputs' targets count"},
                   "targets": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                     "required": ["name"], "anyOf": [{"required": ["max"]}, {"required": ["min"]}],
                     "oneOf": [{"required": ["measured"]}, {"required": ["step", "output"]}],
                     "properties": {"name": {"type": "string"}, "measured": {}, "step": {"type": "string"},
                       "output": {"type": "string", "description": "a dotted path in the step's outputs"},
                       "unit": {"enum": ["ms", "s"]}, "max": {}, "min": {}}}},
                   "figures": {"type": "object", "additionalProperties": {"anyOf": [
                     {"type": "object", "additionalProperties": false, "required": ["step", "output"],
                      "properties": {"step": {"type": "string"}, "output": {"type": "string"}}},
                     {"type": ["string", "number", "boolean"]}]}}}}""");
    }

    @Override
    public Change plan(Params params, StepContext context) {
        return Change.to("-", "a verdict on " + (params.steps().size() + params.targets().size()) + " target(s)");
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure {
        ExecutionState state = ((StepScope) context).execution().state();
        List<Judged> judged = new ArrayList<>();
        for (String id : params.steps()) {
            judged.addAll(ofStep(id, state));
        }
        for (Target target : params.targets()) {
            judged.add(judge(target, measured(target, state)));
        }
        List<String> missed = judged.stream().filter(j -> !j.held())
                .map(j -> j.name() + ": " + j.measured() + (j.target().isEmpty() ? "" : " (target " + j.target() + ")"))
                .toList();
        Map<String, Object> figures = new LinkedHashMap<>();
        params.figures().forEach((name, value) -> figures.put(name, value instanceof Map<?, ?> ref
                ? read(state, String.valueOf(ref.get("step")), String.valueOf(ref.get("output")))
                .map(Measured::value).orElse(null) : value));
        return new Outputs(missed.isEmpty() ? "pass" : "fail", missed.isEmpty(), judged, missed, figures);
    }

    /** A value, or why there is none (then {@code value} is null). */
    record Measured(Object value, String none) {
    }

    private static Measured measured(Target target, ExecutionState state) {
        if (target.step() == null) {
            return new Measured(target.measured(), "not measured");
        }
        return read(state, target.step(), target.output()).orElseGet(() -> new Measured(null,
                state.failed(target.step()) ? "not measured: step '" + target.step() + "' failed: "
                        + state.failure(target.step())
                        : "not measured: step '" + target.step() + "' has no output " + target.output()));
    }

    /** The output at dotted {@code path} of step {@code step}, if it ran and has it. */
    private static Optional<Measured> read(ExecutionState state, String step, String path) {
        Object node = state.allOutputs().get(step);
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            node = map.get(key);
        }
        return Optional.ofNullable(node).map(value -> new Measured(value, null));
    }

    /** A step's failure, or the targets its outputs judged; nothing for a step that did not run (its 'when'). */
    private static List<Judged> ofStep(String id, ExecutionState state) {
        if (state.failed(id)) {
            return List.of(new Judged(id, "failed: " + state.failure(id), "", false));
        }
        Map<String, Object> outputs = state.allOutputs().get(id);
        if (outputs == null || !(outputs.get("targets") instanceof List<?> targets)) {
            return List.of();
        }
        List<Judged> out = new ArrayList<>();
        for (Object target : targets) {
            Judged judged = Json.MAPPER.convertValue(target, Judged.class);
            out.add(new Judged(id + ": " + judged.name(), judged.measured(), judged.target(), judged.held()));
        }
        return out;
    }

    static Judged judge(Target target, Measured measured) throws StepFailure {
        String bound = (target.max() == null ? "" : "≤ " + text(target, target.max()))
                + (target.max() != null && target.min() != null ? ", " : "")
                + (target.min() == null ? "" : "≥ " + text(target, target.min()));
        if (measured.value() == null) {
            return new Judged(target.name(), measured.none(), bound, false);
        }
        boolean held = (target.max() == null || compare(target, measured.value(), target.max()) <= 0)
                && (target.min() == null || compare(target, measured.value(), target.min()) >= 0);
        return new Judged(target.name(), text(target, measured.value()), bound, held);
    }

    /** Durations when either side is one (a number beside a duration counts in the target's unit), else numbers. */
    private static int compare(Target target, Object measured, Object bound) throws StepFailure {
        Optional<Duration> a = duration(measured);
        Optional<Duration> b = duration(bound);
        if (a.isPresent() || b.isPresent()) {
            Duration left = a.isPresent() ? a.get() : inUnit(target, measured);
            Duration right = b.isPresent() ? b.get() : inUnit(target, bound);
            return left.compareTo(right);
        }
        return Double.compare(number(target, measured), number(target, bound));
    }

    private static Optional<Duration> duration(Object value) {
        return value instanceof String text ? Durations.parse(text.trim()) : Optional.empty();
    }

    private static Duration inUnit(Target target, Object value) throws StepFailure {
        double n = number(target, value);
        return "s".equals(target.unit()) ? Duration.ofMillis(Math.round(n * 1000)) : Duration.ofMillis(Math.round(n));
    }

    /** A number with its unit, so that "12" reads as what it is. */
    private static String text(Target target, Object value) {
        boolean timed = target.unit() != null || duration(target.max()).or(() -> duration(target.min())).isPresent();
        if (timed && value instanceof Number n) {
            double millis = "s".equals(target.unit()) ? n.doubleValue() * 1000 : n.doubleValue();
            return Durations.human(Duration.ofMillis(Math.round(millis)));
        }
        return text(value);
    }

    private static double number(Target target, Object value) throws StepFailure {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        try {
            return Double.parseDouble(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw StepFailure.permanent("target '" + target.name() + "': '" + value + "' is neither a number nor a"
                    + " duration");
        }
    }

    private static String text(Object value) {
        return value instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(value);
    }

    /**
     * Why the execution ends at this step, if it is a verdict that failed: its targets missed, or the verdict
     * itself could not be reached (a measured value that is no number, an expression that does not bind):
     * a judgement that cannot be made is not a pass, and nothing is rolled back for it.
     */
    static Optional<String> failed(StepSpec step, StepRunner.Outcome outcome) {
        if (!NAME.equals(step.action())) {
            return Optional.empty();
        }
        if (outcome.kind() == StepRunner.Outcome.Kind.FAILED) {
            return Optional.of("the verdict could not be reached: " + outcome.message());
        }
        if (outcome.kind() != StepRunner.Outcome.Kind.SUCCEEDED
                || !Boolean.FALSE.equals(outcome.outputs().get("passed"))) {
            return Optional.empty();
        }
        return Optional.of(String.join("; ", outcome.outputs().get("missed") instanceof List<?> missed
                ? missed.stream().map(String::valueOf).toList() : List.of()));
    }
}
