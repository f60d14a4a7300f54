package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventListener;
import dev.gafail.engine.Phase;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress where no live line can be drawn (CI, a pipe, a file, a dumb terminal): while a step has
 * run longer than {@link #EVERY}, one plain line on stderr every {@link #EVERY} with the local clock
 * time and what it waits for (its latest progress, or how long it has run when it reports none: a
 * long call, a retry's backoff), e.g. {@code 12:03:15 shift: holding at 50%: 30s of 1m}. A clock
 * drives the lines, not the events, so a step that says nothing still beats.
 */
final class Heartbeat implements EventListener {

    static final Duration EVERY = Duration.ofSeconds(10);
    private static final Duration TICK = Duration.ofSeconds(1);

    /** A step running: since when, the latest thing it said, and when its last beat was shown. */
    private static final class Running {
        private final Instant since;
        private String latest;
        private Instant shown;

        private Running(Instant since) {
            this.since = since;
        }
    }

    private final PrintWriter err;
    private final Clock clock;
    private final DateTimeFormatter time;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private ScheduledExecutorService ticker;

    Heartbeat(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(clock.getZone());
    }

    @Override
    public synchronized void on(Event e) {
        switch (e.type()) {
            case STEP_STARTED -> {
                running.put(key(e), new Running(clock.instant()));
                startTicking();
            }
            case PROGRESS -> said(e, e.message());
            case STEP_RETRYING -> said(e, "attempt " + e.attempt() + " failed; trying again in " + e.text("delay"));
            case STEP_SUCCEEDED, STEP_SKIPPED, STEP_FAILED, STEP_DEFERRED, ROLLBACK_SUCCEEDED, ROLLBACK_FAILED -> {
                running.remove(key(e));
                if (running.isEmpty()) {
                    stopTicking();
                }
            }
            case EXECUTION_FINISHED, EXECUTION_INTERRUPTED -> {
                running.clear();
                stopTicking();
            }
            default -> {
            }
        }
    }

    /** A step's latest word; a compensation that reports progress is running from then on. */
    private void said(Event e, String message) {
        if (e.step() == null) {
            return;
        }
        running.computeIfAbsent(key(e), k -> new Running(clock.instant())).latest = message;
        startTicking();
    }

    private synchronized void tick() {
        Instant now = clock.instant();
        running.forEach((step, r) -> {
            if (Duration.between(r.since, now).compareTo(EVERY) < 0
                    || r.shown != null && Duration.between(r.shown, now).compareTo(EVERY) < 0) {
                return;
            }
            r.shown = now;
            err.println(time.format(now) + " " + step + ": " + (r.latest != null ? r.latest
                    : "running for " + Durations.human(Duration.between(r.since, now))));
            err.flush();
        });
    }

    private void startTicking() {
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "gafail-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void stopTicking() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    private static String key(Event e) {
        return e.phase() == null || e.phase() == Phase.STEP ? e.step() : e.phase().wire() + " " + e.step();
    }
}
