package dev.gafail.actions;

import dev.gafail.engine.StepFailure;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads made all at once, each awaited until one deadline, for a command that must answer within a budget
 * whatever the endpoints do ({@code gafail status}'s cells, {@code gafail check}'s rows). A read still
 * unanswered at the deadline is cancelled; the threads are daemons, so that a read that ignores its
 * interrupt does not keep gafail from exiting. Close to end the reads that remain.
 */
public final class BoundedReads implements AutoCloseable {

    private final ExecutorService pool;
    private final long deadline;

    /** @param name the threads' name, as a thread dump shows them */
    public BoundedReads(String name, Duration budget) {
        this.deadline = System.nanoTime() + budget.toNanos();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts {@code read} now. */
    public <T> Future<T> submit(Callable<T> read) {
        return pool.submit(read);
    }

    /**
     * What {@code read} gave, or {@code failed} of what it threw, or {@code late} when the budget was spent
     * first (the read is then cancelled).
     */
    public <T> T await(Future<T> read, Function<Throwable, T> failed, Supplier<T> late) throws InterruptedException {
        try {
            return read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return failed.apply(e.getCause());
        } catch (TimeoutException e) {
            read.cancel(true);
            return late.get();
        }
    }

    /**
     * The value of a read that others need (who writes the database, a service as ECS describes it), waited
     * for as long as it takes (its own calls are bounded); its step failure is theirs.
     */
    public static <T> T value(Future<T> read) throws StepFailure, InterruptedException {
        try {
            return read.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StepFailure f ? f : StepFailure.permanent(String.valueOf(e.getCause()));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
