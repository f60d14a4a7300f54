package dev.gafail.lab.postgres;

import dev.gafail.servers.os.Ports;
import dev.gafail.servers.os.Unprivileged;
import dev.gafail.servers.postgres.PostgresBinaries;
import dev.gafail.servers.postgres.PostgresInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which transactions an unplanned failover lost: the old primary's files are started once more, on
 * a private port, and every row it holds whose transaction the promoted replica never had (by the
 * replica's snapshot at promotion) is one that clients saw committed and the new primary lacks.
 * Rows are named by their table's primary key; inserts and updates are found, a lost delete is not
 * (the old primary keeps no row to show it).
 */
final class LostTransactions {

    private static final String TABLES = """
            SELECT format('%I.%I', n.nspname, c.relname),
                   (SELECT string_agg(format('%I', a.attname), ', ' ORDER BY array_position(i.indkey, a.attnum))
                      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                     WHERE i.indrelid = c.oid AND i.indisprimary)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg_toast%'
            """;

    private LostTransactions() {
    }

    static List<LostTransaction> find(PostgresInstance oldServer, Path log, PostgresInstance promoted,
                                      Snapshot snapshot, PostgresBinaries binaries,
                                      Unprivileged as)
            throws IOException, InterruptedException, SQLException {
        if (!Files.exists(oldServer.data().resolve("PG_VERSION"))) {
            return List.of();
        }
        PostgresInstance reader = new PostgresInstance(binaries, as, oldServer.data(), Ports.free());
        reader.writeLabSettings(Map.of());
        reader.start(log);
        try {
            Map<Long, LostTransaction> lost = new TreeMap<>();
            try (Connection c = reader.connect(); Statement sql = c.createStatement();
                 ResultSet databases = sql.executeQuery(
                         "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1")) {
                List<String> names = new ArrayList<>();
                while (databases.next()) {
                    names.add(databases.getString(1));
                }
                for (String database : names) {
                    compare(reader, promoted, database, snapshot, lost);
                }
            }
            return List.copyOf(lost.values());
        } finally {
            reader.stop();
        }
    }

    private static void compare(PostgresInstance reader, PostgresInstance promoted, String database,
                                Snapshot snapshot, Map<Long, LostTransaction> lost) throws SQLException {
        try (Connection old = PostgresInstance.connect(reader.port(), database);
             Statement sql = old.createStatement(); ResultSet tables = sql.executeQuery(TABLES)) {
            List<String[]> found = new ArrayList<>();
            while (tables.next()) {
                found.add(new String[] {tables.getString(1), tables.getString(2)});
            }
            for (String[] table : found) {
                String key = table[1] == null ? "ctid" : table[1];
                Set<String> present = keys(promoted, database, table[0], key);
                try (Statement rows = old.createStatement(); ResultSet r = rows.executeQuery(
                        "SELECT xmin::text::bigint, pg_xact_commit_timestamp(xmin), (" + key + ")::text FROM "
                                + table[0])) {
                    while (r.next()) {
                        long xid = r.getLong(1);
                        if (!snapshot.missing(xid)) {
                            continue;
                        }
                        Timestamp at = r.getTimestamp(2);
                        String change = (present.contains(r.getString(3)) ? "update " : "insert ") + database + "."
                                + table[0] + " " + r.getString(3);
                        lost.merge(xid, new LostTransaction(xid, at == null ? null : at.toInstant(), List.of(change)),
                                (a, b) -> new LostTransaction(xid, a.committedAt(), concat(a.changes(), b.changes())));
                    }
                }
            }
        }
    }

    private static Set<String> keys(PostgresInstance promoted, String database, String table, String key) {
        Set<String> keys = new HashSet<>();
        try (Connection c = PostgresInstance.connect(promoted.port(), database);
             PreparedStatement sql = c.prepareStatement("SELECT (" + key + ")::text FROM " + table);
             ResultSet r = sql.executeQuery()) {
            while (r.next()) {
                keys.add(r.getString(1));
            }
        } catch (SQLException e) {
            // The table or database is not on the new primary: everything in it was lost, as inserts.
        }
        return keys;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
