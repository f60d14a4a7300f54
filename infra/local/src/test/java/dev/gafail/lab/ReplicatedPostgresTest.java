package dev.gafail.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.lab.postgres.LostTransaction;
import dev.gafail.lab.postgres.ReplicatedPostgres;
import dev.gafail.servers.ServerBinaries;
import dev.gafail.servers.os.Trees;
import dev.gafail.servers.os.Unprivileged;
import dev.gafail.servers.postgres.PostgresBinaries;
import dev.gafail.servers.postgres.PostgresInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lab's database pair, asserted through direct JDBC connections: which server accepts writes,
 * what a replica can read, and what an unplanned failover lost. One pair for the whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedPostgresTest {

    private static Path base;
    private static ReplicatedPostgres db;
    private static final List<Long> pids = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        base = Unprivileged.openDirectory(Files.createTempDirectory(tmp, "gafail-db-test-"));
        Unprivileged.openDirectory(base);
        PostgresBinaries binaries = ServerBinaries.here().postgres();
        db = ReplicatedPostgres.start(binaries, Unprivileged.detect(), base, List.of("region-a", "region-b"));
        try (Connection c = connect("region-a"); Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE orders (id bigint PRIMARY KEY, what text NOT NULL)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.members().values().forEach(m -> m.server().pid().ifPresent(pids::add));
            db.close();
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "postgres " + pid + " left");
        }
        Trees.delete(base);
    }

    private static Connection connect(String region) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PostgresInstance.USER);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + db.member(region, true).clients().port() + "/postgres", p);
    }

    private static long insert(String region, long id, String what) throws SQLException {
        try (Connection c = connect(region); Statement sql = c.createStatement()) {
            sql.execute("INSERT INTO orders VALUES (" + id + ", '" + what + "')");
            try (ResultSet r = sql.executeQuery("SELECT xmin::text::bigint FROM orders WHERE id = " + id)) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static boolean writer(String region) throws SQLException {
        try (Connection c = connect(region); Statement sql = c.createStatement();
             ResultSet r = sql.executeQuery("SELECT pg_is_in_recovery()")) {
            r.next();
            return !r.getBoolean(1);
        }
    }

    /** Waits until the row is readable in {@code region} (replication is asynchronous). */
    private static String awaitRow(String region, long id) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(end)) {
            try (Connection c = connect(region); Statement sql = c.createStatement();
                 ResultSet r = sql.executeQuery("SELECT what FROM orders WHERE id = " + id)) {
                if (r.next()) {
                    return r.getString(1);
                }
            } catch (SQLException e) {
                // the table may not have arrived yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("row " + id + " never reached " + region);
    }

    @Test
    @Order(1)
    void thePrimaryWritesAndTheReplicaReadsButRefusesWrites() throws Exception {
        assertTrue(writer("region-a"));
        assertFalse(writer("region-b"));
        insert("region-a", 1, "before any switch");
        assertEquals("before any switch", awaitRow("region-b", 1));
        SQLException refused = assertThrows(SQLException.class, () -> insert("region-b", 2, "no"));
        assertEquals("25006", refused.getSQLState(), refused.getMessage());
    }

    @Test
    @Order(2)
    void aSwitchoverLosesNothingAndTheOldPrimaryFollows() throws Exception {
        insert("region-a", 10, "acknowledged just before the switch");
        db.switchover("region-b");
        assertEquals("region-b", db.primary());
        assertTrue(writer("region-b"));
        assertFalse(writer("region-a"));
        assertEquals("acknowledged just before the switch", awaitRow("region-b", 10));
        insert("region-b", 11, "written in b");
        assertEquals("written in b", awaitRow("region-a", 11));
    }

    @Test
    @Order(3)
    void andBackAgain() throws Exception {
        db.switchover("region-a");
        assertTrue(writer("region-a"));
        assertFalse(writer("region-b"));
        insert("region-a", 20, "after the switchback");
        assertEquals("after the switchback", awaitRow("region-b", 20));
        assertEquals("written in b", awaitRow("region-a", 11));
    }

    @Test
    @Order(4)
    void aFailoverReportsExactlyTheTransactionsItLost() throws Exception {
        insert("region-a", 30, "replicated");
        awaitRow("region-b", 30);
        db.member("region-a", true).replication().pause();
        List<Long> lost = List.of(insert("region-a", 31, "lost one"), insert("region-a", 32, "lost two"),
                insert("region-a", 33, "lost three"));

        List<LostTransaction> report = db.failover("region-b");

        assertEquals(lost, report.stream().map(LostTransaction::xid).toList(), report.toString());
        assertEquals("insert postgres.public.orders 31", report.get(0).changes().get(0));
        assertTrue(report.stream().allMatch(t -> t.committedAt() != null));
        assertTrue(writer("region-b"));
        assertEquals("replicated", awaitRow("region-b", 30));
        assertTrue(db.member("region-a", true).diverged());
    }

    @Test
    @Order(5)
    void theFailedRegionIsRebuiltAsAReplicaOfTheNewPrimary() throws Exception {
        db.rebuild("region-a");
        assertFalse(writer("region-a"));
        insert("region-b", 40, "after the failover");
        assertEquals("after the failover", awaitRow("region-a", 40));
        try (Connection c = connect("region-a"); Statement sql = c.createStatement();
             ResultSet r = sql.executeQuery("SELECT count(*) FROM orders WHERE id BETWEEN 31 AND 33")) {
            r.next();
            assertEquals(0, r.getInt(1), "the lost rows are gone from the rebuilt replica too");
        }
    }
}
