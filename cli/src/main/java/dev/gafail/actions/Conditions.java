package dev.gafail.actions;

import dev.gafail.engine.StepFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The check step types another step watches while it works, as a list of {@code {action, with}}:
 * traffic.shift's {@code abortIf}, fis.experiment's {@code until}. One schema and one binding for both.
 */
public final class Conditions {

    /** One entry: a check step type and its {@code with}, bound to that type's parameters once. */
    public record Check(String action, ObjectNode with) {
    }

    private final Map<String, CheckAction<?, ?>> checks = new LinkedHashMap<>();

    Conditions(List<CheckAction<?, ?>> checks) {
        checks.forEach(c -> this.checks.put(c.name(), c));
    }

    /** The JSON Schema of the list: each entry's {@code with} checked against its step type's own schema. */
    String schema() {
        StringBuilder rules = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (CheckAction<?, ?> check : checks.values()) {
            names.add("\"" + check.name() + "\"");
            rules.append(rules.isEmpty() ? "" : ",\n").append("{\"if\": {\"properties\": {\"action\": {\"const\": \"")
                    .append(check.name()).append("\"}}}, \"then\": {\"properties\": {\"with\": {\"$ref\": \"#/$defs/with.")
                    .append(check.name()).append("\"}}}}");
        }
        return """
                {"type": "array", "items": {
                  "type": "object", "additionalProperties": false, "required": ["action"],
                  "properties": {"action": {"enum": [%s]}, "with": {"type": "object"}},
                  "allOf": [%s]}}""".formatted(String.join(", ", names), rules);
    }

    /** {@code entries} (of the parameter {@code field}) bound to their step types and typed parameters. */
    List<CheckAction.Bound<?>> bind(String field, List<Check> entries) throws StepFailure {
        List<CheckAction.Bound<?>> bound = new ArrayList<>();
        for (Check check : entries == null ? List.<Check>of() : entries) {
            CheckAction<?, ?> action = checks.get(check.action());
            if (action == null) {
                throw StepFailure.permanent(field + ": unknown check " + check.action());
            }
            bound.add(action.bind(check.with() == null ? JsonNodeFactory.instance.objectNode() : check.with()));
        }
        return bound;
    }
}
