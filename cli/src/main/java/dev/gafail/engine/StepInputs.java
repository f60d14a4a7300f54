package dev.gafail.engine;

import dev.gafail.runbook.Expressions;
import dev.gafail.runbook.StepSpec;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Evaluates a step's {@code with} against what is known so far, and binds it to the step type's parameter record. */
final class StepInputs {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Expressions expressions;

    StepInputs(Expressions expressions) {
        this.expressions = expressions;
    }

    /** The variables expressions see: params, topology and the outputs of the steps that ran. */
    static Map<String, Object> variables(Execution execution, Map<String, Map<String, Object>> outputs) {
        Map<String, Object> steps = new HashMap<>();
        outputs.forEach((id, out) -> steps.put(id, Map.of("outputs", out)));
        Map<String, Object> variables = new HashMap<>();
        variables.put("params", execution.params());
        variables.put("steps", steps);
        if (execution.topology() != null) {
            variables.put("topology", execution.topology());
        }
        return variables;
    }

    /**
     * A reference the plan cannot resolve yet (it reads outputs of a step that has not run);
     * empty when every expression can be evaluated now.
     */
    Optional<String> unknownReference(StepSpec spec, Set<String> stepsRun) throws StepFailure {
        return unknownPath(spec, stepsRun).map(path -> String.join(".", path));
    }

    /** The first {@code steps.ID...} path the step reads whose step has no outputs yet. */
    Optional<List<String>> unknownPath(StepSpec spec, Set<String> stepsRun) throws StepFailure {
        for (String text : Stream.concat(strings(spec.with()).stream(), strings(spec.when()).stream()).toList()) {
            for (Expressions.Part part : template(spec, text).parts()) {
                if (part.expression() == null) {
                    continue;
                }
                for (List<String> path : Expressions.references(part)) {
                    if (path.get(0).equals("steps") && path.size() > 1 && !stepsRun.contains(path.get(1))) {
                        return Optional.of(path);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the step runs: its {@code when} holds, or it has none. */
    boolean runs(StepSpec spec, Map<String, Object> variables) throws StepFailure {
        if (spec.when().isMissingNode()) {
            return true;
        }
        JsonNode value = resolve(spec, spec.when(), variables);
        if (!value.isBoolean()) {
            throw StepFailure.permanent("step " + spec.id() + ": 'when' must be true or false, not " + value);
        }
        return value.asBoolean();
    }

    <P> P bind(Action<P, ?> action, StepSpec spec, Map<String, Object> variables) throws StepFailure {
        JsonNode resolved = resolve(spec, spec.with(), variables);
        try {
            return Json.MAPPER.treeToValue(resolved, action.parameterType());
        } catch (RuntimeException e) {
            throw StepFailure.permanent("parameters of " + spec.action() + " do not fit: " + Json.mismatch(e));
        }
    }

    private JsonNode resolve(StepSpec spec, JsonNode node, Map<String, Object> variables) throws StepFailure {
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                out.set(field.getKey(), resolve(spec, field.getValue(), variables));
            }
            return out;
        }
        if (node.isArray()) {
            var out = NODES.arrayNode();
            for (JsonNode item : node) {
                out.add(resolve(spec, item, variables));
            }
            return out;
        }
        if (!node.isString() || !Expressions.mayContainExpression(node.asString())) {
            return node;
        }
        try {
            return toNode(expressions.evaluate(template(spec, node.asString()), variables));
        } catch (Expressions.ExpressionException e) {
            throw StepFailure.permanent(e.getMessage());
        }
    }

    private Expressions.Template template(StepSpec spec, String text) throws StepFailure {
        try {
            return expressions.parse(text);
        } catch (Expressions.ExpressionException e) {
            throw StepFailure.permanent("step " + spec.id() + ": " + e.getMessage());
        }
    }

    private static JsonNode toNode(Object value) {
        if (value instanceof Duration d) {
            return NODES.stringNode(Durations.format(d));
        }
        return Json.MAPPER.valueToTree(value);
    }

    private static List<String> strings(JsonNode node) {
        if (node.isString()) {
            return Expressions.mayContainExpression(node.asString()) ? List.of(node.asString()) : List.of();
        }
        return node.valueStream().flatMap(child -> strings(child).stream()).toList();
    }
}
