package dev.gafail.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happened; written in journals and JSON output as kebab-case ({@code step-applying}). */
public enum EventType {
    EXECUTION_STARTED,
    EXECUTION_RESUMED,
    /** A step's plan: current -> desired. */
    PLANNED,
    /** The plan waits for approvals of others ({@code approvals.required} > 1); its data are the {@link PlanApproval}. */
    APPROVAL_REQUESTED,
    /** One person approved the plan: the requester at the prompt, or another with {@code gafail approve}. */
    APPROVAL_GRANTED,
    APPROVAL_DECLINED,
    STEP_STARTED,
    /** Journalled before the step's change is made. */
    STEP_APPLYING,
    STEP_APPLIED,
    STEP_SUCCEEDED,
    /** Nothing to do: already in the desired state, or completed before a resume. */
    STEP_SKIPPED,
    STEP_RETRYING,
    STEP_FAILED,
    /**
     * The step's region or control plane did not answer and the runbook defers it ({@code onUnreachable:
     * defer}): the execution goes on, and {@code gafail reconcile} completes the step later.
     */
    STEP_DEFERRED,
    ROLLBACK_STARTED,
    /** Journalled before a step type's own compensation makes its change (format 2). */
    ROLLBACK_APPLYING,
    /** A step type's own compensation made its change; a resumed rollback does not make it again (format 2). */
    ROLLBACK_APPLIED,
    /** Every compensation of a step (its step type's, its rollback entries) ran. */
    ROLLBACK_SUCCEEDED,
    ROLLBACK_FAILED,
    /** Something the operator should know that is not a step's doing (a stale lock taken over). */
    NOTICE,
    /** A live status line; shown, never journalled. */
    PROGRESS,
    EXECUTION_INTERRUPTED,
    EXECUTION_FINISHED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static EventType fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
