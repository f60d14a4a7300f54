package dev.gafail.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.servers.valkey.ValkeyServer;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The notes API against a real PostgreSQL and a real Valkey/Redis, one of each for the class. */
class NotesApiTest {

    private static Postgres database;
    private static ValkeyServer cache;
    private static Instances.Instance api;
    private static Client client;

    @BeforeAll
    static void start() {
        database = Postgres.primary();
        cache = Valkey.start();
        api = Instances.start("region-a", database, cache);
        client = api.client();
        Instances.await("the instance is a ready writer", Duration.ofSeconds(30),
                () -> client.send(client.request("/healthz").GET()).status() == 200);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static String note(String title) {
        return "{\"title\": \"" + title + "\", \"body\": \"the body\"}";
    }

    @Test
    void createReturnsTheNoteWithItsRegion() {
        Client.Response created = client.post("/api/v1/notes", "alice", UUID.randomUUID().toString(), note("hello"));

        assertEquals(201, created.status(), created.toString());
        JsonNode body = created.json();
        assertEquals("hello", body.get("title").asString());
        assertEquals("region-a", body.get("region").asString());
        assertEquals(Set.of("id", "title", "body", "region", "createdAt", "updatedAt"),
                new HashSet<>(body.propertyNames()));
        assertEquals(body, client.get("/api/v1/notes/" + body.get("id").asString(), "alice").json());
    }

    @Test
    void aRepeatedPostReturnsTheOriginalResponseWithoutASecondRow() throws Exception {
        String key = UUID.randomUUID().toString();
        Client.Response first = client.post("/api/v1/notes", "bob", key, note("once"));
        Client.Response again = client.post("/api/v1/notes", "bob", key, note("once"));

        assertEquals(201, again.status());
        assertEquals(first.body(), again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(1, count("SELECT count(*) FROM notes WHERE owner = 'bob' AND title = 'once'"));
    }

    @Test
    void twentyConcurrentPostsWithOneKeyMakeOneRowAndTwentyIdenticalResponses() throws Exception {
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Client.Response>> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            responses.add(pool.submit(() -> {
                go.await();
                return client.post("/api/v1/notes", "carol", key, note("raced"));
            }));
        }
        go.countDown();
        Set<String> bodies = new HashSet<>();
        for (Future<Client.Response> response : responses) {
            Client.Response r = response.get();
            assertEquals(201, r.status(), r.toString());
            bodies.add(r.body());
        }
        pool.shutdown();

        assertEquals(1, bodies.size(), "identical responses");
        assertEquals(1, count("SELECT count(*) FROM notes WHERE owner = 'carol' AND title = 'raced'"));
    }

    @Test
    void theSameKeyWithADifferentBodyIs422() {
        String key = UUID.randomUUID().toString();
        client.post("/api/v1/notes", "dave", key, note("first"));

        Client.Response other = client.post("/api/v1/notes", "dave", key, note("second"));

        assertEquals(422, other.status());
        assertEquals("IDEMPOTENCY_KEY_REUSED", other.errorCode());
    }

    @Test
    void postWithoutIdempotencyKeyIs400() {
        Client.Response response = client.post("/api/v1/notes", "erin", null, note("no key"));

        assertEquals(400, response.status());
        assertEquals("BAD_REQUEST", response.errorCode());
    }

    @Test
    void inputIsValidated() {
        String key = UUID.randomUUID().toString();
        Client.Response unknown = client.post("/api/v1/notes", "erin", key, "{\"title\": \"t\", \"body\": \"b\", \"tags\": []}");
        Client.Response empty = client.post("/api/v1/notes", "erin", key, "{\"title\": \"\", \"body\": \"b\"}");
        Client.Response wrongType = client.post("/api/v1/notes", "erin", key, "{\"title\": 5, \"body\": {}}");
        Client.Response tooLong = client.post("/api/v1/notes", "erin", key, note("x".repeat(201)));
        Client.Response nothing = client.post("/api/v1/notes", "erin", key, "null");
        Client.Response list = client.post("/api/v1/notes", "erin", key, "[]");
        Client.Response huge = client.post("/api/v1/notes", "erin", key,
                "{\"title\": \"t\", \"body\": \"" + "x".repeat(70_000) + "\"}");

        assertEquals(List.of(400, 400, 400, 400, 400, 400, 413), List.of(unknown.status(), empty.status(),
                wrongType.status(), tooLong.status(), nothing.status(), list.status(), huge.status()));
        assertTrue(unknown.json().at("/error/message").asString().contains("unknown field 'tags'"), unknown.body());
        assertEquals("PAYLOAD_TOO_LARGE", huge.errorCode());
    }

    @Test
    void patchDeleteAndList() {
        String id = client.post("/api/v1/notes", "frank", UUID.randomUUID().toString(), note("draft"))
                .json().get("id").asString();
        client.post("/api/v1/notes", "frank", UUID.randomUUID().toString(), note("second"));
        client.post("/api/v1/notes", "frank", UUID.randomUUID().toString(), note("third"));

        Client.Response patched = client.send(client.authed("/api/v1/notes/" + id, "frank")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\": \"final\"}")));
        assertEquals(200, patched.status(), patched.toString());
        assertEquals("final", client.get("/api/v1/notes/" + id, "frank").json().get("title").asString());

        JsonNode page = client.get("/api/v1/notes?limit=2", "frank").json();
        assertEquals(2, page.get("items").size());
        JsonNode rest = client.get("/api/v1/notes?limit=2&cursor=" + page.get("nextCursor").asString(), "frank")
                .json();
        assertEquals(1, rest.get("items").size());
        assertTrue(rest.get("nextCursor").isNull());

        assertEquals(404, client.get("/api/v1/notes/" + id, "mallory").status(), "notes are their owner's");
        assertEquals(204, client.send(client.authed("/api/v1/notes/" + id, "frank").DELETE()).status());
        assertEquals("NOT_FOUND", client.get("/api/v1/notes/" + id, "frank").errorCode());
    }

    @Test
    void readsAreCachedAndWritesGoThroughTheCache() {
        String id = client.post("/api/v1/notes", "gina", UUID.randomUUID().toString(), note("cached"))
                .json().get("id").asString();

        assertEquals("miss", client.get("/api/v1/notes/" + id, "gina").header("X-Cache"));
        assertEquals("hit", client.get("/api/v1/notes/" + id, "gina").header("X-Cache"));
        client.send(client.authed("/api/v1/notes/" + id, "gina")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"body\": \"changed\"}")));
        Client.Response after = client.get("/api/v1/notes/" + id, "gina");
        assertEquals("hit", after.header("X-Cache"), "the new version, written through");
        assertEquals("changed", after.json().get("body").asString());
        client.send(client.authed("/api/v1/notes/" + id, "gina").DELETE());
        assertEquals(404, client.get("/api/v1/notes/" + id, "gina").status(), "a deleted note is not served");
    }

    @Test
    void everyWriteLeavesAnAuditEventThatTheDatabaseWillNotChange() throws Exception {
        String id = client.post("/api/v1/notes", "hank", UUID.randomUUID().toString(), note("audited"))
                .json().get("id").asString();
        client.send(client.authed("/api/v1/notes/" + id, "hank").DELETE());

        JsonNode events = client.get("/api/v1/audit-events", "hank").json().get("items");
        assertEquals(List.of("note.created", "note.deleted"),
                List.of(events.get(0).get("action").asString(), events.get(1).get("action").asString()));
        assertEquals(id, events.get(0).get("entityId").asString());
        assertEquals("region-a", events.get(0).get("region").asString());

        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), Postgres.user(), "");
             Statement statement = connection.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> statement.executeUpdate("UPDATE audit_events SET action = 'x'"));
            assertTrue(update.getMessage().contains("audit events are immutable"), update.getMessage());
            assertThrows(SQLException.class, () -> statement.executeUpdate("DELETE FROM audit_events"));
            assertThrows(SQLException.class, () -> statement.executeUpdate("TRUNCATE audit_events"));
        }
    }

    @Test
    void authRejectsBadTokensWithTheErrorShape() {
        String now = Client.token("ivan");
        List<String> bad = List.of(
                Client.token("ivan", Duration.ofMinutes(-10), Client.SECRET, Client.AUDIENCE),
                Client.token("ivan", Duration.ofHours(1), "another-secret-that-is-also-32-bytes-long!", Client.AUDIENCE),
                Client.token("ivan", Duration.ofHours(1), Client.SECRET, "someone-else"),
                "not.a.jwt");
        assertEquals(200, client.send(client.request("/api/v1/notes").header("Authorization", "Bearer " + now).GET())
                .status());
        Client.Response missing = client.send(client.request("/api/v1/notes").GET());
        assertEquals(401, missing.status());
        assertEquals("UNAUTHORIZED", missing.errorCode());
        for (String token : bad) {
            Client.Response response = client.send(client.request("/api/v1/notes")
                    .header("Authorization", "Bearer " + token).GET());
            assertEquals(401, response.status(), token);
            assertEquals("UNAUTHORIZED", response.errorCode());
            assertFalse(response.body().contains(token), "the token is not echoed");
        }
        assertFalse(api.logText().contains(now), "tokens never reach the log");
    }

    @Test
    void requestIdsAreKeptOrGeneratedAndLogged() {
        Client.Response kept = client.send(client.request("/livez").header("X-Request-Id", "trace-123.abc").GET());
        Client.Response replaced = client.send(client.request("/livez").header("X-Request-Id", "bad id!").GET());

        assertEquals("trace-123.abc", kept.header("X-Request-Id"));
        assertEquals("region-a", kept.header("X-Region"));
        String generated = replaced.header("X-Request-Id");
        assertNotEquals("bad id!", generated);
        assertTrue(generated.matches("[0-9a-f-]{36}"), generated);
        Instances.await("the log line", Duration.ofSeconds(5), () -> api.logText().contains(generated));
        JsonNode line = api.logText().lines().filter(l -> l.contains("trace-123.abc")).map(Json.MAPPER::readTree)
                .findFirst().orElseThrow();
        assertEquals("region-a", line.get("region").asString());
        assertEquals("GET", line.get("method").asString());
        assertEquals("/livez", line.get("path").asString());
        assertEquals(200, line.get("status").asInt());
        assertTrue(line.has("time") && line.has("level") && line.has("latencyMs"), line.toString());
    }

    @Test
    void healthzReportsRoleAndChecks() {
        Client.Response health = client.send(client.request("/healthz").GET());

        assertEquals(200, health.status());
        JsonNode body = health.json();
        assertEquals("writer", body.get("role").asString());
        assertEquals("ok", body.at("/checks/database").asString());
        assertEquals("ok", body.at("/checks/cache").asString());
        assertNull(health.header("Retry-After"));
    }

    @Test
    void drainingTurnsReadinessOffAtOnceWhileTheInstanceStillAnswers() throws Exception {
        try (Instances.Instance draining = Instances.start("region-a", database, null)) {
            Instances.await("ready", Duration.ofSeconds(30),
                    () -> draining.client().send(draining.client().request("/healthz").GET()).status() == 200);
            Thread drain = new Thread(() -> draining.app().drain(Duration.ofSeconds(2), Duration.ofSeconds(1)));
            drain.start();

            Instances.await("readiness off", Duration.ofSeconds(1), () -> "draining".equals(
                    draining.client().send(draining.client().request("/healthz").GET()).json().get("status")
                            .asString()));
            assertEquals(200, draining.client().get("/api/v1/notes", "judy").status(), "requests are still served");
            drain.join();
        }
    }

    @Test
    void openApiDocumentIsServed() {
        Client.Response doc = client.send(client.request("/api/v1/openapi.json").GET());

        assertEquals(200, doc.status());
        assertEquals("3.1.0", doc.json().get("openapi").asString());
        assertTrue(doc.json().at("/paths/~1api~1v1~1notes/post").isObject());
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), Postgres.user(), "");
             Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
