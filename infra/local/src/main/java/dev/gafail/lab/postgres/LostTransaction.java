package dev.gafail.lab.postgres;

import java.time.Instant;
import java.util.List;

/**
 * A transaction the old primary committed that the promoted replica never received: lost by an
 * unplanned failover.
 *
 * @param committedAt when the old primary committed it (null if it did not record the time)
 * @param changes     {@code insert|update|delete database.table (key)} for each row it changed
 */
public record LostTransaction(long xid, Instant committedAt, List<String> changes) {

    public LostTransaction {
        changes = List.copyOf(changes);
    }
}
