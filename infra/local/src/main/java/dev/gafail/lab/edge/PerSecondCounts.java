package dev.gafail.lab.edge;

import java.time.Duration;
import java.time.Instant;

/**
 * How many things happened in each second of the last ten minutes: what a CloudWatch metric sums over a
 * period, exactly, however seldom it is asked (totals sampled only when asked cannot tell a burst that
 * ended long ago from one in the last seconds).
 */
final class PerSecondCounts {

    private static final int SECONDS = 600;

    private final long[] counts = new long[SECONDS];
    /** The epoch second each slot counts; a slot of an older second is stale and counts nothing. */
    private final long[] seconds = new long[SECONDS];

    synchronized void add(Instant at) {
        long second = at.getEpochSecond();
        int slot = (int) Math.floorMod(second, (long) SECONDS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** The count of the whole seconds that ended in the last {@code period} before {@code now}, and this one's. */
    synchronized long sum(Instant now, Duration period) {
        long last = now.getEpochSecond();
        long first = last - Math.min(SECONDS - 1, Math.max(0, period.toSeconds() - 1));
        long total = 0;
        for (long second = first; second <= last; second++) {
            int slot = (int) Math.floorMod(second, (long) SECONDS);
            if (seconds[slot] == second) {
                total += counts[slot];
            }
        }
        return total;
    }
}
