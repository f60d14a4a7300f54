package dev.gafail.lab.postgres;

import java.util.HashSet;
import java.util.Set;

/**
 * What a replica had at its promotion, as {@code pg_current_snapshot()} says it: every transaction
 * below {@code xmax} and not in progress had committed there. Transaction ids are compared in their
 * 32-bit form, as rows carry them; a lab database never lives long enough to wrap around.
 */
record Snapshot(long xmax, Set<Long> inProgress) {

    static Snapshot parse(String text) {
        String[] parts = text.split(":", -1);
        Set<Long> xip = new HashSet<>();
        if (parts.length > 2 && !parts[2].isEmpty()) {
            for (String x : parts[2].split(",")) {
                xip.add(low(Long.parseLong(x)));
            }
        }
        return new Snapshot(low(Long.parseLong(parts[1])), xip);
    }

    private static long low(long xid8) {
        return xid8 & 0xFFFFFFFFL;
    }

    /** Whether a transaction had not committed on the replica (it was lost if it committed elsewhere). */
    boolean missing(long xid) {
        return xid >= xmax || inProgress.contains(xid);
    }
}
