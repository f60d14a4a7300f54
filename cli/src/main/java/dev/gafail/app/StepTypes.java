package dev.gafail.app;

import dev.gafail.actions.Target;
import dev.gafail.engine.ActionRegistry;
import java.util.function.Supplier;

/** The step types a command may run, given what the AWS ones act on (resolved only when a step runs). */
@FunctionalInterface
public interface StepTypes {

    ActionRegistry registry(Supplier<Target> target);
}
