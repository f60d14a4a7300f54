package dev.gafail.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an execution's journal says of its steps, as a resume and the step types that report per step read it. */
class ExecutionStateTest {

    private static Event event(EventType type, String step, int second) {
        return new Event(type, Instant.ofEpochSecond(second), "x", Phase.STEP, step, "runbook.run", null, null,
                Map.of());
    }

    @Test
    void aDeferredStepCompletedLaterKeepsTheWindowItFirstRanInAndAResumedOneItsLatest() {
        ExecutionState state = ExecutionState.replay(List.of(
                event(EventType.STEP_STARTED, "failover", 1), event(EventType.STEP_DEFERRED, "failover", 2),
                event(EventType.STEP_STARTED, "wait", 3),
                // killed while wait ran: the resume runs it anew
                event(EventType.STEP_STARTED, "wait", 5), event(EventType.STEP_SUCCEEDED, "wait", 6),
                // completed by a later step (runbook.reconcile): the fence's time, not the failover's
                event(EventType.STEP_STARTED, "failover", 7), event(EventType.STEP_SUCCEEDED, "failover", 8)));

        assertEquals(List.of(
                new StepSpan("failover", "runbook.run", Instant.ofEpochSecond(1), Optional.of(Instant.ofEpochSecond(2))),
                new StepSpan("wait", "runbook.run", Instant.ofEpochSecond(5), Optional.of(Instant.ofEpochSecond(6)))),
                state.spans(List.of("failover", "wait")));
        assertFalse(state.deferred("failover"), "completed since");
    }
}
