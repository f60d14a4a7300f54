package dev.gafail.engine;

/**
 * A step's region or control plane did not answer: no connection, or no answer in time, as when a
 * region is lost. Retryable unless the place is now known lost (a read of a lost region is tried
 * once). A step whose runbook says {@code onUnreachable: defer} is deferred to {@code gafail
 * reconcile} instead of failing.
 *
 * @see dev.gafail.runbook.OnUnreachable
 */
public class Unreachable extends StepFailure {

    private final String api;

    /** @param api what did not answer, e.g. "us-east-1's AWS APIs" or "Global Accelerator's control plane (us-west-2)" */
    public Unreachable(String api, String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
        this.api = api;
    }

    public String api() {
        return api;
    }
}
