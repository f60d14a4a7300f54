package dev.gafail.cli;

import dev.gafail.engine.Change;
import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Phase;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** One line of an execution's timeline per event that says something to a reader; the rest say nothing. */
final class Timeline {

    private Timeline() {
    }

    /** The line of {@code e}, or null; {@code begun} remembers when each step started, for its duration. */
    static String line(Event e, Map<String, Instant> begun) {
        String who = e.step() == null ? "" : (e.phase() == null || e.phase() == Phase.STEP ? "" : e.phase().wire()
                + " ") + e.step() + " ";
        String key = e.phase() + "/" + e.step();
        return switch (e.type()) {
            case EXECUTION_STARTED -> "started by " + e.text("user") + "@" + e.text("host") + " pid " + e.text("pid");
            case EXECUTION_RESUMED -> "resumed by " + e.text("user") + "@" + e.text("host") + " pid " + e.text("pid");
            case APPROVAL_REQUESTED, APPROVAL_GRANTED, APPROVAL_DECLINED, NOTICE, EXECUTION_INTERRUPTED,
                 EXECUTION_FINISHED, ROLLBACK_STARTED -> e.type().wire() + ": " + e.message();
            case STEP_STARTED -> {
                begun.put(key, e.time());
                yield who + "started";
            }
            case STEP_RETRYING -> who + "attempt " + e.attempt() + " failed: " + e.message();
            case STEP_SUCCEEDED, STEP_SKIPPED, STEP_FAILED, STEP_DEFERRED -> who + outcome(e) + took(begun.get(key), e.time())
                    + (e.message() == null ? "" : ": " + e.message());
            case ROLLBACK_SUCCEEDED, ROLLBACK_FAILED -> who + e.type().wire() + ": " + e.message();
            case PLANNED, STEP_APPLYING, STEP_APPLIED, ROLLBACK_APPLYING, ROLLBACK_APPLIED, PROGRESS -> null;
        };
    }

    /** "succeeded", "failed", "skipped"; a check that found its condition true "passed". */
    private static String outcome(Event e) {
        boolean check = e.phase() == Phase.PRECONDITION || e.phase() == Phase.VERIFY;
        return check && e.type() == EventType.STEP_SKIPPED ? "passed" : e.type().wire().substring("step-".length());
    }

    private static String took(Instant from, Instant to) {
        return from == null ? "" : " in " + Durations.human(Duration.between(from, to));
    }

    /** A change about to be applied, as a follower wants to see it before it happens: the step, from, to. */
    static String applying(Event e) {
        Object change = e.get("change");
        String what = change instanceof Map<?, ?> c ? c.get("current") + " -> " + c.get("desired")
                : change instanceof Change c ? c.current() + " -> " + c.desired() : "a change";
        return (e.type() == EventType.ROLLBACK_APPLYING ? "compensating " : "applying ") + e.step() + ": " + what;
    }
}
