package dev.gafail.sample;

import dev.gafail.servers.ServerBinaries;
import dev.gafail.servers.os.ChildProcess;
import dev.gafail.servers.os.Ports;
import dev.gafail.servers.os.Trees;
import dev.gafail.servers.os.Unprivileged;
import dev.gafail.servers.postgres.PostgresInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL server for tests, from the binaries the Maven build brought (gafail-servers), on
 * 127.0.0.1 and a free port; as root it runs unprivileged, as the lab's do. Stopped by pid at the end,
 * whatever state it is in.
 */
final class Postgres implements AutoCloseable {

    private static final Unprivileged AS = Unprivileged.detect();

    private final Path root;
    private final PostgresInstance server;

    private Postgres(String name) {
        try {
            root = Unprivileged.openDirectory(Files.createTempDirectory(
                    Path.of(System.getProperty("java.io.tmpdir")), name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = new PostgresInstance(ServerBinaries.here().postgres(), AS, root.resolve("data"), Ports.free());
    }

    /** A new primary, started. */
    static Postgres primary() {
        return new Postgres("pg-primary").started(pg -> pg.server.initialize());
    }

    /** A streaming replica of this server, started; it is in recovery until {@link #promote()}. */
    Postgres replica() {
        return new Postgres("pg-replica").started(replica -> replica.server.seedFrom(server, server.port(), "replica"));
    }

    private interface Preparation {
        void prepare(Postgres pg) throws IOException, SQLException, InterruptedException;
    }

    /** This server prepared and started; on failure, nothing of it is left (process, folder). */
    private Postgres started(Preparation preparation) {
        try {
            call(() -> {
                preparation.prepare(this);
                server.start(root.resolve("server.log"));
            });
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
    }

    static String user() {
        return PostgresInstance.USER;
    }

    void promote() {
        call(server::promote);
    }

    /** Runs {@code sql} on this server; the first column of its first row, or null when it returns none. */
    String sql(String sql) {
        try (Connection c = server.connect(); Statement statement = c.createStatement()) {
            if (!statement.execute(sql)) {
                return null;
            }
            try (ResultSet row = statement.getResultSet()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first half of a planned switchover, as the lab's: new transactions read-only, sessions ended; returns
     * the last WAL position it wrote, which the replica must replay before it is promoted.
     */
    String fence() {
        sql("ALTER SYSTEM SET default_transaction_read_only = on");
        sql("SELECT pg_reload_conf()");
        sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
        return sql("SELECT pg_current_wal_lsn()::text");
    }

    /** Whether this replica has replayed the WAL up to {@code lsn}. */
    boolean replayed(String lsn) {
        return "t".equals(sql("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn"));
    }

    /** A JDBC URL that leads to whichever of {@code servers} writes: the tests' writer endpoint. */
    static String writerUrl(Postgres... servers) {
        StringBuilder hosts = new StringBuilder();
        for (Postgres pg : servers) {
            hosts.append(hosts.isEmpty() ? "" : ",").append("127.0.0.1:").append(pg.server.port());
        }
        return "jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary";
    }

    void stop() {
        call(server::stop);
    }

    /** SIGSTOP (or SIGCONT) to the server and its backends: a database that hangs instead of failing. */
    void freeze(boolean frozen) {
        server.pid().flatMap(ProcessHandle::of).ifPresent(process -> {
            List<String> command = new ArrayList<>(List.of("kill", frozen ? "-STOP" : "-CONT",
                    String.valueOf(process.pid())));
            process.descendants().forEach(p -> command.add(String.valueOf(p.pid())));
            call(() -> {
                ChildProcess.Finished finished = ChildProcess.run(command, Duration.ofSeconds(10));
                if (!finished.succeeded()) {
                    throw new IOException("failed: " + command + ": " + finished.firstLine());
                }
            });
        });
    }

    @Override
    public void close() {
        server.kill();
        call(() -> Trees.delete(root));
    }

    private interface Step {
        void run() throws IOException, SQLException, InterruptedException;
    }

    /** Runs a step on the server; a test fails with what went wrong. */
    private void call(Step step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
