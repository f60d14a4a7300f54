package dev.gafail.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The region's PostgreSQL: a small pool with short timeouts, so that a database that is gone or
 * slow costs a request seconds, not minutes; and the schema, migrated only where it is the writer.
 */
final class Database implements AutoCloseable {

    private final HikariDataSource pool;

    Database(Config config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.databaseUrl());
        hikari.setUsername(config.databaseUser());
        hikari.setPassword(config.databasePassword());
        hikari.setPoolName("notes");
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
}
