package dev.gafail.engine;

/**
 * A step could not do its work. {@code retryable} says whether trying again may help (throttling,
 * a transient network error, a state still converging); the engine retries only those.
 */
public class StepFailure extends Exception {

    private final boolean retryable;

    public StepFailure(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public StepFailure(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public static StepFailure permanent(String message) {
        return new StepFailure(message, false);
    }

    public static StepFailure transientFailure(String message) {
        return new StepFailure(message, true);
    }

    public boolean retryable() {
        return retryable;
    }
}
