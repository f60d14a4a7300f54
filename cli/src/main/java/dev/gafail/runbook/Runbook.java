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
 */
public record Runbook(String file, Metadata metadata, Map<String, ParameterSpec> parameters,
                      List<StepSpec> preconditions, List<StepNode> steps, List<StepSpec> verify,
                      List<StepSpec> rollback, Duration timeout, ApprovalPolicy approvals, String source) {

    public Runbook {
        parameters = Map.copyOf(parameters);
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

    /** Every step of every phase, by id. */
    public Optional<StepSpec> find(String id) {
        return allSteps().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public record Metadata(String name, String description) {
    }
}
