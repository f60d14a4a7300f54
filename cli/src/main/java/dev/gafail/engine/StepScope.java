package dev.gafail.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The {@link StepContext} of one running step: its deadline, and why it was cancelled, if it was. */
final class StepScope implements StepContext {

    enum Cancel { TIMEOUT, SIBLING_FAILED }

    private final Execution execution;
    private final String stepId;
    private final Instant deadline;
    private final Clock clock;
    private volatile Cancel cancelled;
    private volatile String cancelDetail;

    StepScope(Execution execution, String stepId, Instant deadline, Clock clock) {
        this.execution = execution;
        this.stepId = stepId;
        this.deadline = deadline;
        this.clock = clock;
    }

    void cancel(Cancel why, String detail) {
        cancelDetail = detail;
        cancelled = why;
    }

    Cancel cancelled() {
        return cancelled;
    }

    String cancelDetail() {
        return cancelDetail;
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
    public void progress(String line) {
        execution.events().on(new Event(EventType.PROGRESS, clock.instant(), execution.id(), null, stepId,
                null, null, line, Map.of()));
    }
}
