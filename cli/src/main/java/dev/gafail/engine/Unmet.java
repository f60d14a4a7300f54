package dev.gafail.engine;

/**
 * What a step's plan found makes the step impossible whatever runs before it: a resource that does not
 * exist, a fault that would outlast the step. Like a failed precondition it refuses the run before
 * anything changes (exit 3), where another plan failure only makes a dry run's plan incomplete.
 */
public class Unmet extends StepFailure {

    public Unmet(String message) {
        super(message, false);
    }
}
