package dev.gafail.runbook;

import dev.gafail.yaml.SourcePosition;
import java.util.List;

/** Steps that run concurrently; the first failure cancels the others. */
public record ParallelGroup(List<StepSpec> steps, SourcePosition position) implements StepNode {

    public ParallelGroup {
        steps = List.copyOf(steps);
    }

    @Override
    public List<StepSpec> members() {
        return steps;
    }
}
