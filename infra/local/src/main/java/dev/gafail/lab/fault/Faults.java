package dev.gafail.lab.fault;

import dev.gafail.lab.net.Outage;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one place the lab applies and reverts faults, whoever asks: {@code gafail lab fail|stall|degrade}
 * (owner {@link #MANUAL}) and each FIS experiment (its id). Every fault is held for its owner, and a
 * region's parts are moved from what the faults held before made of them to what the faults held now
 * make of them, so that faults that overlap on a region (a drain during a loss, a latency under a
 * stall) are applied once, and a part comes back only when the last fault on it goes: an experiment's
 * end reverts exactly the faults it made. One change at a time, and none once the lab {@link #close closes}.
 */
public final class Faults {

    /** The owner of the faults that {@code gafail lab fail|stall|degrade} inject. */
    public static final String MANUAL = "lab";

    private record Held(String owner, Fault fault) {
    }

    /** What faults make of a region's parts. */
    private record Condition(Optional<Outage> lost, boolean drained, Duration latency, boolean stalled) {

        static final Condition NORMAL = new Condition(Optional.empty(), false, Duration.ZERO, false);

        /** The condition {@code faults} make: the latest loss's mode, the longest latency. */
        static Condition of(List<Fault> faults) {
            Optional<Outage> lost = Optional.empty();
            for (Fault fault : faults) {
                if (fault instanceof Fault.RegionLoss loss) {
                    lost = Optional.of(loss.mode());
                }
            }
            Duration latency = faults.stream().filter(Fault.DatabaseLatency.class::isInstance)
                    .map(f -> ((Fault.DatabaseLatency) f).latency()).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
            return new Condition(lost, faults.stream().anyMatch(Fault.Drain.class::isInstance), latency,
                    faults.stream().anyMatch(Fault.ReplicationStall.class::isInstance));
        }

        Condition withLost(Optional<Outage> now) {
            return new Condition(now, drained, latency, stalled);
        }

        Condition withDrained(boolean now) {
            return new Condition(lost, now, latency, stalled);
        }

        Condition withLatency(Duration now) {
            return new Condition(lost, drained, now, stalled);
        }

        Condition withStalled(boolean now) {
            return new Condition(lost, drained, latency, now);
        }
    }

    private final RegionParts parts;
    private final List<Held> held = new ArrayList<>();
    /** What each region's parts were made, step by step: a step that failed leaves what was done before it. */
    private final Map<String, Condition> made = new HashMap<>();
    private boolean closed;

    public Faults(RegionParts parts) {
        this.parts = parts;
    }

    /**
     * Holds {@code faults} for {@code owner} and applies what they change; a fault of the same kind on the
     * same region that {@code owner} held before is replaced ({@code lab degrade} again with another latency).
     */
    public synchronized void inject(String owner, List<Fault> faults)
            throws IOException, SQLException, InterruptedException {
        if (closed) {
            return;
        }
        Set<String> regions = new LinkedHashSet<>();
        for (Fault fault : faults) {
            held.removeIf(h -> h.owner().equals(owner) && h.fault().getClass() == fault.getClass()
                    && h.fault().region().equals(fault.region()));
            held.add(new Held(owner, fault));
            regions.add(fault.region());
        }
        settle(regions);
    }

    /** Reverts what {@code owner}'s faults changed, and nothing that another's faults still hold. */
    public synchronized void revert(String owner) throws IOException, SQLException, InterruptedException {
        if (closed) {
            return;
        }
        Set<String> regions = new LinkedHashSet<>();
        held.stream().filter(h -> h.owner().equals(owner)).forEach(h -> regions.add(h.fault().region()));
        held.removeIf(h -> h.owner().equals(owner));
        settle(regions);
    }

    /**
     * Ends every fault on {@code region}, whoever's, and brings all its parts back, whatever made them
     * otherwise ({@code lab heal}).
     */
    public synchronized void clear(String region) throws IOException, SQLException, InterruptedException {
        if (closed) {
            return;
        }
        held.removeIf(h -> h.fault().region().equals(region));
        parts.recover(region, true);
        parts.stall(region, false);
        made.remove(region);
    }

    /** The faults held on {@code region} now, whoever's. */
    public synchronized List<Fault> on(String region) {
        return held.stream().map(Held::fault).filter(f -> f.region().equals(region)).toList();
    }

    /**
     * Runs {@code change} unless faults hold the region's processes down (lost or drained), with no
     * fault changing meanwhile; whether it ran. A scale while they are held down waits for their end;
     * once closed, none runs.
     */
    public synchronized boolean unlessHeldDown(String region, Change change) throws IOException, InterruptedException {
        Condition now = made.getOrDefault(region, Condition.NORMAL);
        if (closed || now.lost().isPresent() || now.drained()) {
            return false;
        }
        change.run();
        return true;
    }

    /**
     * Changes nothing any more, once the change in progress (if any) has ended: the lab is stopping its
     * parts, and an injection, a revert or a scale that came after (a FIS experiment's end, an ECS call)
     * would start processes that outlive it.
     */
    public synchronized void close() {
        closed = true;
    }

    /** A change to the region's processes. */
    public interface Change {
        void run() throws IOException, InterruptedException;
    }

    private void settle(Set<String> regions) throws IOException, SQLException, InterruptedException {
        for (String region : regions) {
            settle(region);
        }
    }

    /** Moves the region's parts, one aspect at a time, from what they were made to what the held faults make. */
    private void settle(String region) throws IOException, SQLException, InterruptedException {
        Condition want = Condition.of(on(region));
        Condition now = made.getOrDefault(region, Condition.NORMAL);
        if (want.lost().isPresent() && !want.lost().equals(now.lost())) {
            parts.lose(region, want.lost().get());
            now = record(region, now.withLost(want.lost()));
        } else if (want.lost().isEmpty() && now.lost().isPresent()) {
            // its processes come back with it unless a drain holds them; the clients' port comes back without latency
            parts.recover(region, !want.drained());
            now = record(region, now.withLost(Optional.empty()).withDrained(want.drained()).withLatency(Duration.ZERO));
        }
        if (want.drained() != now.drained()) {
            if (want.lost().isEmpty() && want.drained()) {
                parts.drain(region);
            } else if (want.lost().isEmpty()) {
                parts.undrain(region);
            }
            now = record(region, now.withDrained(want.drained()));
        }
        if (!want.latency().equals(now.latency())) {
            parts.latency(region, want.latency());
            now = record(region, now.withLatency(want.latency()));
        }
        if (want.stalled() != now.stalled()) {
            parts.stall(region, want.stalled());
            record(region, now.withStalled(want.stalled()));
        }
    }

    private Condition record(String region, Condition condition) {
        made.put(region, condition);
        return condition;
    }
}
