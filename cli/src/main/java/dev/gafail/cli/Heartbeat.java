package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * Progress where no live line can be drawn (CI, a pipe, a file, a dumb terminal): once a step has
 * waited {@link #EVERY}, its latest progress as one plain line on stderr with the local clock time, at
 * most every {@link #EVERY} per step, e.g. {@code 12:03:15 shift: holding at 50%: 30s of 1m}. Times are
 * the events' own, so a log reads the same however the machine was loaded.
 */
final class Heartbeat implements EventListener {

    static final Duration EVERY = Duration.ofSeconds(10);

    private final PrintWriter err;
    private final DateTimeFormatter clock;
    private final Map<String, Instant> waitingSince = new HashMap<>();
    private final Map<String, Instant> shown = new HashMap<>();

    Heartbeat(PrintWriter err, ZoneId zone) {
        this.err = err;
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
    }

    @Override
    public synchronized void on(Event e) {
        if (e.step() == null) {
            return;
        }
        switch (e.type()) {
            case STEP_STARTED -> waitingSince.put(e.step(), e.time());
            case STEP_SUCCEEDED, STEP_SKIPPED, STEP_FAILED, STEP_DEFERRED, ROLLBACK_SUCCEEDED, ROLLBACK_FAILED -> {
                waitingSince.remove(e.step());
                shown.remove(e.step());
            }
            case PROGRESS -> beat(e);
            default -> {
            }
        }
    }

    private void beat(Event e) {
        Instant since = waitingSince.computeIfAbsent(e.step(), step -> e.time());
        Instant last = shown.get(e.step());
        if (Duration.between(since, e.time()).compareTo(EVERY) < 0
                || last != null && Duration.between(last, e.time()).compareTo(EVERY) < 0) {
            return;
        }
        shown.put(e.step(), e.time());
        err.println(clock.format(e.time()) + " " + e.step() + ": " + e.message());
        err.flush();
    }
}
