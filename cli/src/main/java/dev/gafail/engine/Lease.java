package dev.gafail.engine;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * An execution's hold on its lock. A local lock is the kernel's and cannot be lost; a lock in a shared
 * bucket is a lease, renewed while the execution runs, that can run out or be taken over.
 */
public interface Lease extends AutoCloseable {

    /** Who holds it: this process, for this execution. */
    ExecutionLock.Holder holder();

    /** The holder that died without releasing the lock, which this one took over from. */
    Optional<ExecutionLock.Holder> staleHolder();

    /**
     * Refuses, by throwing, once this process may no longer act under the lock: before every journal
     * write and every AWS call.
     *
     * @throws LockLost when the lease ran out or was taken over
     */
    void check();

    /** Tells {@code listener} why, once, if the lease is lost while the execution waits; a local lock never is. */
    default void onLost(Consumer<String> listener) {
    }

    /** Releases the lock, unless it was lost (then it is no longer this process's to release). */
    @Override
    void close();
}
