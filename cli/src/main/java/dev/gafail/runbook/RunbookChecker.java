package dev.gafail.runbook;

import dev.gafail.yaml.Durations;
import dev.gafail.yaml.PositionedTree;
import dev.gafail.yaml.Problem;
import dev.gafail.yaml.SourcePosition;
import dev.gafail.yaml.Suggestions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * The checks a JSON Schema cannot express: unique step ids, what expressions refer to, which
 * step a rollback entry undoes, parameter defaults of the declared type. Tolerates a tree the
 * schema rejected, so that one pass reports everything.
 */
final class RunbookChecker {

    static final Set<String> ROOTS = Set.of("params", "steps", "topology");

    private final PositionedTree tree;
    private final ActionCatalog actions;
    private final Expressions expressions;
    private final List<Problem> problems;
    private final Map<String, SourcePosition> ids = new HashMap<>();
    private final Set<String> mainSteps = new HashSet<>();
    /** Main steps whose step type changes nothing, by id: their action's name. */
    private final Map<String, String> readOnlyMainSteps = new HashMap<>();
    private Set<String> parameters = Set.of();

    RunbookChecker(PositionedTree tree, ActionCatalog actions, Expressions expressions, List<Problem> problems) {
        this.tree = tree;
        this.actions = actions;
        this.expressions = expressions;
        this.problems = problems;
    }

    void check() {
        JsonNode root = tree.root();
        parameters = new HashSet<>(root.path("parameters").propertyNames());
        checkParameters(root.path("parameters"));
        checkTimeout(root.path("timeout"), "/timeout");

        Set<String> visible = new HashSet<>();
        forEach("/preconditions", (step, pointer) -> {
            checkStep(step, pointer, visible, Section.PRECONDITIONS);
            requireReadOnly(step, pointer, "preconditions");
            visible.add(step.path("id").asString(""));
        });
        JsonNode steps = root.path("steps");
        for (int i = 0; steps.isArray() && i < steps.size(); i++) {
            String pointer = "/steps/" + i;
            JsonNode item = steps.get(i);
            if (item.has("parallel")) {
                JsonNode members = item.path("parallel");
                Set<String> group = new HashSet<>();
                for (int j = 0; members.isArray() && j < members.size(); j++) {
                    checkStep(members.get(j), pointer + "/parallel/" + j, visible, Section.STEPS);
                    group.add(members.get(j).path("id").asString(""));
                    noteReadOnly(members.get(j));
                }
                visible.addAll(group);
                mainSteps.addAll(group);
            } else {
                checkStep(item, pointer, visible, Section.STEPS);
                visible.add(item.path("id").asString(""));
                mainSteps.add(item.path("id").asString(""));
                noteReadOnly(item);
            }
        }
        forEach("/verify", (step, pointer) -> {
            checkStep(step, pointer, visible, Section.VERIFY);
            requireReadOnly(step, pointer, "verify");
            visible.add(step.path("id").asString(""));
        });
        forEach("/rollback", (step, pointer) -> checkStep(step, pointer, visible, Section.ROLLBACK));
    }

    private void noteReadOnly(JsonNode step) {
        String action = step.path("action").asString("");
        if (actions.actionNames().contains(action) && actions.readOnly(action)) {
            readOnlyMainSteps.put(step.path("id").asString(""), action);
        }
    }

    private void forEach(String arrayPointer, BiConsumer<JsonNode, String> check) {
        JsonNode array = tree.root().at(arrayPointer);
        for (int i = 0; array.isArray() && i < array.size(); i++) {
            check.accept(array.get(i), arrayPointer + "/" + i);
        }
    }

    /** Preconditions and checks must not change anything: a failing precondition leaves the world as it was. */
    private void requireReadOnly(JsonNode step, String pointer, String phase) {
        String action = step.path("action").asString("");
        if (actions.actionNames().contains(action) && !actions.readOnly(action)) {
            problems.add(tree.problem(pointer + "/action", "'" + action + "' changes things; " + phase
                    + " may only use read-only checks"));
        }
    }

    /** Where a step is written, by the runbook's key for it. */
    private enum Section {
        PRECONDITIONS, STEPS, VERIFY, ROLLBACK;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private void checkStep(JsonNode step, String pointer, Set<String> visible, Section section) {
        boolean inRollback = section == Section.ROLLBACK;
        if (!step.isObject()) {
            return;
        }
        JsonNode id = step.path("id");
        if (id.isString()) {
            SourcePosition first = ids.putIfAbsent(id.asString(), tree.valueAt(pointer + "/id"));
            if (first != null) {
                problems.add(tree.problem(pointer + "/id", "duplicate step id '" + id.asString()
                        + "' (first used at line " + first.line() + ")"));
            }
        }
        JsonNode target = step.path("for");
        if (target.isString()) {
            if (!inRollback) {
                problems.add(new Problem(tree.keyAt(pointer + "/for"),
                        "'for' belongs to rollback entries: it names the step an entry undoes", pointer + "/for"));
            } else if (!mainSteps.contains(target.asString())) {
                problems.add(tree.problem(pointer + "/for", "rollback entry is for unknown step '"
                        + target.asString() + "'" + Suggestions.didYouMean(target.asString(), mainSteps)));
            } else if (readOnlyMainSteps.containsKey(target.asString())) {
                // It would never run, since only changed steps are compensated: a dead safety net.
                problems.add(tree.problem(pointer + "/for", "rollback entry is for '" + target.asString()
                        + "', a read-only step (" + readOnlyMainSteps.get(target.asString()) + ") that changes"
                        + " nothing, so it would never run; leave out 'for' to run it in every rollback"));
            }
        }
        if (step.path("onUnreachable").asString("").equals("defer") && section != Section.STEPS) {
            // A check that cannot run proves nothing, and a compensation that waits undoes nothing now.
            problems.add(tree.problem(pointer + "/onUnreachable", "onUnreachable: defer belongs to steps; "
                    + section.key() + " cannot be deferred"));
        }
        checkExpressions(step.path("with"), pointer + "/with", visible);
        checkExpressions(step.path("when"), pointer + "/when", visible);
        checkTimeout(step.path("timeout"), pointer + "/timeout");
    }

    /** What the schema cannot say (it checks the syntax and the range): a zero timeout could never be met. */
    private void checkTimeout(JsonNode value, String pointer) {
        if (value.isString() && Durations.parse(value.asString()).filter(Duration::isZero).isPresent()) {
            problems.add(tree.problem(pointer, "a timeout of 0 could never be met; leave it out for no timeout"));
        }
    }

    private void checkExpressions(JsonNode node, String pointer, Set<String> visible) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                checkExpressions(field.getValue(), PositionedTree.child(pointer, field.getKey()), visible);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkExpressions(node.get(i), PositionedTree.child(pointer, i), visible);
            }
        } else if (node.isString() && Expressions.mayContainExpression(node.asString())) {
            try {
                Expressions.Template template = expressions.parse(node.asString());
                for (Expressions.Part part : template.parts()) {
                    if (part.expression() != null) {
                        for (List<String> path : Expressions.references(part)) {
                            String wrong = checkReference(path, visible);
                            if (wrong != null) {
                                problems.add(new Problem(tree.insideScalar(pointer, part.offset()), wrong, pointer));
                            }
                        }
                    }
                }
            } catch (Expressions.ExpressionException e) {
                problems.add(new Problem(tree.insideScalar(pointer, e.offset()), e.getMessage(), pointer));
            }
        }
    }

    /** Null when the reference is sound, else what is wrong with it. */
    private String checkReference(List<String> path, Set<String> visible) {
        String root = path.get(0);
        String dotted = String.join(".", path);
        if (!ROOTS.contains(root)) {
            return "unknown name '" + root + "' in expression; use params.NAME, steps.ID.outputs.NAME or topology.*"
                    + Suggestions.didYouMean(root, ROOTS);
        }
        if (root.equals("params")) {
            if (path.size() < 2) {
                return "refer to one parameter: params.NAME";
            }
            if (!parameters.contains(path.get(1))) {
                return "unknown parameter '" + path.get(1) + "' in " + dotted
                        + Suggestions.didYouMean(path.get(1), parameters);
            }
            if (path.size() > 2) {
                return "a parameter's value has no properties (" + dotted + "); use params." + path.get(1);
            }
        } else if (root.equals("steps")) {
            if (path.size() < 3 || !path.get(2).equals("outputs")) {
                return "refer to a step's outputs: steps.ID.outputs.NAME (found " + dotted + ")";
            }
            if (!visible.contains(path.get(1))) {
                return ids.containsKey(path.get(1)) || mainSteps.contains(path.get(1))
                        ? "step '" + path.get(1) + "' has not run yet at this point (" + dotted + ")"
                        : "unknown step '" + path.get(1) + "' in " + dotted
                                + Suggestions.didYouMean(path.get(1), visible);
            }
        }
        return null;
    }

    private void checkParameters(JsonNode declared) {
        for (Map.Entry<String, JsonNode> entry : declared.properties()) {
            String pointer = PositionedTree.child("/parameters", entry.getKey());
            JsonNode spec = entry.getValue();
            String type = spec.path("type").asString("");
            boolean isEnum = type.equals("enum");
            if (isEnum && !spec.has("values")) {
                problems.add(tree.problem(pointer, "an enum parameter lists its 'values'"));
            }
            if (!isEnum && spec.has("values")) {
                problems.add(new Problem(tree.keyAt(pointer + "/values"), "'values' belongs to enum parameters",
                        pointer + "/values"));
            }
            if (type.equals("bool") && spec.path("secret").asBoolean(false)) {
                // Masking one of two words would mask every true or false in every output.
                problems.add(new Problem(tree.keyAt(pointer + "/secret"), "a bool parameter cannot be secret:"
                        + " its value is 'true' or 'false', which no mask can hide", pointer + "/secret"));
            }
            JsonNode defaultValue = spec.path("default");
            if (defaultValue.isMissingNode()) {
                continue;
            }
            if (spec.path("required").asBoolean(false)) {
                problems.add(new Problem(tree.keyAt(pointer + "/default"),
                        "a required parameter has no default", pointer + "/default"));
            }
            String why = defaultProblem(type, defaultValue, spec.path("values"));
            if (why != null) {
                problems.add(tree.problem(pointer + "/default", why));
            }
        }
    }

    private static String defaultProblem(String type, JsonNode value, JsonNode values) {
        return switch (type) {
            case "int" -> value.isIntegralNumber() ? null : "default of an int parameter must be an integer";
            case "bool" -> value.isBoolean() ? null : "default of a bool parameter must be true or false";
            case "duration" -> value.isString() && Durations.parse(value.asString()).isPresent() ? null
                    : "default is not a duration (" + Durations.EXAMPLES + ")";
            case "enum" -> values.valueStream().anyMatch(value::equals)
                    ? null : "default must be one of the enum's values";
            case "string" -> value.isString() ? null : "default of a string parameter must be a string";
            default -> null;
        };
    }
}
