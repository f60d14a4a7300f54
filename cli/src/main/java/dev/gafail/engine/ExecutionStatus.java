package dev.gafail.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an execution stands, as {@code gafail history} reports it. */
public enum ExecutionStatus {
    RUNNING, INTERRUPTED, SUCCEEDED,
    /** Succeeded, but some steps wait for a region or control plane to answer again ({@code gafail reconcile}). */
    SUCCEEDED_WITH_DEFERRED,
    FAILED, ROLLED_BACK, ABORTED,
    /** Ran to a verdict that failed: a target was missed (a drill); nothing is left to resume. */
    VERDICT_FAILED,
    /** Its process ended before the execution's start was journalled: nothing was done. */
    DID_NOT_START;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static ExecutionStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether {@code gafail resume} can finish it. */
    public boolean resumable() {
        return this == INTERRUPTED || this == FAILED || this == ABORTED;
    }
}
