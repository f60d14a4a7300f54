package dev.gafail.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The API's values: what clients send and what they get back. */
final class Model {

    private Model() {
    }

    /** A note as the API returns it. */
    record Note(UUID id, String title, String body, String region, Instant createdAt, Instant updatedAt) {
    }

    /** POST body: both fields required. */
    record NoteInput(String title, String body) {
        NoteInput validated() {
            if (title == null) {
                throw ApiException.badRequest("'title' is required");
            }
            if (body == null) {
                throw ApiException.badRequest("'body' is required");
            }
            return new NotePatch(title, body).validated().toInput();
        }
    }

    /** PATCH body: either field, at least one. */
    record NotePatch(String title, String body) {
        NotePatch validated() {
            if (title == null && body == null) {
                throw ApiException.badRequest("give 'title', 'body' or both");
            }
            if (title != null && (title.isBlank() || title.codePointCount(0, title.length()) > 200)) {
                throw ApiException.badRequest("'title' must have 1 to 200 characters");
            }
            if (body != null && body.codePointCount(0, body.length()) > 10_000) {
                throw ApiException.badRequest("'body' must have at most 10000 characters");
            }
            return this;
        }

        NoteInput toInput() {
            return new NoteInput(title, body);
        }
    }

    /** An immutable record of a write. */
    record AuditEvent(UUID id, Instant time, String region, String requestId, String subject, String action,
                      String entity, String entityId) {
    }

    /** One page of a list; {@code nextCursor} is null on the last page. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Page<T>(List<T> items, String nextCursor) {
    }
}
