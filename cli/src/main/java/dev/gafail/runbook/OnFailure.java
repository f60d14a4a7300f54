package dev.gafail.runbook;

/** What the engine does when a step fails for good. */
public enum OnFailure {
    /** Run the compensations of what was done, newest first, and stop. */
    ROLLBACK,
    /** Stop where we are; {@code gafail resume} retries the failed step. */
    STOP,
    /** Record the failure and go on with the next step. */
    CONTINUE;

    public static OnFailure fromYaml(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
