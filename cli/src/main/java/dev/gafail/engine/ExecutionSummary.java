package dev.gafail.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One line of {@code gafail history}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionSummary(String id, String runbook, ExecutionStatus status, Instant startedAt,
                               long durationMs, String user, String host, String reason, String message) {
}
