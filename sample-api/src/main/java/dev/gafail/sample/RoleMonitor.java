package dev.gafail.sample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the region's database in the background: is it reachable, fast enough, and a writer or a
 * replica. {@code /healthz} reads the last observation, so it answers at once whatever the database
 * does. When the database turns writer (a failover promoted it), the region's cache is flushed and
 * the schema migrated before the first write is accepted.
 */
final class RoleMonitor implements AutoCloseable {

    enum Role { WRITER, READER, UNKNOWN }

    /** One observation of the database. */
    record Observation(Role role, boolean reachable, String detail, Instant at, long latencyMs) {
    }

    /** Older than this, the last observation no longer vouches for the database. */
    static final Duration STALE = Duration.ofSeconds(3);
    static final Duration SLOW = Duration.ofMillis(1500);

    private final Database database;
    private final NoteCache cache;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "role-monitor");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Observation last;
    private volatile Role role = Role.UNKNOWN;

    RoleMonitor(Database database, NoteCache cache, Clock clock) {
        this.database = database;
        this.cache = cache;
        this.clock = clock;
        this.last = new Observation(Role.UNKNOWN, false, "not checked yet", clock.instant(), 0);
    }

    void start(Duration every) {
        timer.scheduleWithFixedDelay(this::observe, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The role writes are judged by: WRITER only once the cache is flushed and the schema current. */
    Role role() {
        return role;
    }

    /** The last observation, and whether it still says the database is usable. */
    Observation last() {
        return last;
    }

    boolean databaseHealthy() {
        Observation seen = last;
        return seen.reachable() && seen.latencyMs() < SLOW.toMillis()
                && Duration.between(seen.at(), clock.instant()).compareTo(STALE) < 0;
    }

    /** What makes the database unhealthy, for /healthz. */
    String databaseProblem() {
        Observation seen = last;
        if (!seen.reachable()) {
            return seen.detail();
        }
        if (seen.latencyMs() >= SLOW.toMillis()) {
            return "slow: " + seen.latencyMs() + " ms";
        }
        return "no answer for " + Duration.between(seen.at(), clock.instant()).toMillis() + " ms";
    }

    /**
     * One observation; never throws, since an exception would end the scheduled task for good. A look
     * that fails is tried once more at once: a switchover ends every database session, and the pool
     * hands out a fresh connection after the ended one, so one failed look is not the database down
     * (and /healthz does not flap unhealthy while the database is fine).
     */
    private void observe() {
        Instant start = clock.instant();
        try {
            look();
        } catch (Exception | LinkageError first) {
            try {
                look();
            } catch (Exception | LinkageError e) {
                last = new Observation(role, false, "unreachable: " + firstLine(e), clock.instant(),
                        Duration.between(start, clock.instant()).toMillis());
                return;
            }
        }
        last = new Observation(role, true, "ok", clock.instant(), Duration.between(start, clock.instant()).toMillis());
    }

    private void look() throws Exception {
        cache.ping();
        Role seen = database.inRecovery() ? Role.READER : Role.WRITER;
        if (seen == Role.WRITER && role != Role.WRITER) {
            cache.flush();
            database.migrate();
        }
        role = seen;
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
