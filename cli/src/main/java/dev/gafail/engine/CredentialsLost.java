package dev.gafail.engine;

/**
 * The operator's credentials ended and gafail cannot renew them (an SSO session that expired, a
 * session token past its time, a credential process that fails). Neither a retry nor a rollback
 * could act without them, so the execution stops at this safe point, resumable once they are
 * renewed; the message says how.
 */
public final class CredentialsLost extends StepFailure {

    public CredentialsLost(String message, Throwable cause) {
        super(message, false, cause);
    }
}
