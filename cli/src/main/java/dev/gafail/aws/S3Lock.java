package dev.gafail.aws;

import dev.gafail.engine.ExecutionLock;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.engine.Lease;
import dev.gafail.engine.LockLost;
import dev.gafail.yaml.Durations;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A topology's lock in the state bucket: one object, created only if absent, naming its holder and
 * renewed by compare-and-swap while the execution runs. A lock S3 last wrote longer ago than its
 * lease, by S3's own clock, is stale and may be taken over by compare-and-swap, after the stale holder's
 * journal is fenced. The holder stops acting before its lease runs out, by its monotonic clock and the
 * wall clock both (a stopped process or a sleeping laptop lets either stand still), and never renews
 * a lease that ran out, so no two holders ever act at once.
 */
final class S3Lock implements Lease {

    /** The lock object: its holder, and a renewal count that makes every write's ETag new. */
    record Body(ExecutionLock.Holder holder, Instant renewed, long renewal) {
    }

    /** The last renewal S3 accepted: the object's ETag, and when it was sent, by both clocks. */
    private record Renewed(String etag, long nanos, Instant wall, long renewal) {
    }

    private final S3Objects objects;
    private final String key;
    private final ExecutionLock.Holder holder;
    private final Duration lease;
    private final Clock clock;
    private final ExecutionLock.Holder stale;
    private final ScheduledExecutorService renewer;
    private volatile Renewed renewed;
    private volatile LockLost lost;
    private volatile Consumer<String> onLost = why -> { };

    private S3Lock(S3Objects objects, String key, ExecutionLock.Holder holder, Duration lease, Clock clock,
                   Renewed renewed, ExecutionLock.Holder stale) {
        this.objects = objects;
        this.key = key;
        this.holder = holder;
        this.lease = lease;
        this.clock = clock;
        this.renewed = renewed;
        this.stale = stale;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lock-lease");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(200, lease.toMillis() / 6);
        renewer.scheduleWithFixedDelay(this::renewIfDue, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock at {@code key} for {@code me}, taking over a stale one after {@code fence} has
     * written the stale holder's execution's next event, or throws exit 5 naming the live holder.
     */
    static S3Lock acquire(S3Objects objects, String key, ExecutionLock.Holder me, Duration lease, Clock clock,
                          Fence fence) {
        for (int round = 0; round < 3; round++) {
            long nanos = System.nanoTime();
            Instant wall = clock.instant();
            Optional<String> created = objects.create(key, bytes(me, wall, 0));
            if (created.isPresent()) {
                return new S3Lock(objects, key, me, lease, clock, new Renewed(created.get(), nanos, wall, 0), null);
            }
            Optional<S3Objects.Found> found = objects.get(key);
            if (found.isEmpty()) {
                continue;
            }
            Optional<Body> current = parse(found.get().bytes());
            // This very create, applied by S3 though its answer was lost, and sent again by the SDK.
            if (current.filter(b -> b.holder().equals(me) && b.renewal() == 0).isPresent()) {
                return new S3Lock(objects, key, me, lease, clock, new Renewed(found.get().etag(), nanos, wall, 0), null);
            }
            Duration age = silence(found.get());
            Duration theirs = leaseOf(current, lease);
            if (age.compareTo(theirs) <= 0) {
                throw new GafailException(ExitCode.LOCKED, "another execution holds the lock for " + me.scope() + ": "
                        + current.map(b -> b.holder().describe()).orElse("a holder its lock object does not name")
                        + "; S3 last saw it renew " + Durations.human(age) + " ago. Wait for it; if it is gone for"
                        + " good, its lease ends within " + Durations.human(theirs.minus(age))
                        + " and the lock is taken over then");
            }
            // Only a lock nobody has taken since it was read is fenced: a late taker must not write into a journal
            // that the winner has begun to append to.
            if (!objects.get(key).map(S3Objects.Found::etag).equals(Optional.of(found.get().etag()))) {
                continue;
            }
            current.map(b -> b.holder().execution()).ifPresent(execution -> fence.fence(execution,
                    current.get().holder(), me, age));
            nanos = System.nanoTime();
            wall = clock.instant();
            Optional<String> taken = objects.replace(key, bytes(me, wall, 0), found.get().etag());
            if (taken.isPresent()) {
                return new S3Lock(objects, key, me, lease, clock, new Renewed(taken.get(), nanos, wall, 0),
                        current.map(Body::holder).orElse(null));
            }
        }
        throw new GafailException(ExitCode.LOCKED, "another gafail took the lock for " + me.scope()
                + " at the same moment; see: gafail history");
    }

    /** Writes the next event of a stale holder's execution, so that, if it ever wakes, its next write fails. */
    @FunctionalInterface
    interface Fence {
        void fence(String execution, ExecutionLock.Holder staleHolder, ExecutionLock.Holder taker, Duration silentFor);
    }

    /** How long ago S3 last wrote a lock, by S3's own clock (which counts whole seconds). */
    static Duration silence(S3Objects.Found lock) {
        Duration age = Duration.between(lock.lastModified(), lock.date());
        return age.isNegative() ? Duration.ZERO : age;
    }

    /** The lease its holder declared; {@code fallback} for a lock that names none. */
    static Duration leaseOf(Optional<Body> lock, Duration fallback) {
        return lock.map(b -> b.holder().leaseSeconds()).map(Duration::ofSeconds).orElse(fallback);
    }

    /** Whether nobody may take {@code lock} over yet: S3 last wrote it within its lease. */
    static boolean fresh(S3Objects.Found lock, Optional<Body> body, Duration fallback) {
        return silence(lock).compareTo(leaseOf(body, fallback)) <= 0;
    }

    static Optional<Body> parse(byte[] bytes) {
        try {
            Body body = Json.MAPPER.readValue(bytes, Body.class);
            return body.holder() == null ? Optional.empty() : Optional.of(body);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(ExecutionLock.Holder holder, Instant renewed, long renewal) {
        return Json.MAPPER.writeValueAsBytes(new Body(holder, renewed, renewal));
    }

    @Override
    public ExecutionLock.Holder holder() {
        return holder;
    }

    @Override
    public Optional<ExecutionLock.Holder> staleHolder() {
        return Optional.ofNullable(stale);
    }

    /** Told once, with the reason, when the lease is lost: the execution stops waiting at once. */
    @Override
    public void onLost(Consumer<String> listener) {
        onLost = listener;
    }

    /** Stops acting a margin before others may judge the lock stale: S3's clock counts whole seconds. */
    private Duration usable() {
        return lease.minus(Duration.ofMillis(Math.max(2000, lease.toMillis() / 5)));
    }

    @Override
    public void check() {
        LockLost already = lost;
        if (already != null) {
            throw already;
        }
        Renewed last = renewed;
        Duration byMonotonic = Duration.ofNanos(System.nanoTime() - last.nanos());
        Duration byWall = Duration.between(last.wall(), clock.instant());
        Duration silent = byMonotonic.compareTo(byWall) > 0 ? byMonotonic : byWall;
        if (silent.compareTo(usable()) >= 0) {
            throw lose(new LockLost(ExitCode.ABORTED, "stopped: the lease on the lock for " + holder.scope()
                    + " ran out (not renewed for " + Durations.human(silent) + ": this process was paused, or the"
                    + " state bucket did not answer); nothing more was changed or journalled. To finish: gafail"
                    + " resume " + holder.execution()));
        }
    }

    private synchronized LockLost lose(LockLost why) {
        if (lost == null) {
            lost = why;
            onLost.accept(why.getMessage());
        }
        return lost;
    }

    /** Renews once a third of the lease has passed; never a lease that already ran out. */
    private void renewIfDue() {
        try {
            check();
            Renewed last = renewed;
            if (Duration.ofNanos(System.nanoTime() - last.nanos()).compareTo(lease.dividedBy(3)) < 0) {
                return;
            }
            long nanos = System.nanoTime();
            Instant wall = clock.instant();
            Optional<String> etag = objects.replace(key, bytes(holder, wall, last.renewal() + 1), last.etag());
            Optional<S3Objects.Found> now = etag.isPresent() ? Optional.empty() : objects.get(key);
            Optional<Body> there = now.flatMap(f -> parse(f.bytes()));
            // This very renewal, applied by S3 though its answer was lost, and sent again by the SDK.
            if (there.filter(b -> b.holder().equals(holder) && b.renewal() == last.renewal() + 1).isPresent()) {
                etag = Optional.of(now.get().etag());
            }
            if (etag.isEmpty()) {
                String taker = there.map(b -> " by " + b.holder().describe()).orElse("");
                lose(new LockLost(ExitCode.LOCKED, "stopped: the lock for " + holder.scope() + " was taken over"
                        + taker + "; nothing more was changed or journalled. See: gafail show " + holder.execution()));
                renewer.shutdown();
                return;
            }
            renewed = new Renewed(etag.get(), nanos, wall, last.renewal() + 1);
        } catch (LockLost e) {
            renewer.shutdown();
        } catch (UncheckedIOException e) {
            // The bucket did not answer this time: the next tick tries again, while the lease lasts.
        }
    }

    /** Releases the lock if it is still this holder's: a lock taken over, or written since, is left alone. */
    @Override
    public void close() {
        // Not shutdownNow: a renewal that reached S3 must finish, so that the ETag released is the last one.
        renewer.shutdown();
        try {
            renewer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            objects.delete(key, renewed.etag());
        } catch (UncheckedIOException e) {
            // Unreleased, the lock goes stale when its lease ends, and is taken over then.
        }
    }
}
