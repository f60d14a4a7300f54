package dev.gafail.runbook;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Turns JSON Schema errors into problems a runbook author can act on: plain words, a line and a column. */
final class SchemaProblems {

    /** Messages for the value kinds the schema defines once and uses in many places. */
    private static final Map<String, String> KINDS = Map.of(
            "duration", "a duration (" + Durations.EXAMPLES + ")",
            "durationOrExpression", "a duration (" + Durations.EXAMPLES + ") or an expression ${{ ... }}",
            "boolOrExpression", "true, false or an expression ${{ ... }}",
            "intOrExpression", "an integer or an expression ${{ ... }}",
            "expression", "an expression ${{ ... }}");

    private SchemaProblems() {
    }

    static Problem toProblem(PositionedTree tree, Error error, Collection<String> actionNames) {
        String pointer = pointer(error.getInstanceLocation());
        JsonNode value = error.getInstanceNode();
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        String kind = kindOf(error);
        switch (keyword) {
            case "required" -> {
                return tree.problem(pointer, "missing required field '" + error.getProperty() + "'");
            }
            case "additionalProperties" -> {
                String field = PositionedTree.child(pointer, error.getProperty());
                return new Problem(tree.keyAt(field), "unknown field '" + error.getProperty() + "'", field);
            }
            case "propertyNames" -> {
                return tree.problem(pointer, "invalid name: " + strip(error.getMessage()));
            }
            default -> { }
        }
        if (kind != null) {
            return tree.problem(pointer, "expected " + KINDS.get(kind) + ", found " + show(value));
        }
        if (keyword.equals("enum") && pointer.endsWith("/action")) {
            String name = value.isString() ? value.asString() : show(value);
            return tree.problem(pointer, "unknown action '" + name + "'" + Suggestions.didYouMean(name, actionNames)
                    + "; known actions: " + String.join(", ", actionNames));
        }
        if (keyword.equals("type")) {
            return tree.problem(pointer, "expected " + error.getSchemaNode().toString().replace("\"", "")
                    + ", found " + show(value));
        }
        if (keyword.equals("const")) {
            return tree.problem(pointer, "must be " + error.getSchemaNode() + ", found " + show(value));
        }
        if (keyword.equals("enum")) {
            return tree.problem(pointer, "must be one of " + error.getSchemaNode() + ", found " + show(value));
        }
        return tree.problem(pointer, strip(error.getMessage()));
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
        // Inside "durationOrExpression", report the union, not its branch "duration".
        for (String union : List.of("durationOrExpression", "boolOrExpression", "intOrExpression")) {
            if (error.getEvaluationPath() != null && error.getEvaluationPath().toString().contains(union)) {
                return union;
            }
        }
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

    static String show(JsonNode value) {
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
