package dev.gafail.sample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes through the writer endpoint: whichever region this is, a write lands on the global database's
 * current writer. While the writer moves (a switchover fences the old writer, then promotes the new one), a
 * write meets a read-only database or none; it is tried again until the new writer takes it, for about
 * {@code wait} (a try already under way finishes), then answered 503 with Retry-After. A try refused as
 * read-only never committed; one whose connection was lost may have, if it was lost at the commit: a POST
 * tried again then finds its Idempotency-Key claimed and answers as the first time, so it lands once; a PATCH
 * is applied again (the same change, one more audit event); a DELETE answers 404.
 */
final class Writes {

    /** Between two tries: short beside a switchover, long beside a query. */
    static final Duration PAUSE = Duration.ofMillis(100);
    /**
     * How many requests may wait on the writer at once: a quarter of the HTTP workers. A writer that does not
     * answer (its region lost, before a failover) would otherwise hold every worker, and this region's
     * /healthz and reads with them; the writes beyond these are answered 503 at once.
     */
    static final int WAITING = 8;

    private final Semaphore waiting = new Semaphore(WAITING);
    private final Notes writer;
    private final Duration wait;
    private final Clock clock;

    Writes(Notes writer, Duration wait, Clock clock) {
        this.writer = writer;
        this.wait = wait;
        this.clock = clock;
    }

    /** {@code write} on the writer, tried until it lands or {@code wait} is over. */
    <T> T attempt(Function<Notes, T> write) {
        return held(() -> tried(write));
    }

    private <T> T tried(Function<Notes, T> write) {
        Instant end = clock.instant().plus(wait);
        while (true) {
            try {
                return write.apply(writer);
            } catch (ApiException e) {
                if (!movable(e)) {
                    throw e;
                }
                if (!clock.instant().plus(PAUSE).isBefore(end)) {
                    throw ApiException.unavailable("the database writer is moving and did not take the write within "
                            + wait.toSeconds() + " s; retry (a POST with its Idempotency-Key)");
                }
            }
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted while the database writer moved; retry");
            }
        }
    }

    /** A read on the writer, once: what a region asks whose database does not have it yet, or does not answer. */
    <T> T read(Function<Notes, T> read) {
        return held(() -> read.apply(writer));
    }

    /** {@code work} with one of the {@link #WAITING} permits, or 503 at once when none is free. */
    private <T> T held(Supplier<T> work) {
        if (!waiting.tryAcquire()) {
            throw ApiException.unavailable("too many requests are waiting for the database writer; retry");
        }
        try {
            return work.get();
        } finally {
            waiting.release();
        }
    }

    /** What a moving writer answers: a read-only database (fenced, or not yet promoted), or none. */
    private static boolean movable(ApiException e) {
        return e.status() == 503;
    }
}
