package dev.gafail.servers.postgres;

import dev.gafail.servers.os.ChildProcess;
import dev.gafail.servers.os.Trees;
import dev.gafail.servers.os.Unprivileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * One PostgreSQL server: its data folder, its port on 127.0.0.1 and its process, which is started
 * directly (not through pg_ctl), so its process id is known and it can be stopped gently, fast, or
 * abruptly as a crash would. The lab's databases and sample-api's tests are such servers.
 */
public final class PostgresInstance {

    /** The superuser everyone connects as; trust authentication, loopback only. */
    public static final String USER = "lab";
    /** The line of postgresql.conf that includes the settings of the instance's role, last. */
    private static final String LAB_SETTINGS = "include_if_exists = 'lab.conf'\n";
    /** A recovery target time as the server's configuration reads it (not ISO 8601's T and Z). */
    private static final DateTimeFormatter RECOVERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);

    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    /** initdb's bound: seconds here, far more on a busy machine. */
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(2);

    private final PostgresBinaries binaries;
    private final Unprivileged as;
    private final Path data;
    private final int port;
    private ChildProcess process;

    public PostgresInstance(PostgresBinaries binaries, Unprivileged as, Path data, int port) {
        this.binaries = binaries;
        this.as = as;
        this.data = data;
        this.port = port;
    }

    public Path data() {
        return data;
    }

    public int port() {
        return port;
    }

    /** A new cluster: initdb, then settings for streaming replication on loopback. */
    public void initialize() throws IOException, InterruptedException {
        Files.createDirectories(data);
        as.own(data);
        run(List.of(binaries.bin("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync"), "initdb");
        Files.writeString(data.resolve("pg_hba.conf"), """
                # the lab: loopback only, trust (nothing here leaves 127.0.0.1)
                host all all 127.0.0.1/32 trust
                host replication all 127.0.0.1/32 trust
                """);
        Files.writeString(data.resolve("postgresql.conf"), """
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                max_connections = 60
                shared_buffers = 32MB
                wal_level = replica
                max_wal_senders = 8
                max_replication_slots = 8
                wal_keep_size = 128MB
                hot_standby = on
                hot_standby_feedback = on
                track_commit_timestamp = on
                wal_receiver_timeout = 5s
                # a replica reports what it replayed only with its next status (10 s by default) when little
                # WAL arrives, and its primary's replay_lag (the lab's AuroraGlobalDBRPOLag) counts that wait
                wal_receiver_status_interval = 1s
                wal_retrieve_retry_interval = 500ms
                # a lab database survives a killed process, not a lost machine: no fsync (full page writes
                # stay on: a replica's base backup, for point-in-time restores, needs them)
                fsync = off
                logging_collector = off
                """ + LAB_SETTINGS);
        writeLabSettings(Map.of());
    }

    /** The settings of this instance's role (port, and for a replica, its primary); rewritten whole. */
    public void writeLabSettings(Map<String, String> settings) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("port", Integer.toString(port));
        all.putAll(settings);
        StringBuilder text = new StringBuilder("# written by the gafail lab for this instance's role\n");
        all.forEach((k, v) -> text.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
        Files.writeString(data.resolve("lab.conf"), text);
        as.own(data);
    }

    /**
     * Makes this server a fresh streaming replica of {@code source}, which it streams from through
     * port {@code via} (the source's own port, or a proxy in front of it) with replication slot
     * {@code slot}: ends it if it runs, copies the source's data (base copy), and writes its settings.
     * {@link #start} then starts it in recovery.
     */
    public void seedFrom(PostgresInstance source, int via, String slot) throws IOException, SQLException {
        kill();
        Trees.delete(data);
        Files.createDirectories(data);
        try (Connection c = source.connect()) {
            BaseCopy.copy(c, source.data, data, slot);
        }
        writeLabSettings(Map.of(
                "primary_conninfo", "host=127.0.0.1 port=" + via + " user=" + USER + " application_name=" + slot,
                "primary_slot_name", slot,
                "recovery_target_timeline", "latest"));
    }

    /**
     * Archives every WAL segment this server writes or receives (a primary's, and a replica's too:
     * {@code always}) into the folder {@code archive} beside its data folder, as its continuous backup.
     * In the server's own configuration, which a replica's base copy carries, so every member of a
     * replicated pair archives into the folder of that name beside its own data. Before {@link #start}.
     */
    public void archiveWal(String archive) throws IOException {
        Path folder = data.resolveSibling(archive);
        Files.createDirectories(folder);
        as.own(folder);
        Path conf = data.resolve("postgresql.conf");
        // before the role's settings, which a restore's own (archive_mode off) must override
        Files.writeString(conf, Files.readString(conf).replace(LAB_SETTINGS, """
                # the continuous backup: each finished WAL segment, copied beside the data folder once
                archive_mode = always
                archive_command = 'test ! -f ../%1$s/%%f && cp %%p ../%1$s/%%f'
                """.formatted(archive) + LAB_SETTINGS));
    }

    /** A base backup of this running server in the empty folder {@code target}, for {@link #restoreFrom}. */
    public void backUpTo(Path target) throws IOException, SQLException {
        Files.createDirectories(target);
        try (Connection c = connect()) {
            BaseCopy.backup(c, data, target);
        }
        as.own(target);
    }

    /**
     * Makes this server a point-in-time restore: ends it if it runs, copies the base backup {@code
     * backup}, and sets it to replay the WAL archived in {@code archive} up to the last transaction that
     * committed at or before {@code target}, then to promote itself. {@link #start} then starts it, and
     * {@link #awaitPromoted} waits until the replay has ended. It archives nothing of its own.
     */
    public void restoreFrom(Path backup, Path archive, Instant target) throws IOException {
        kill();
        Trees.delete(data);
        BaseCopy.copyBackup(backup, data);
        Files.writeString(data.resolve("recovery.signal"), "");
        writeLabSettings(Map.of("restore_command", "cp \"" + archive + "/%f\" \"%p\"",
                "recovery_target_time", RECOVERY_TIME.format(target), "recovery_target_action", "promote",
                "recovery_target_timeline", "latest", "archive_mode", "off"));
    }

    /** Waits until a restoring server has replayed up to its target and promoted itself; its log says why not. */
    public void awaitPromoted(Duration limit) throws IOException, InterruptedException {
        process.awaitReady("the restore on port " + port, "did not reach its recovery target", limit,
                Duration.ofMillis(200), () -> {
                    try (Connection c = connect(port, "postgres"); Statement sql = c.createStatement();
                         ResultSet recovering = sql.executeQuery("SELECT pg_is_in_recovery()")) {
                        return recovering.next() && !recovering.getBoolean(1);
                    } catch (SQLException e) {
                        return false;
                    }
                });
    }

    /** Promotes a replica to a primary and returns once it accepts writes. */
    public void promote() throws SQLException {
        try (Connection c = connect(); Statement sql = c.createStatement();
             ResultSet done = sql.executeQuery("SELECT pg_promote(true, 60)")) {
            done.next();
            if (!done.getBoolean(1)) {
                throw new SQLException("the replica on port " + port + " did not finish its promotion in 60s");
            }
        }
    }

    /** Starts the server and waits until it accepts connections (a replica: read-only ones). */
    public void start(Path log) throws IOException, InterruptedException {
        List<String> command = as.command(List.of(binaries.bin("postgres").toString(), "-D", data.toString()));
        Files.deleteIfExists(data.resolve("postmaster.pid"));
        process = ChildProcess.start(command, Map.of(), log);
        try {
            process.awaitReady("postgres on port " + port, "did not accept connections", START_LIMIT,
                    Duration.ofMillis(100), () -> {
                        try (Connection c = connect(port, "postgres")) {
                            return true;
                        } catch (SQLException e) {
                            return false;
                        }
                    });
        } catch (IOException | InterruptedException e) {
            process.kill();
            throw e;
        }
    }

    public Optional<Long> pid() {
        return running() ? Optional.of(process.pid()) : Optional.empty();
    }

    public boolean running() {
        return process != null && process.alive();
    }

    /**
     * Stops with a fast shutdown (SIGINT): sessions end, and a primary first sends every WAL record
     * to its connected replicas.
     */
    public void stop() throws InterruptedException {
        if (running()) {
            process.stop("INT", 30);
        }
    }

    /** Ends the server and its backends at once, as a crash or a lost region would. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public Connection connect() throws SQLException {
        return connect(port, "postgres");
    }

    public static Connection connect(int port, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
    }

    private void run(List<String> command, String what) throws IOException, InterruptedException {
        ChildProcess.Finished finished = ChildProcess.run(as.command(command), COMMAND_LIMIT);
        if (!finished.succeeded()) {
            throw new IOException(what + (finished.ended() ? " failed with " + finished.exitCode()
                    : " did not end within " + COMMAND_LIMIT.toSeconds() + "s") + ": " + finished.output().strip());
        }
    }
}
