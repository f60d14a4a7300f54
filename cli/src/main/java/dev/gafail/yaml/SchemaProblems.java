package dev.gafail.yaml;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Turns JSON Schema errors into problems a runbook author can act on: plain words, a line and a
 * column. The errors of one value's alternatives ("a duration or an expression") become one problem.
 */
public final class SchemaProblems {

    /** Messages for the value kinds the schema defines once and uses in many places. */
    private static final Map<String, String> KINDS = Map.of(
            "duration", "a duration (" + Durations.EXAMPLES + ")",
            "durationOrExpression", "a duration (" + Durations.EXAMPLES + ") or an expression ${{ ... }}",
            "boolOrExpression", "true, false or an expression ${{ ... }}",
            "intOrExpression", "an integer or an expression ${{ ... }}",
            "expression", "an expression ${{ ... }}");

    private static final Map<String, String> TYPES = Map.of(
            "array", "a list", "object", "a mapping", "string", "a string", "integer", "an integer",
            "boolean", "true or false", "number", "a number", "null", "nothing");

    private final PositionedTree tree;
    private final Function<String, JsonNode> schemaAt;
    private final Collection<String> actionNames;

    /** @param schemaAt the schema's node at a JSON pointer, for the descriptions next to failed keywords */
    public SchemaProblems(PositionedTree tree, Function<String, JsonNode> schemaAt, Collection<String> actionNames) {
        this.tree = tree;
        this.schemaAt = schemaAt;
        this.actionNames = actionNames;
    }

    public List<Problem> toProblems(List<Error> errors) {
        Map<String, List<Error>> byPointer = new LinkedHashMap<>();
        for (Error error : errors) {
            byPointer.computeIfAbsent(pointer(error.getInstanceLocation()), k -> new ArrayList<>()).add(error);
        }
        List<Problem> problems = new ArrayList<>();
        byPointer.forEach((pointer, group) -> {
            Set<String> kinds = new LinkedHashSet<>();
            group.forEach(e -> {
                String kind = kindOf(e);
                if (kind != null) {
                    kinds.add(kind);
                }
            });
            // "101 is not an expression" says nothing when the other branch says "at most 100".
            boolean otherBranchSpeaks = kinds.equals(Set.of("expression"))
                    && !group.get(0).getInstanceNode().isString() && group.stream().anyMatch(e -> kindOf(e) == null);
            if (!kinds.isEmpty() && !otherBranchSpeaks) {
                problems.add(tree.problem(pointer, "expected " + KINDS.get(union(kinds)) + ", found "
                        + show(group.get(0).getInstanceNode())));
            }
            group.stream().filter(e -> kindOf(e) == null).map(e -> toProblem(pointer, e)).forEach(problems::add);
        });
        return problems;
    }

    /** The errors of "x or an expression" come from both branches; name the union. */
    private static String union(Set<String> kinds) {
        if (kinds.size() == 1) {
            return kinds.iterator().next();
        }
        for (String kind : kinds) {
            if (kind.endsWith("OrExpression")) {
                return kind;
            }
        }
        return kinds.contains("duration") ? "durationOrExpression" : kinds.iterator().next();
    }

    private Problem toProblem(String pointer, Error error) {
        JsonNode value = error.getInstanceNode();
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        switch (keyword) {
            case "required":
                return tree.problem(pointer, "missing required field '" + error.getProperty() + "'");
            case "additionalProperties": {
                String field = PositionedTree.child(pointer, error.getProperty());
                return new Problem(tree.keyAt(field), "unknown field '" + error.getProperty() + "'", field);
            }
            case "enum":
                if (pointer.endsWith("/action")) {
                    String name = value.isString() ? value.asString() : show(value);
                    return tree.problem(pointer, "unknown action '" + name + "'"
                            + Suggestions.didYouMean(name, actionNames)
                            + "; known actions: " + String.join(", ", actionNames));
                }
                return tree.problem(pointer, "must be one of " + error.getSchemaNode() + ", found " + show(value));
            case "type":
                return tree.problem(pointer, "expected " + typeName(error.getSchemaNode()) + ", found " + show(value));
            case "maximum":
                return tree.problem(pointer, "must be at most " + error.getSchemaNode() + ", found " + show(value));
            case "minimum":
                return tree.problem(pointer, "must be at least " + error.getSchemaNode() + ", found " + show(value));
            case "const":
                return tree.problem(pointer, "must be " + error.getSchemaNode() + ", found " + show(value));
            case "pattern":
                return tree.problem(pointer, show(value) + " is not valid: " + described(error));
            case "propertyNames": {
                String name = String.valueOf(error.getProperty());
                return new Problem(tree.keyAt(PositionedTree.child(pointer, name)), "'" + name
                        + "' is not a valid name: " + described(error), PositionedTree.child(pointer, name));
            }
            default:
                return tree.problem(pointer, strip(error.getMessage()));
        }
    }

    /** The description the schema gives at or next to the failed keyword, else the library's message. */
    private String described(Error error) {
        NodePath fragment = error.getSchemaLocation() == null ? null : error.getSchemaLocation().getFragment();
        if (fragment != null) {
            String keyword = pointer(fragment);
            for (JsonNode owner : List.of(schemaAt.apply(keyword), schemaAt.apply(PositionedTree.parent(keyword)))) {
                if (owner.path("description").isString()) {
                    return owner.path("description").asString();
                }
            }
        }
        return strip(error.getMessage());
    }

    private static String typeName(JsonNode type) {
        if (type.isArray()) {
            List<String> names = new ArrayList<>();
            type.forEach(t -> names.add(TYPES.getOrDefault(t.asString(), t.asString())));
            return String.join(" or ", names);
        }
        return TYPES.getOrDefault(type.asString(), type.asString());
    }

    /** The name of the schema's shared definition the error is about, if it has a message of its own. */
    private static String kindOf(Error error) {
        String location = error.getSchemaLocation() == null ? "" : error.getSchemaLocation().toString();
        int defs = location.indexOf("/$defs/");
        if (defs < 0) {
            return null;
        }
        String rest = location.substring(defs + "/$defs/".length());
        String def = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        return KINDS.containsKey(def) ? def : null;
    }

    static String pointer(NodePath path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            out.append('/').append(element.toString().replace("~", "~0").replace("/", "~1"));
        }
        return out.toString();
    }

    public static String show(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isNull()) {
            return "null";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /** networknt prefixes messages with the instance location, which we print separately. */
    private static String strip(String message) {
        if (message == null) {
            return "invalid value";
        }
        int colon = message.indexOf(": ");
        return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
    }
}
