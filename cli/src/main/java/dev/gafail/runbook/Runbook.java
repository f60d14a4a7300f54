package dev.gafail.runbook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated runbook. {@code timeout} bounds the whole execution (null: unbounded); {@code approvals}
 * says who must approve its plan.
 * {@code source} is the file's text, kept so an execution can be resumed with exactly the runbook it began with.
 * {@code children} are the runbooks its {@code runbook.run} steps run, loaded and checked with it, by the
 * reference the step writes.
 */
public record Runbook(String file, Metadata metadata, Map<String, ParameterSpec> parameters,
                      List<StepSpec> preconditions, List<StepNode> steps, List<StepSpec> verify,
                      List<StepSpec> rollback, Duration timeout, ApprovalPolicy approvals, String source,
                      Map<String, Runbook> children) {

    public Runbook {
        parameters = Map.copyOf(parameters);
        children = Map.copyOf(children);
        preconditions = List.copyOf(preconditions);
        steps = List.copyOf(steps);
        verify = List.copyOf(verify);
        rollback = List.copyOf(rollback);
    }

    public String name() {
        return metadata.name();
    }

    /** The steps in order, parallel groups flattened. */
    public List<StepSpec> flatSteps() {
        List<StepSpec> all = new ArrayList<>();
        for (StepNode node : steps) {
            all.addAll(node.members());
        }
        return all;
    }

    /** Every step of every phase: preconditions, steps, verify, rollback. */
    public List<StepSpec> allSteps() {
        List<StepSpec> all = new ArrayList<>(preconditions);
        all.addAll(flatSteps());
        all.addAll(verify);
        all.addAll(rollback);
        return all;
    }

    /** Every step of every phase of this runbook and of every runbook it runs: what it may call. */
    public List<StepSpec> everyStep() {
        return withChildren().stream().flatMap(r -> r.allSteps().stream()).toList();
    }

    /** Every step of every phase, by id. */
    public Optional<StepSpec> find(String id) {
        return allSteps().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The runbook a {@code runbook.run} step names as {@code ref}. */
    public Runbook child(String ref) {
        Runbook child = children.get(ref);
        if (child == null) {
            throw new IllegalArgumentException("runbook " + file + " loaded no child runbook " + ref);
        }
        return child;
    }

    /** This runbook and every runbook it runs, however deep, each once. */
    public List<Runbook> withChildren() {
        List<Runbook> all = new ArrayList<>(List.of(this));
        children.values().forEach(child -> child.withChildren().stream()
                .filter(r -> all.stream().noneMatch(known -> known.file().equals(r.file()))).forEach(all::add));
        return all;
    }

    public record Metadata(String name, String description) {
    }
}
