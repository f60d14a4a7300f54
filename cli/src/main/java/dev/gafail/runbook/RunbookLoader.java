package dev.gafail.runbook;

import dev.gafail.yaml.Durations;
import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.PositionedTree;
import dev.gafail.yaml.Problem;
import dev.gafail.yaml.SchemaProblems;
import dev.gafail.yaml.Suggestions;
import dev.gafail.yaml.UserFiles;
import dev.gafail.yaml.YamlDocuments;
import dev.gafail.yaml.YamlTreeReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads a runbook file into the model, or reports every problem in it at once:
 * YAML (syntax, encoding, duplicate keys, limits), then the JSON Schema, then the cross-references.
 * Nothing is executed and nothing is written.
 */
public final class RunbookLoader {

    /** The step type that runs another runbook, whose {@code with.runbook} names it. */
    public static final String RUN = "runbook.run";

    private final ActionCatalog actions;
    private final RunbookSchema schema;
    private final Expressions expressions;
    private final RunbookSources sources;
    private static final String SHAPE = "a runbook is a YAML mapping with apiVersion, kind, metadata and steps";

    private final YamlTreeReader reader = new YamlTreeReader();

    /** A loader for runbooks whose {@code runbook.run} steps name files beside them. */
    public RunbookLoader(ActionCatalog actions, Expressions expressions) {
        this(actions, expressions, RunbookLoader::beside);
    }

    public RunbookLoader(ActionCatalog actions, Expressions expressions, RunbookSources sources) {
        this.actions = actions;
        this.schema = new RunbookSchema(actions);
        this.expressions = expressions;
        this.sources = sources;
    }

    /** The same checks, with children read from {@code other} (an execution's kept copies). */
    public RunbookLoader with(RunbookSources other) {
        return new RunbookLoader(actions, expressions, other);
    }

    /** The file {@code ref} names relative to the folder of {@code parentFile}, if both are files. */
    public static Optional<RunbookSources.Source> beside(String parentFile, String ref) throws InvalidFileException {
        Path file;
        try {
            Path parent = Path.of(parentFile).toAbsolutePath().getParent();
            file = parent == null ? Path.of(ref) : parent.resolve(ref).normalize();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return Files.isRegularFile(file) ? Optional.of(new RunbookSources.Source(file.toString(), UserFiles.read(file)))
                : Optional.empty();
    }

    public RunbookSchema schema() {
        return schema;
    }

    public Runbook load(Path file) throws InvalidFileException {
        return parse(file.toString(), UserFiles.read(file));
    }

    public Runbook parse(String file, byte[] bytes) throws InvalidFileException {
        return parse(file, bytes, List.of());
    }

    /** @param running the files of the runbooks that run this one, outermost first: none may run again */
    private Runbook parse(String file, byte[] bytes, List<String> running) throws InvalidFileException {
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
        return bind(tree, new String(bytes, StandardCharsets.UTF_8), children(tree, running));
    }

    /**
     * Loads the runbooks this one's {@code runbook.run} steps name, each checked as a file of its own, and
     * checks the parameters each step gives against those its child declares.
     */
    private Map<String, Runbook> children(PositionedTree tree, List<String> running) throws InvalidFileException {
        List<String> chain = new ArrayList<>(running);
        chain.add(tree.file());
        Map<String, Runbook> children = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (String pointer : stepPointers(tree.root())) {
            JsonNode with = tree.root().at(pointer + "/with");
            if (!RUN.equals(tree.root().at(pointer + "/action").asString(""))) {
                continue;
            }
            String ref = with.path("runbook").asString();
            String at = pointer + "/with/runbook";
            if (!children.containsKey(ref)) {
                Optional<RunbookSources.Source> source = sources.child(tree.file(), ref);
                if (source.isEmpty()) {
                    problems.add(tree.problem(at, "no runbook '" + ref + "' to run: a file beside this one, or"
                            + " bundled:NAME for a runbook that ships with gafail"));
                    continue;
                }
                if (chain.contains(source.get().file())) {
                    problems.add(tree.problem(at, "runbook '" + ref + "' would run itself: "
                            + String.join(" -> ", chain) + " -> " + source.get().file()));
                    continue;
                }
                children.put(ref, parse(source.get().file(), source.get().bytes(), chain));
            }
            problems.addAll(parameterProblems(tree, pointer + "/with/params", children.get(ref)));
        }
        if (!problems.isEmpty()) {
            throw YamlDocuments.sorted(problems);
        }
        return children;
    }

    /** The pointers of every step that may change something: main steps, parallel members, rollback entries. */
    private static List<String> stepPointers(JsonNode root) {
        List<String> pointers = new ArrayList<>();
        JsonNode steps = root.path("steps");
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).has("parallel")) {
                for (int j = 0; j < steps.get(i).get("parallel").size(); j++) {
                    pointers.add("/steps/" + i + "/parallel/" + j);
                }
            } else {
                pointers.add("/steps/" + i);
            }
        }
        for (int i = 0; i < root.path("rollback").size(); i++) {
            pointers.add("/rollback/" + i);
        }
        return pointers;
    }

    /** A parameter the child does not declare, or a required one without a default that the step does not give. */
    private static List<Problem> parameterProblems(PositionedTree tree, String pointer, Runbook child) {
        List<Problem> problems = new ArrayList<>();
        JsonNode given = tree.root().at(pointer);
        for (String name : given.propertyNames()) {
            if (!child.parameters().containsKey(name)) {
                problems.add(new Problem(tree.keyAt(pointer + "/" + name), "runbook '" + child.name()
                        + "' has no parameter '" + name + "'" + Suggestions.didYouMean(name, child.parameters().keySet())
                        + (child.parameters().isEmpty() ? "" : "; it has: " + String.join(", ",
                        child.parameters().keySet())), pointer + "/" + name));
            }
        }
        for (ParameterSpec spec : child.parameters().values()) {
            if (spec.required() && spec.defaultValue() == null && !given.has(spec.name())) {
                String at = given.isMissingNode() ? PositionedTree.parent(pointer) : pointer;
                problems.add(tree.problem(at, "runbook '" + child.name() + "' needs parameter '" + spec.name()
                        + "'" + (spec.description().isEmpty() ? "" : " (" + spec.description() + ")")));
            }
        }
        return problems;
    }

    /** Builds the model from a tree that passed every check, so values are of the expected shapes. */
    private static Runbook bind(PositionedTree tree, String source, Map<String, Runbook> children) {
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
                duration(root.path("timeout")), ApprovalPolicy.at(tree, "/approvals"), source, children);
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
                step.has("with") ? step.get("with") : JsonNodeFactory.instance.objectNode(), step.path("when"),
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
