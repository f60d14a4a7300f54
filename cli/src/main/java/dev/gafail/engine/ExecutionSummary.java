package dev.gafail.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One line of {@code gafail history}. {@code tornBytes}: the length of a torn last line that the
 * journal's writer left when it died (null: none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionSummary(String id, String runbook, ExecutionStatus status, Instant startedAt,
                               long durationMs, String user, String host, String reason, String message,
                               Integer tornBytes) {

    /** What an operator should know about a torn last line, if there is one. */
    public String tornNote() {
        return tornBytes == null ? null : "the journal's last line was torn (" + tornBytes + " bytes; its writer"
                + " died mid-line) and was set aside: the event it began was never acknowledged";
    }
}
