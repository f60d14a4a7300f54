package dev.gafail.sample;

import dev.gafail.sample.Model.AuditEvent;
import dev.gafail.sample.Model.Note;
import dev.gafail.sample.Model.NoteInput;
import dev.gafail.sample.Model.NotePatch;
import dev.gafail.sample.Model.Page;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Notes in PostgreSQL. Every write appends its audit event in the same transaction; a POST's
 * Idempotency-Key is claimed in that transaction too, so duplicates, racing or arriving after a
 * failover in the other region, get the first response back and never make a second row.
 */
final class Notes {

    /** Who asks, and from which request: what the audit event records. */
    record Caller(String subject, String requestId) {
    }

    /** A POST's answer: the stored status and body, and whether it is a replay. */
    record Created(int status, String body, boolean replayed) {
    }

    private final DataSource database;
    private final String region;
    private final Clock clock;

    Notes(DataSource database, String region, Clock clock) {
        this.database = database;
        this.region = region;
        this.clock = clock;
    }

    Created create(Caller caller, String key, NoteInput input) {
        String hash = hash(input);
        return transaction(connection -> {
            // Waits for a concurrent claim of the same key to commit; then finds it claimed.
            try (PreparedStatement claim = connection.prepareStatement("INSERT INTO idempotency_keys "
                    + "(subject, key, request_hash, status, response) VALUES (?, ?, ?, 0, '') ON CONFLICT DO NOTHING")) {
                claim.setString(1, caller.subject());
                claim.setString(2, key);
                claim.setString(3, hash);
                if (claim.executeUpdate() == 0) {
                    return replay(connection, caller, key, hash);
                }
            }
            Instant now = now();
            Note note = new Note(UUID.randomUUID(), input.title(), input.body(), region, now, now);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes "
                    + "(id, owner, title, body, region, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setObject(1, note.id());
                insert.setString(2, caller.subject());
                insert.setString(3, note.title());
                insert.setString(4, note.body());
                insert.setString(5, region);
                insert.setTimestamp(6, Timestamp.from(now));
                insert.setTimestamp(7, Timestamp.from(now));
                insert.executeUpdate();
            }
            audit(connection, caller, "note.created", note.id());
            String body = Json.MAPPER.writeValueAsString(note);
            try (PreparedStatement store = connection.prepareStatement(
                    "UPDATE idempotency_keys SET status = 201, response = ? WHERE subject = ? AND key = ?")) {
                store.setString(1, body);
                store.setString(2, caller.subject());
                store.setString(3, key);
                store.executeUpdate();
            }
            return new Created(201, body, false);
        });
    }

    /**
     * The stored answer to a POST that already succeeded, for a region that cannot write: a client
     * retrying there gets its answer instead of waiting for the failover.
     */
    Optional<Created> previous(Caller caller, String key, NoteInput input) {
        String hash = hash(input);
        return transaction(connection -> {
            try (PreparedStatement find = connection.prepareStatement(
                    "SELECT 1 FROM idempotency_keys WHERE subject = ? AND key = ? AND status <> 0")) {
                find.setString(1, caller.subject());
                find.setString(2, key);
                try (ResultSet row = find.executeQuery()) {
                    return row.next() ? Optional.of(replay(connection, caller, key, hash)) : Optional.<Created>empty();
                }
            }
        });
    }

    private static String hash(NoteInput input) {
        return Hashes.sha256(Json.MAPPER.writeValueAsString(input));
    }

    private static Created replay(Connection connection, Caller caller, String key, String hash) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(
                "SELECT request_hash, status, response FROM idempotency_keys WHERE subject = ? AND key = ?")) {
            find.setString(1, caller.subject());
            find.setString(2, key);
            try (ResultSet row = find.executeQuery()) {
                row.next();
                if (!row.getString(1).equals(hash)) {
                    throw new ApiException(422, "IDEMPOTENCY_KEY_REUSED",
                            "this Idempotency-Key was used with a different request body");
                }
                return new Created(row.getInt(2), row.getString(3), true);
            }
        }
    }

    Optional<Note> find(String subject, UUID id) {
        return transaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, title, body, region, created_at, updated_at FROM notes WHERE owner = ? AND id = ?")) {
                select.setString(1, subject);
                select.setObject(2, id);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(note(row)) : Optional.<Note>empty();
                }
            }
        });
    }

    Page<Note> list(String subject, Optional<String> cursor, int limit) {
        return page("SELECT id, title, body, region, created_at, updated_at FROM notes"
                + " WHERE owner = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?",
                subject, cursor, limit, Notes::note, n -> new Cursor(n.createdAt(), n.id()));
    }

    Optional<Note> update(Caller caller, UUID id, NotePatch patch) {
        return transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE notes SET"
                    + " title = coalesce(?, title), body = coalesce(?, body), updated_at = ?"
                    + " WHERE owner = ? AND id = ? RETURNING id, title, body, region, created_at, updated_at")) {
                update.setString(1, patch.title());
                update.setString(2, patch.body());
                update.setTimestamp(3, Timestamp.from(now()));
                update.setString(4, caller.subject());
                update.setObject(5, id);
                try (ResultSet row = update.executeQuery()) {
                    if (!row.next()) {
                        return Optional.<Note>empty();
                    }
                    Note note = note(row);
                    audit(connection, caller, "note.updated", id);
                    return Optional.of(note);
                }
            }
        });
    }

    boolean delete(Caller caller, UUID id) {
        return transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM notes WHERE owner = ? AND id = ?")) {
                delete.setString(1, caller.subject());
                delete.setObject(2, id);
                if (delete.executeUpdate() == 0) {
                    return false;
                }
            }
            audit(connection, caller, "note.deleted", id);
            return true;
        });
    }

    Page<AuditEvent> auditEvents(String subject, Optional<String> cursor, int limit) {
        return page("SELECT id, time, region, request_id, subject, action, entity, entity_id FROM audit_events"
                + " WHERE subject = ? AND (time, id) > (?, ?) ORDER BY time, id LIMIT ?",
                subject, cursor, limit, row -> new AuditEvent(row.getObject(1, UUID.class),
                        row.getTimestamp(2).toInstant(), row.getString(3), row.getString(4), row.getString(5),
                        row.getString(6), row.getString(7), row.getString(8)),
                e -> new Cursor(e.time(), e.id()));
    }

    /** Reads one row of a result. */
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /**
     * One page of a keyset query whose parameters are (subject, after time, after id, limit), in
     * that order; one row more than the page tells whether there is a next one.
     */
    private <T> Page<T> page(String sql, String subject, Optional<String> cursor, int limit, Row<T> read,
                             java.util.function.Function<T, Cursor> cursorOf) {
        Cursor after = cursor.map(Cursor::decode).orElse(Cursor.START);
        return transaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, subject);
                select.setTimestamp(2, Timestamp.from(after.time()));
                select.setObject(3, after.id());
                select.setInt(4, limit + 1);
                List<T> rows = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.add(read.read(row));
                    }
                }
                if (rows.size() <= limit) {
                    return new Page<>(rows, null);
                }
                List<T> items = List.copyOf(rows.subList(0, limit));
                return new Page<>(items, cursorOf.apply(items.get(limit - 1)).encode());
            }
        });
    }

    private void audit(Connection connection, Caller caller, String action, UUID noteId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_events (id, time, region,"
                + " request_id, subject, action, entity, entity_id) VALUES (?, ?, ?, ?, ?, ?, 'note', ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setTimestamp(2, Timestamp.from(now()));
            insert.setString(3, region);
            insert.setString(4, caller.requestId());
            insert.setString(5, caller.subject());
            insert.setString(6, action);
            insert.setString(7, noteId.toString());
            insert.executeUpdate();
        }
    }

    /** PostgreSQL keeps microseconds; so do we, so that what we return equals what a later read returns. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Note note(ResultSet row) throws SQLException {
        return new Note(row.getObject(1, UUID.class), row.getString(2), row.getString(3), row.getString(4),
                row.getTimestamp(5).toInstant(), row.getTimestamp(6).toInstant());
    }

    /** Where a page ends: the (time, id) of its last row, opaque to clients. */
    record Cursor(Instant time, UUID id) {
        static final Cursor START = new Cursor(Instant.EPOCH, new UUID(0, 0));

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((time + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
                return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw ApiException.badRequest("'cursor' is not one this API gave out");
            }
        }
    }

    /** Work in one transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T transaction(Work<T> work) {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                // A fenced or lost database fails the rollback too; what the client is told comes from the first error.
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Database failures as the API's errors: a replica refusing a write, or a database that is away. */
    static ApiException translate(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals(Database.READ_ONLY)) {
            return ApiException.readOnly();
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")
                || e instanceof SQLTransientConnectionException) {
            return ApiException.unavailable("the database is unavailable; retry shortly");
        }
        return new ApiException(500, "INTERNAL", "the database refused the request (SQLSTATE " + state + ")");
    }
}
