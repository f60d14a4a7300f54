package dev.gafail.runbook;

import dev.gafail.yaml.SourcePosition;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One step as written: {@code with} is the parameter tree with its expressions not yet evaluated.
 * {@code timeout} is null when unbounded; {@code onUnreachable} says whether a step whose region or
 * control plane does not answer is deferred (to {@code gafail reconcile}) or fails; {@code compensates} (YAML {@code for}) names the step a
 * rollback entry undoes, or is null. {@code when} is the condition the step runs under, its expression not yet
 * evaluated: a missing node when it always runs.
 */
public record StepSpec(String id, String action, JsonNode with, JsonNode when, Duration timeout, RetryPolicy retry,
                       OnFailure onFailure, OnUnreachable onUnreachable, String compensates, String description, String pointer,
                       SourcePosition position) implements StepNode {

    @Override
    public List<StepSpec> members() {
        return List.of(this);
    }
}
