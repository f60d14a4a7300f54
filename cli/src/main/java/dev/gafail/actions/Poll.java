package dev.gafail.actions;

import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Waits for a change to take effect, polling, bounded by the step's deadline (or, when the step
 * has no timeout, by a limit of the step type's own). Transient errors while polling (throttling,
 * a 5xx) are waited out; a permanent one ends the wait.
 */
final class Poll {

    /** What is still awaited, or empty when the change has taken effect. */
    @FunctionalInterface
    interface Pending {
        Optional<String> check() throws StepFailure;
    }

    private Poll() {
    }

    static void until(StepContext context, Duration interval, Duration limit, String what, Pending pending)
            throws StepFailure, InterruptedException {
        Instant start = context.clock().instant();
        Instant end = context.deadline().orElse(start.plus(limit));
        while (true) {
            String waiting;
            try {
                Optional<String> left = pending.check();
                if (left.isEmpty()) {
                    return;
                }
                waiting = left.get();
            } catch (StepFailure failure) {
                if (!failure.retryable()) {
                    throw failure;
                }
                waiting = failure.getMessage();
            }
            Instant now = context.clock().instant();
            if (!now.plus(interval).isBefore(end)) {
                throw StepFailure.permanent("gave up waiting for " + what + " after "
                        + Durations.human(Duration.between(start, now)) + ": " + waiting);
            }
            context.progress(what + ": " + waiting + "; " + Durations.human(Duration.between(start, now)) + " of at most "
                    + Durations.human(Duration.between(start, end)));
            context.sleep(interval);
        }
    }
}
