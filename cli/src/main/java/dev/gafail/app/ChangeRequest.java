package dev.gafail.app;

import java.time.Duration;

/**
 * What a command that changes something asks for besides the runbook: approval given in advance
 * ({@code --yes}), the reason, a bound on the whole execution, and the override of a stale lock.
 *
 * @param timeout null: the runbook's own
 */
public record ChangeRequest(boolean preApproved, String reason, Duration timeout, boolean forceUnlock) {

    /** A plan: nothing to approve, no reason, no bound, no lock taken. */
    public static ChangeRequest none() {
        return new ChangeRequest(false, null, null, false);
    }
}
