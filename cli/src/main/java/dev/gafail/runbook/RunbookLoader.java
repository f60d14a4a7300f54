package dev.gafail.runbook;

import dev.gafail.yaml.Durations;
import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.PositionedTree;
import dev.gafail.yaml.Problem;
import dev.gafail.yaml.SchemaProblems;
import dev.gafail.yaml.UserFiles;
import dev.gafail.yaml.YamlDocuments;
import dev.gafail.yaml.YamlTreeReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads a runbook file into the model, or reports every problem in it at once:
 * YAML (syntax, encoding, duplicate keys, limits), then the JSON Schema, then the cross-references.
 * Nothing is executed and nothing is written.
 */
public final class RunbookLoader {

    private final ActionCatalog actions;
    private final RunbookSchema schema;
    private final Expressions expressions;
    private static final String SHAPE = "a runbook is a YAML mapping with apiVersion, kind, metadata and steps";

    private final YamlTreeReader reader = new YamlTreeReader();

    public RunbookLoader(ActionCatalog actions, Expressions expressions) {
        this.actions = actions;
        this.schema = new RunbookSchema(actions);
        this.expressions = expressions;
    }

    public RunbookSchema schema() {
        return schema;
    }

    public Runbook load(Path file) throws InvalidFileException {
        return parse(file.toString(), UserFiles.read(file));
    }

    public Runbook parse(String file, byte[] bytes) throws InvalidFileException {
        PositionedTree tree = YamlDocuments.mapping(reader, file, bytes, SHAPE);
        List<Problem> problems = new ArrayList<>();
        List<Problem> checks = new ArrayList<>();
        new RunbookChecker(tree, actions, expressions, checks).check();
        // Where an expression itself is broken, its problem says more than "not a duration".
        Set<String> broken = new HashSet<>();
        checks.forEach(p -> broken.add(p.pointer()));
        new SchemaProblems(tree, schema::at, actions.actionNames())
                .toProblems(schema.validate(tree.root())).stream()
                .filter(p -> !broken.contains(p.pointer()) || !Expressions.mayContainExpression(
                        tree.root().at(p.pointer()).asString("")))
                .forEach(problems::add);
        problems.addAll(checks);
        if (!problems.isEmpty()) {
            throw YamlDocuments.sorted(problems);
        }
        return bind(tree, new String(bytes, StandardCharsets.UTF_8));
    }

    /** Builds the model from a tree that passed every check, so values are of the expected shapes. */
    private static Runbook bind(PositionedTree tree, String source) {
        JsonNode root = tree.root();
        Runbook.Metadata metadata = new Runbook.Metadata(root.at("/metadata/name").asString(),
                root.at("/metadata/description").asString(""));
        Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.path("parameters").properties()) {
            parameters.put(entry.getKey(), parameter(entry.getKey(), entry.getValue()));
        }
        List<StepNode> steps = new ArrayList<>();
        JsonNode items = root.path("steps");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String pointer = "/steps/" + i;
            if (item.has("parallel")) {
                List<StepSpec> members = new ArrayList<>();
                for (int j = 0; j < item.get("parallel").size(); j++) {
                    members.add(step(tree, pointer + "/parallel/" + j, OnFailure.ROLLBACK));
                }
                steps.add(new ParallelGroup(members, tree.valueAt(pointer)));
            } else {
                steps.add(step(tree, pointer, OnFailure.ROLLBACK));
            }
        }
        return new Runbook(tree.file(), metadata, parameters,
                steps(tree, "/preconditions", OnFailure.STOP), steps,
                steps(tree, "/verify", OnFailure.STOP), steps(tree, "/rollback", OnFailure.CONTINUE),
                duration(root.path("timeout")), ApprovalPolicy.at(tree, "/approvals"), source);
    }

    private static List<StepSpec> steps(PositionedTree tree, String pointer, OnFailure defaultOnFailure) {
        List<StepSpec> out = new ArrayList<>();
        for (int i = 0; i < tree.root().at(pointer).size(); i++) {
            out.add(step(tree, pointer + "/" + i, defaultOnFailure));
        }
        return out;
    }

    private static StepSpec step(PositionedTree tree, String pointer, OnFailure defaultOnFailure) {
        JsonNode step = tree.root().at(pointer);
        JsonNode retry = step.path("retry");
        RetryPolicy policy = retry.isMissingNode() ? RetryPolicy.NONE : new RetryPolicy(
                retry.path("attempts").asInt(),
                retry.has("backoff") ? duration(retry.get("backoff")) : RetryPolicy.NONE.backoff(),
                retry.has("maxBackoff") ? duration(retry.get("maxBackoff")) : RetryPolicy.NONE.maxBackoff());
        return new StepSpec(step.path("id").asString(), step.path("action").asString(),
                step.has("with") ? step.get("with") : JsonNodeFactory.instance.objectNode(),
                duration(step.path("timeout")), policy,
                step.has("onFailure") ? OnFailure.fromYaml(step.get("onFailure").asString()) : defaultOnFailure,
                step.has("onUnreachable") ? OnUnreachable.fromYaml(step.get("onUnreachable").asString())
                        : OnUnreachable.FAIL,
                step.has("for") ? step.get("for").asString() : null,
                step.path("description").asString(""), pointer, tree.valueAt(pointer));
    }

    private static ParameterSpec parameter(String name, JsonNode spec) {
        ParameterType type = ParameterType.valueOf(spec.path("type").asString().toUpperCase(java.util.Locale.ROOT));
        JsonNode given = spec.path("default");
        Object defaultValue = switch (given.getNodeType()) {
            case MISSING, NULL -> null;
            case BOOLEAN -> given.asBoolean();
            case NUMBER -> given.asLong();
            default -> type == ParameterType.DURATION ? Durations.parse(given.asString()).orElseThrow()
                    : given.asString();
        };
        List<String> values = new ArrayList<>();
        spec.path("values").forEach(v -> values.add(v.asString()));
        return new ParameterSpec(name, type, spec.path("required").asBoolean(false), defaultValue,
                spec.path("description").asString(""), values, spec.path("secret").asBoolean(false));
    }

    private static Duration duration(JsonNode node) {
        return node.isString() ? Durations.parse(node.asString()).orElseThrow() : null;
    }
}
