package dev.gafail.lab.postgres;

import dev.gafail.lab.net.Outage;
import dev.gafail.lab.net.TcpProxy;
import dev.gafail.servers.os.Ports;
import dev.gafail.servers.os.Unprivileged;
import dev.gafail.servers.postgres.PostgresBinaries;
import dev.gafail.servers.postgres.PostgresInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The lab's stand-in for an Aurora global database: a PostgreSQL primary in one region and a
 * streaming replica in the other, each behind two lab-owned proxies (one for applications, one for
 * the replica's replication stream), with the two role changes Aurora offers. A switchover loses
 * nothing and leaves the old primary as a replica of the new one, so the lab can go back and forth;
 * a failover promotes at once and says exactly which committed transactions did not make it.
 */
public final class ReplicatedPostgres implements AutoCloseable {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    /** One region's database: the server, and the proxies in front of it. */
    public static final class Member {
        private final String region;
        private final PostgresInstance server;
        private final TcpProxy clients;
        private final TcpProxy replication;
        private final Path log;
        private boolean diverged;

        Member(String region, PostgresInstance server, TcpProxy clients, TcpProxy replication, Path log) {
            this.region = region;
            this.server = server;
            this.clients = clients;
            this.replication = replication;
            this.log = log;
        }

        public String region() {
            return region;
        }

        /** Where applications connect: the proxy that {@code degrade} slows and {@code fail} cuts. */
        public TcpProxy clients() {
            return clients;
        }

        /** Where this member's replica streams from: pause it to hold replication. */
        public TcpProxy replication() {
            return replication;
        }

        public PostgresInstance server() {
            return server;
        }

        /** Ahead of the primary's history since an unplanned failover: it must be rebuilt to serve. */
        public boolean diverged() {
            return diverged;
        }
    }

    private final PostgresBinaries binaries;
    private final Unprivileged as;
    private final Path base;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private volatile String primary;

    private ReplicatedPostgres(PostgresBinaries binaries, Unprivileged as, Path base) {
        this.binaries = binaries;
        this.as = as;
        this.base = base;
    }

    /**
     * A primary in {@code regions.get(0)} and a replica in each other region, their data under
     * {@code base} (a folder the database user can reach).
     */
    public static ReplicatedPostgres start(PostgresBinaries binaries, Unprivileged as, Path base, List<String> regions)
            throws IOException, InterruptedException, SQLException {
        ReplicatedPostgres db = new ReplicatedPostgres(binaries, as, base);
        try {
            for (String region : regions) {
                Member m = db.member(region);
                db.members.put(region, m);
            }
            Member first = db.members.get(regions.get(0));
            first.server.initialize();
            first.server.start(first.log);
            db.primary = first.region;
            for (String region : regions.subList(1, regions.size())) {
                db.rebuild(region);
            }
            return db;
        } catch (IOException | InterruptedException | SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private Member member(String region) throws IOException {
        Path data = base.resolve(region).resolve("data");
        Path log = base.resolve(region).resolve("postgres.log");
        Files.createDirectories(log.getParent());
        int port = Ports.free();
        PostgresInstance server = new PostgresInstance(binaries, as, data, port);
        return new Member(region, server, new TcpProxy(region + "-db", 0, port),
                new TcpProxy(region + "-replication", 0, port), log);
    }

    public String primary() {
        return primary;
    }

    public Member member(String region, boolean mustExist) {
        Member m = members.get(region);
        if (m == null && mustExist) {
            throw new IllegalArgumentException("no database in region " + region + "; regions: " + members.keySet());
        }
        return m;
    }

    public Map<String, Member> members() {
        return Map.copyOf(members);
    }

    /**
     * Makes {@code region} a fresh replica of the primary: stops it, copies the primary (base copy),
     * and starts it streaming through the primary's replication proxy.
     */
    public void rebuild(String region) throws IOException, InterruptedException, SQLException {
        Member target = member(region, true);
        Member source = member(primary, true);
        if (target == source) {
            throw new IllegalArgumentException(region + " is the primary");
        }
        target.server.seedFrom(source.server, source.replication.port(), slot(region));
        target.server.start(target.log);
        target.clients.restore();
        target.diverged = false;
    }

    /**
     * How far {@code replica} is behind the primary, in milliseconds, as the primary sees its stream
     * ({@code pg_stat_replication.replay_lag}, empty while it is caught up and idle: 0); empty when
     * the replica is not streaming at all (unknown, never 0).
     */
    public OptionalLong replicationLagMillis(String replica) {
        Member source = members.get(primary);
        if (source == null || replica.equals(primary) || !source.server.running()) {
            return OptionalLong.empty();
        }
        try (Connection c = source.server.connect(); Statement sql = c.createStatement();
             ResultSet r = sql.executeQuery("SELECT coalesce(extract(epoch FROM replay_lag) * 1000, 0)::bigint"
                     + " FROM pg_stat_replication WHERE application_name = '" + slot(replica) + "'"
                     + " AND state = 'streaming'")) {
            return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }

    private static String slot(String region) {
        return "replica_" + region.replace('-', '_');
    }

    /**
     * The planned role change, no acknowledged write lost: fences the primary (read-only, its sessions
     * ended), waits until {@code to} has replayed everything it wrote, stops it, promotes {@code to},
     * then rebuilds the old primary as a replica of the new one.
     */
    public void switchover(String to) throws IOException, InterruptedException, SQLException {
        Member target = member(to, true);
        Member old = member(primary, true);
        if (target == old) {
            return;
        }
        String end;
        try (Connection c = old.server.connect(); Statement sql = c.createStatement()) {
            sql.execute("ALTER SYSTEM SET default_transaction_read_only = on");
            sql.execute("SELECT pg_reload_conf()");
            sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
            try (ResultSet lsn = sql.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                lsn.next();
                end = lsn.getString(1);
            }
        }
        awaitReplay(target, end);
        old.server.stop();
        target.server.promote();
        primary = to;
        rebuild(old.region);
    }

    /**
     * The unplanned role change: fences the old primary if it still runs (killed: two writers would
     * be worse), promotes {@code to} at once, and reports the transactions the old primary had
     * committed beyond what {@code to} received, read from the old primary's own files.
     */
    public List<LostTransaction> failover(String to) throws IOException, InterruptedException, SQLException {
        Member target = member(to, true);
        Member old = member(primary, true);
        if (target == old) {
            return List.of();
        }
        old.server.kill();
        if (old.clients.outage().isEmpty()) {
            old.clients.fail(Outage.REFUSE); // fenced; a lost region's port stays lost as it was
        }
        String snapshot;
        try (Connection c = target.server.connect(); Statement sql = c.createStatement()) {
            // What it received is what it will have: let the replay catch up with the receipt first.
            awaitReplayOfReceived(sql);
            try (ResultSet s = sql.executeQuery("SELECT pg_current_snapshot()::text")) {
                s.next();
                snapshot = s.getString(1);
            }
        }
        target.server.promote();
        primary = to;
        old.diverged = true;
        return LostTransactions.find(old.server, old.log, target.server, Snapshot.parse(snapshot), binaries, as);
    }

    private static void awaitReplay(Member replica, String lsn) throws SQLException, InterruptedException {
        Instant end = Instant.now().plus(CATCH_UP);
        try (Connection c = replica.server.connect(); Statement sql = c.createStatement()) {
            while (true) {
                try (ResultSet r = sql.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn")) {
                    r.next();
                    if (r.getBoolean(1)) {
                        return;
                    }
                }
                if (Instant.now().isAfter(end)) {
                    throw new SQLException("the replica in " + replica.region + " did not replay up to " + lsn
                            + " within " + CATCH_UP.toSeconds() + "s; nothing was switched");
                }
                Thread.sleep(50);
            }
        }
    }

    private static void awaitReplayOfReceived(Statement sql) throws SQLException, InterruptedException {
        Instant end = Instant.now().plus(CATCH_UP);
        while (Instant.now().isBefore(end)) {
            try (ResultSet r = sql.executeQuery("SELECT pg_last_wal_receive_lsn() IS NULL"
                    + " OR pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn()")) {
                r.next();
                if (r.getBoolean(1)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    /** Stops every server (fast) and closes the proxies. */
    @Override
    public void close() throws InterruptedException {
        List<InterruptedException> interrupted = new ArrayList<>();
        for (Member m : members.values()) {
            m.clients.close();
            m.replication.close();
            try {
                m.server.stop();
            } catch (InterruptedException e) {
                interrupted.add(e);
            }
        }
        if (!interrupted.isEmpty()) {
            throw interrupted.get(0);
        }
    }
}
