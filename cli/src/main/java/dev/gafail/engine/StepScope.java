package dev.gafail.engine;

import dev.gafail.runbook.StepSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link StepContext} of one running step: its deadline, and why it was cancelled, if it was; for the
 * engine's own step types, its execution, the engine, and whether it is only being planned.
 */
final class StepScope implements StepContext {

    private final Execution execution;
    private final String stepId;
    private final Instant deadline;
    private final Clock clock;
    private final boolean defersUnreachable;
    private final Engine engine;
    private final boolean planning;
    /** The phase the step runs or is planned in, which its progress and notices carry as its start and end do. */
    private final Phase phase;
    private volatile String cancelled;

    StepScope(Execution execution, String stepId, Phase phase, Instant deadline, Clock clock,
              boolean defersUnreachable, Engine engine, boolean planning) {
        this.execution = execution;
        this.stepId = stepId;
        this.phase = phase;
        this.deadline = deadline;
        this.clock = clock;
        this.defersUnreachable = defersUnreachable;
        this.engine = engine;
        this.planning = planning;
    }

    Execution execution() {
        return execution;
    }

    Engine engine() {
        return engine;
    }

    /** Whether this is the step's plan for a dry run or an approval, rather than the plan that precedes its apply. */
    boolean planning() {
        return planning;
    }

    /** The step's id as it is known to its execution's own (unqualified) events. */
    String localId() {
        return stepId;
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

    /** Qualified by the runbook.run steps it runs under ({@code failover/switch-writer}): unique in the execution. */
    @Override
    public String stepId() {
        return execution.within() + stepId;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public Optional<Duration> timeout() {
        Optional<Duration> own = execution.runbook().find(stepId).map(StepSpec::timeout);
        if (own.isPresent()) {
            return own;
        }
        return Optional.ofNullable(execution.deadline()).map(end -> Duration.between(clock.instant(), end));
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
    public List<String> notificationSinks() {
        return execution.notifier().sinks();
    }

    @Override
    public Outbox.Delivery notify(String subject, String message, List<String> to) throws InterruptedException {
        return execution.notifier().message(execution.id(), stepId(), subject, message, to);
    }

    @Override
    public Residents residents() {
        return execution.residents();
    }

    @Override
    public List<StepSpan> steps() {
        return execution.state().spans(execution.runbook().flatSteps().stream().map(StepSpec::id).toList());
    }

    @Override
    public void progress(String line) {
        emit(EventType.PROGRESS, line);
    }

    @Override
    public String keep(String name, byte[] content) {
        return execution.attachments().keep(name, content);
    }

    @Override
    public void notice(String line) {
        emit(EventType.NOTICE, line);
    }

    private void emit(EventType type, String line) {
        execution.events().on(new Event(type, clock.instant(), execution.id(), phase, stepId, null, null, line,
                Map.of()));
    }
}
