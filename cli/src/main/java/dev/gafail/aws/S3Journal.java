package dev.gafail.aws;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.Journal;
import dev.gafail.engine.JournalWriter;
import dev.gafail.engine.Lease;
import dev.gafail.engine.LockLost;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * An execution's journal in the state bucket: one object per event, its sequence number in its key,
 * created only if absent. Events are never torn or fused, and a holder that lost its lock cannot
 * write on: the sequence number it would write is taken, and it stops at once.
 */
final class S3Journal implements JournalWriter {

    /** How long to wait before writing again to a bucket that did not answer. */
    private static final Duration RETRY = Duration.ofMillis(500);

    private final S3State state;
    private final String execution;
    private final Lease lease;
    private long next;

    S3Journal(S3State state, String execution, Lease lease, long next) {
        this.state = state;
        this.execution = execution;
        this.lease = lease;
        this.next = next;
    }

    /**
     * Writes the event, trying again while the lease lasts when the bucket does not answer: a short outage
     * only delays the execution, a long one ends its lease, and it stops in place, resumable.
     */
    @Override
    public synchronized void on(Event event) {
        if (event.type() == EventType.PROGRESS) {
            return;
        }
        byte[] bytes = Journal.text(event).getBytes(StandardCharsets.UTF_8);
        boolean interrupted = false;
        try {
            while (true) {
                lease.check();
                try {
                    write(bytes);
                    return;
                } catch (UncheckedIOException unanswered) {
                    interrupted |= pause();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void write(byte[] bytes) {
        while (true) {
            String key = state.eventKey(execution, next);
            if (state.objects().create(key, bytes).isPresent()) {
                next++;
                return;
            }
            Optional<byte[]> there = state.objects().get(key).map(S3Objects.Found::bytes);
            // The same bytes: this write's own earlier attempt reached S3 before its answer was lost.
            if (there.isPresent() && Arrays.equals(there.get(), bytes)) {
                next++;
                return;
            }
            // A late taker's notice, fencing a holder before this one, is not meant for this one: pass it by.
            if (there.isEmpty() || !state.fencesAnother(there.get(), key, lease.holder())) {
                throw new LockLost(ExitCode.LOCKED, "stopped: event " + next + " of execution " + execution
                        + " was written by another gafail, which took over its lock; nothing more was changed or"
                        + " journalled here. See: gafail show " + execution);
            }
            next++;
        }
    }

    /** Waits before the next try; an event is written whatever else stops, so an interrupt only waits less. */
    private static boolean pause() {
        try {
            Thread.sleep(RETRY.toMillis());
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    @Override
    public void close() {
    }
}
