package dev.gafail.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A PostgreSQL endpoint: the region's own database, or the writer endpoint that leads to the global
 * database's current writer. A small pool with short timeouts, so that a database that is gone or slow costs
 * a request seconds, not minutes; and the schema, migrated only where it is the writer.
 */
final class Database implements AutoCloseable {

    /** SQLSTATE read_only_sql_transaction: a write that reached a database that does not write. */
    static final String READ_ONLY = "25006";

    private final HikariDataSource pool;

    /** The region's own database ({@code DATABASE_URL}): reads, and writes when it is the writer. */
    static Database regional(Config config) {
        return new Database(config, config.databaseUrl(), "notes", false);
    }

    /**
     * The writer endpoint ({@code DATABASE_WRITER_URL}), when there is one. A connection that finds its database
     * read-only is evicted from the pool: it reached a writer that has since been fenced or demoted (or, while a
     * DNS answer was cached, the old one), and a new connection goes where the endpoint leads now.
     */
    static Optional<Database> writer(Config config) {
        return config.databaseWriterUrl().map(url -> new Database(config, url, "notes-writer", true));
    }

    private Database(Config config, String url, String name, boolean writer) {
        HikariConfig hikari = new HikariConfig();
        if (writer) {
            hikari.setExceptionOverride(new ReadOnlyEvicted());
        }
        hikari.setJdbcUrl(url);
        hikari.setUsername(config.databaseUser());
        hikari.setPassword(config.databasePassword());
        hikari.setPoolName(name);
        hikari.setMaximumPoolSize(16);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(2_000);
        hikari.setValidationTimeout(1_000);
        // Start even while the database is away; /healthz reports it, and the pool recovers with it.
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("connectTimeout", "2");
        hikari.addDataSourceProperty("socketTimeout", "10");
        hikari.addDataSourceProperty("ApplicationName", "sample-api-" + config.region());
        this.pool = new HikariDataSource(hikari);
    }

    DataSource dataSource() {
        return pool;
    }

    /** Whether this database is a read replica (in recovery). */
    boolean inRecovery() throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            try (ResultSet result = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /** Brings the schema up to date; idempotent. Only on the writer: a replica gets it by replication. */
    void migrate() {
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Hikari's verdict on a connection that failed: one that reached a read-only database goes. */
    private static final class ReadOnlyEvicted implements SQLExceptionOverride {
        @java.lang.Override // the interface's enum is called Override too
        public Override adjudicate(SQLException e) {
            return READ_ONLY.equals(e.getSQLState()) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
        }
    }
}
