package dev.gafail.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What a step may use while it runs, besides its typed parameters. */
public interface StepContext {

    String executionId();

    String stepId();

    /** When the step must be done by: its timeout or the execution's, whichever comes first. */
    Optional<Instant> deadline();

    Clock clock();

    /**
     * The step's own {@code timeout}, or the execution's when it has none and the step is bound by it;
     * known at plan time too, for a step type that must fit in it (a fault that ends on its own).
     */
    default Optional<Duration> timeout() {
        return Optional.empty();
    }

    Operator operator();

    /**
     * Waits, but returns early by throwing when the operator interrupts (Ctrl-C, SIGTERM), when
     * the step times out, or when a parallel sibling failed: the step is then left to be re-run.
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Waits for {@code work} (an HTTP request in flight, say) as {@link #sleep} waits: on a stop, a
     * timeout or a cancellation it cancels the work and throws, rather than waiting out the work's own
     * timeout while the operator waits.
     */
    default <T> T await(Future<T> work) throws InterruptedException, ExecutionException {
        try {
            while (true) {
                try {
                    return work.get(100, TimeUnit.MILLISECONDS); // how soon a stop is noticed
                } catch (TimeoutException e) {
                    sleep(Duration.ZERO); // throws once the step should stop
                }
            }
        } catch (InterruptedException e) {
            work.cancel(true);
            throw e;
        }
    }

    /**
     * Whether the runbook defers this step when its region or control plane does not answer
     * ({@code onUnreachable: defer}): a step type may then do what it can without it (the traffic
     * step checks the accelerator's data plane) before it throws {@link Unreachable}.
     */
    default boolean defersUnreachable() {
        return false;
    }

    /** The execution's notification sinks, by name, in the topology's order: whom {@link #notify} reaches. */
    List<String> notificationSinks();

    /**
     * Sends {@code message} to the sinks named {@code to} (all when empty) and waits until they have taken it,
     * at most {@link Outbox#BOUND}; a sink that fails is told in a notice, and fails nothing.
     *
     * @param subject the message's subject, or null for gafail's
     */
    Outbox.Delivery notify(String subject, String message, List<String> to) throws InterruptedException;

    /**
     * What the execution keeps running in this process between its steps (a load), closed when it ends
     * here; see {@link Action#resident()}.
     */
    default Residents residents() {
        throw new UnsupportedOperationException("this step runs outside an execution");
    }

    /** The runbook's main steps that have started so far in this execution, in the order they started. */
    default List<StepSpan> steps() {
        return List.of();
    }

    /**
     * Keeps {@code content} as file {@code name} beside the execution's journal, for its report, replacing an
     * earlier one of that name; where it is, for messages.
     */
    default String keep(String name, byte[] content) {
        throw new UnsupportedOperationException("this step runs outside an execution");
    }

    /** A transient status line ("waiting 12s of 30s"); shown live on a terminal, never journalled. */
    void progress(String line);

    /** Something the operator must read, such as what a failover lost: shown and journalled. */
    void notice(String line);
}
