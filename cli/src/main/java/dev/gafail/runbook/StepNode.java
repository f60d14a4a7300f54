package dev.gafail.runbook;

import java.util.List;

/** An entry of {@code steps}: one step, or a group of steps that run concurrently. */
public sealed interface StepNode permits StepSpec, ParallelGroup {

    List<StepSpec> members();
}
