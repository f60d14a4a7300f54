package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionLock;
import dev.gafail.engine.ExecutionStatus;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.Json;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code gafail show ID --follow}: a running execution live, from any machine that shares its state.
 * It reads the journal again every {@link #POLL} and prints what is new: who holds it, each step, each
 * change before it is applied; then the end, and exits with the execution's exit code.
 */
final class Following {

    static final Duration POLL = Duration.ofSeconds(1);
    /** How long an execution whose start is not journalled yet is waited for before it counts as never started. */
    private static final Duration START_GRACE = Duration.ofSeconds(30);

    private final Gafail gafail;
    private final ExecutionStore store;
    private final String execution;
    private final Duration every;

    Following(Gafail gafail, ExecutionStore store, String execution, Duration every) {
        this.gafail = gafail;
        this.store = store;
        this.execution = execution;
        this.every = every;
    }

    int follow() {
        PrintWriter out = gafail.context().out();
        Map<String, Instant> begun = new HashMap<>();
        Instant since = gafail.context().clock().instant();
        String holder = null;
        int seen = 0;
        boolean lastLook = false;
        while (true) {
            ExecutionStore.Stored stored;
            try {
                stored = store.load(execution, gafail.context().clock());
            } catch (UncheckedIOException unanswered) {
                // The state did not answer this time: a follower waits, as the holder does.
                if (!paused()) {
                    return ExitCode.ABORTED.code();
                }
                continue;
            }
            List<Event> events = stored.events();
            if (!events.isEmpty()) {
                String now = store.backend().holder(stored.started().text("lockScope"))
                        .filter(h -> execution.equals(h.execution())).map(ExecutionLock.Holder::describe).orElse(null);
                if (now != null && !now.equals(holder) && !gafail.json()) {
                    out.println("held by " + now);
                }
                holder = now;
            }
            for (Event e : events.subList(seen, events.size())) {
                print(out, e, events.get(0).time(), begun);
            }
            seen = events.size();
            out.flush();
            ExecutionStatus status = stored.summary().status();
            boolean waitingForStart = status == ExecutionStatus.DID_NOT_START
                    && Duration.between(since, gafail.context().clock().instant()).compareTo(START_GRACE) < 0;
            if (status != ExecutionStatus.RUNNING && !waitingForStart) {
                // Its events were read before its status: one more look reads the last ones its holder wrote
                // before it let go (the notice of an abort, the end), which are final now.
                if (!lastLook) {
                    lastLook = true;
                    continue;
                }
                if (!gafail.json() && stored.summary().message() != null && events.isEmpty()) {
                    out.println("execution " + execution + " " + stored.summary().message());
                    out.flush();
                }
                return exitCode(events, status);
            }
            if (!paused()) {
                return ExitCode.ABORTED.code();
            }
        }
    }

    /** Waits for the next look; false when interrupted. */
    private boolean paused() {
        try {
            Thread.sleep(every.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void print(PrintWriter out, Event e, Instant start, Map<String, Instant> begun) {
        if (gafail.json()) {
            if (e.type() != EventType.PROGRESS) {
                out.println(Json.MAPPER.writeValueAsString(e));
            }
            return;
        }
        String line = e.type() == EventType.STEP_APPLYING || e.type() == EventType.ROLLBACK_APPLYING
                ? Timeline.applying(e) : Timeline.line(e, begun);
        if (line != null) {
            out.printf("%s  %8s  %s%n", ExecutionText.clock(e.time()),
                    "+" + Durations.human(Duration.between(start, e.time())), line);
        }
    }

    /** The exit code the execution ended with: its end event's, 4 when it was interrupted, 0 when it never began. */
    private static int exitCode(List<Event> events, ExecutionStatus status) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).type() == EventType.EXECUTION_FINISHED && events.get(i).get("exitCode") instanceof Number n) {
                return n.intValue();
            }
        }
        return status == ExecutionStatus.INTERRUPTED ? ExitCode.ABORTED.code() : ExitCode.OK.code();
    }
}
