package dev.gafail.engine;

import java.time.Instant;
import java.util.Optional;

/**
 * When a main step of an execution ran, as journalled: from its latest start to its end, which is
 * empty while it runs.
 */
public record StepSpan(String step, String action, Instant start, Optional<Instant> end) {
}
