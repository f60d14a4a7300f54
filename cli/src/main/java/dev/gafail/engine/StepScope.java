package dev.gafail.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The {@link StepContext} of one running step: its deadline, and why it was cancelled, if it was. */
final class StepScope implements StepContext {

    private final Execution execution;
    private final String stepId;
    private final Instant deadline;
    private final Clock clock;
    private final boolean defersUnreachable;
    private volatile String cancelled;

    StepScope(Execution execution, String stepId, Instant deadline, Clock clock, boolean defersUnreachable) {
        this.execution = execution;
        this.stepId = stepId;
        this.deadline = deadline;
        this.clock = clock;
        this.defersUnreachable = defersUnreachable;
    }

    /** Marks the step cancelled, saying why (a timeout, a failed sibling); its thread is interrupted next. */
    void cancel(String why) {
        cancelled = why;
    }

    /** Stops the whole execution at its next safe point, saying why: what no step of it can go on without. */
    void stopExecution(String why) {
        execution.stop().request(why);
    }

    /** Why the step was cancelled, or null. */
    String cancelled() {
        return cancelled;
    }

    @Override
    public String executionId() {
        return execution.id();
    }

    @Override
    public String stepId() {
        return stepId;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Operator operator() {
        return execution.operator();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("cancelled");
        }
        execution.stop().sleep(duration);
    }

    @Override
    public boolean defersUnreachable() {
        return defersUnreachable;
    }

    @Override
    public void progress(String line) {
        emit(EventType.PROGRESS, line);
    }

    @Override
    public void notice(String line) {
        emit(EventType.NOTICE, line);
    }

    private void emit(EventType type, String line) {
        execution.events().on(new Event(type, clock.instant(), execution.id(), null, stepId, null, null, line,
                Map.of()));
    }
}
