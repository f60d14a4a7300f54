package dev.gafail.lab.postgres;

import dev.gafail.lab.net.Outage;
import dev.gafail.lab.net.TcpProxy;
import dev.gafail.servers.os.Await;
import dev.gafail.servers.os.Ports;
import dev.gafail.servers.os.Trees;
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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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

    /** A base backup of a region's database, and the time from which a restore may start from it. */
    private record Backup(Path folder, Instant consistentAt) {
    }

    /** The folder beside each member's data where it archives its WAL (its continuous backup). */
    private static final String ARCHIVE = "archive";
    private static final Duration ARCHIVED_WITHIN = Duration.ofSeconds(20);
    private static final Duration RESTORED_WITHIN = Duration.ofSeconds(60);

    private final PostgresBinaries binaries;
    private final Unprivileged as;
    private final Path base;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private volatile String primary;
    /**
     * The writer endpoint, as Aurora's global writer endpoint: each new connection goes to the primary of the
     * moment, through its region's client proxy (so that the region's outage cuts it too). Connections made
     * before a switchover stay where they were, and end with it.
     */
    private TcpProxy writer;
    /**
     * Each region's base backup: one from its start, replaced by one from each rebuild, which begins a history
     * its archive does not hold whole; while a rebuilt region's new backup is being taken, it has none.
     */
    private final Map<String, Backup> backups = new ConcurrentHashMap<>();
    /** The point-in-time restores running, by name. */
    private final Map<String, PostgresInstance> restores = new ConcurrentHashMap<>();
    /** Where base backups are taken, one at a time, off the path of what asked for them. */
    private final ExecutorService backingUp = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lab-base-backup");
        t.setDaemon(true);
        return t;
    });

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
            first.server.archiveWal(ARCHIVE);
            first.server.start(first.log);
            db.primary = first.region;
            db.writer = new TcpProxy("writer-db", 0, () -> db.members.get(db.primary).clients.port());
            db.backUp(first);
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
        // where the configuration a replica copies from its primary has it archive its WAL
        Path archive = Files.createDirectories(data.resolveSibling(ARCHIVE));
        as.own(archive);
        int port = Ports.free();
        PostgresInstance server = new PostgresInstance(binaries, as, data, port);
        return new Member(region, server, new TcpProxy(region + "-db", 0, port),
                new TcpProxy(region + "-replication", 0, port), log);
    }

    public String primary() {
        return primary;
    }

    /** The writer endpoint's port on 127.0.0.1. */
    public int writerPort() {
        return writer.port();
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
        // its copy of the primary begins a history its archive does not hold whole: its window starts again
        Backup before = backups.remove(region);
        if (before != null) {
            Trees.delete(before.folder());
        }
        backUp(target);
    }

    /**
     * Takes a base backup of {@code member} in the background, from which its database can be restored to
     * any time after it: as Aurora's, a cluster's restorable window opens once its backup is done, and the
     * lab's start and a switchover do not wait for it. One that fails (its member lost meanwhile) is skipped.
     */
    private void backUp(Member member) {
        backingUp.submit(() -> {
            Path folder = base.resolve(member.region).resolve("backups").resolve(Long.toString(System.nanoTime()));
            try {
                member.server.backUpTo(folder);
                backups.put(member.region, new Backup(folder, Instant.now()));
            } catch (IOException | SQLException | RuntimeException e) {
                System.err.println("lab: the base backup of " + member.region + "'s database failed: " + e);
                try {
                    Trees.delete(folder);
                } catch (IOException | RuntimeException left) {
                    System.err.println("lab: cannot delete the failed backup " + folder + ": " + left);
                }
            }
        });
    }

    /** The earliest time {@code region}'s database can be restored to: its base backup's; empty without one. */
    public Optional<Instant> earliestRestorable(String region) {
        return Optional.ofNullable(backups.get(region)).map(Backup::consistentAt);
    }

    /**
     * Restores {@code region}'s database as it was at {@code to} into a new server named {@code name}, its
     * data in {@code folder}, and returns it running, promoted: from the region's base backup, replaying the
     * WAL its member archived up to the last transaction committed at or before {@code to}. So that the
     * replay finds where to stop and has every segment it needs, the primary first commits a transaction
     * (after {@code to}), switches to a new WAL segment and commits one more there, and the region's archive
     * is awaited until it holds the segment so closed.
     *
     * @throws IllegalArgumentException when {@code to} is before the earliest restorable time
     */
    public PostgresInstance restore(String region, Instant to, String name, Path folder)
            throws IOException, InterruptedException, SQLException {
        Member source = member(region, true);
        Backup from = Optional.ofNullable(backups.get(region)).filter(b -> !b.consistentAt().isAfter(to))
                .orElseThrow(() -> new IllegalArgumentException("the database of " + region + " can be restored to "
                        + earliestRestorable(region).map(t -> t + " or later").orElse("no time yet") + ", not " + to));
        String segment;
        try (Connection c = member(primary, true).server.connect(); Statement sql = c.createStatement()) {
            sql.execute("SELECT pg_current_xact_id()");
            try (ResultSet switched = sql.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                switched.next();
                segment = switched.getString(1);
            }
            // a replica closes (and archives) a segment only once WAL of the next one reaches it
            sql.execute("SELECT pg_current_xact_id()");
        }
        Path archive = source.server.data().resolveSibling(ARCHIVE);
        Await.until(ARCHIVED_WITHIN, Duration.ofMillis(100), region + "'s archive never held WAL segment " + segment,
                () -> Files.exists(archive.resolve(segment)));
        Files.createDirectories(folder);
        as.own(folder);
        PostgresInstance restored = new PostgresInstance(binaries, as, folder.resolve("data"), Ports.free());
        restored.restoreFrom(from.folder(), archive, to);
        restores.put(name, restored);
        restored.start(folder.resolve("postgres.log"));
        restored.awaitPromoted(RESTORED_WITHIN);
        return restored;
    }

    /** Ends the restore {@code name} and deletes its data; nothing when there is none. */
    public void dropRestore(String name, Path folder) throws InterruptedException, IOException {
        PostgresInstance restored = restores.remove(name);
        if (restored != null) {
            restored.stop();
        }
        Trees.delete(folder);
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

    /** Stops every server (fast), restores included, and closes the proxies. */
    @Override
    public void close() throws InterruptedException {
        // a backup being copied finishes (within seconds), so that no file is written once the servers stop
        backingUp.shutdownNow();
        backingUp.awaitTermination(30, TimeUnit.SECONDS);
        List<InterruptedException> interrupted = new ArrayList<>();
        for (PostgresInstance restored : restores.values()) {
            try {
                restored.stop();
            } catch (InterruptedException e) {
                interrupted.add(e);
            }
        }
        if (writer != null) {
            writer.close();
        }
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
