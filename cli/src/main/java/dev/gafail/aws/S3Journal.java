package dev.gafail.aws;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.Journal;
import dev.gafail.engine.JournalWriter;
import dev.gafail.engine.Lease;
import dev.gafail.engine.LockLost;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * An execution's journal in the state bucket: one object per event, its sequence number in its key,
 * created only if absent. Events are never torn or fused, and a holder that lost its lock cannot
 * write on: the sequence number it would write is taken, and it stops at once.
 */
final class S3Journal implements JournalWriter {

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

    @Override
    public synchronized void on(Event event) {
        if (event.type() == EventType.PROGRESS) {
            return;
        }
        lease.check();
        byte[] bytes = Journal.text(event).getBytes(StandardCharsets.UTF_8);
        String key = state.eventKey(execution, next);
        if (state.objects().create(key, bytes).isEmpty()) {
            Optional<byte[]> there = state.objects().get(key).map(S3Objects.Found::bytes);
            // The same bytes: this write's own earlier attempt reached S3 before its answer was lost.
            if (there.isEmpty() || !Arrays.equals(there.get(), bytes)) {
                throw new LockLost(ExitCode.LOCKED, "stopped: event " + next + " of execution " + execution
                        + " was written by another gafail, which took over its lock; nothing more was changed or"
                        + " journalled here. See: gafail show " + execution);
            }
        }
        next++;
    }

    @Override
    public void close() {
    }
}
