package dev.gafail.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an execution keeps running in this process from one step to a later one (a synthetic user
 * load), by name. The execution owns them: they are closed when it ends here, however it ends
 * (success, failure, a stop, a lost lock), newest first. They die with the process; a resume in
 * another process starts them again through {@link Action#restart}.
 */
public final class Residents implements AutoCloseable {

    private final Map<String, AutoCloseable> kept = new LinkedHashMap<>();
    private boolean closed;

    /** Keeps {@code resident} under {@code key}; one already there is closed first. */
    public void keep(String key, AutoCloseable resident) throws InterruptedException {
        AutoCloseable before;
        synchronized (this) {
            if (closed) {
                // The execution ended while the step started it: nothing may outlive the execution.
                quietly(resident);
                throw new InterruptedException("the execution has ended");
            }
            before = kept.put(key, resident);
        }
        if (before != null && before != resident) {
            quietly(before);
        }
    }

    /** What is kept under {@code key}, if it is a {@code type}. */
    public synchronized <T> Optional<T> get(String key, Class<T> type) {
        return Optional.ofNullable(kept.get(key)).filter(type::isInstance).map(type::cast);
    }

    /** Takes what is kept under {@code key} away from the execution: the caller closes it now. */
    public synchronized Optional<AutoCloseable> release(String key) {
        return Optional.ofNullable(kept.remove(key));
    }

    /** Closes everything kept, newest first; never throws, so that the execution's own end is what is seen. */
    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(kept.values());
            kept.clear();
        }
        Collections.reverse(all);
        all.forEach(Residents::quietly);
    }

    private static void quietly(AutoCloseable resident) {
        // A stop may have left the interrupt flag set; closing must still wait for what it stops.
        boolean interrupted = Thread.interrupted();
        try {
            resident.close();
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (Exception e) {
            // Closing what the execution started is best effort: the process ends it anyway.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
