package dev.gafail.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.servers.valkey.ValkeyServer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A cache that is gone and a database that hangs: what the load balancer and clients see. */
class DegradationTest {

    private Postgres database;
    private ValkeyServer cache;
    private Instances.Instance api;

    @AfterEach
    void stopAll() {
        if (database != null) {
            database.freeze(false);
        }
        for (AutoCloseable part : new AutoCloseable[] {api, cache, database}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    // keep stopping the others
                }
            }
        }
    }

    private Client.Response health() {
        return api.client().send(api.client().request("/healthz").GET());
    }

    @Test
    void aDownCacheIsDegradedNotFailedAndReadsStillWork() {
        database = Postgres.primary();
        cache = Valkey.start();
        api = Instances.start("region-a", database, cache);
        Instances.await("ready", Duration.ofSeconds(30), () -> health().status() == 200);
        String id = api.client().post("/api/v1/notes", "kim", UUID.randomUUID().toString(),
                "{\"title\": \"t\", \"body\": \"b\"}").json().get("id").asString();

        cache.close();
        Instances.await("the cache is reported degraded", Duration.ofSeconds(10),
                () -> "degraded".equals(health().json().at("/checks/cache").asString()));

        Client.Response health = health();
        assertEquals(200, health.status(), health.toString());
        assertEquals("degraded", health.json().get("status").asString());
        Client.Response read = api.client().get("/api/v1/notes/" + id, "kim");
        assertEquals(200, read.status(), read.toString());
    }

    @Test
    void aHangingDatabaseTurnsHealthzTo503Within5sWhileHealthzAnswersWithin2s() {
        database = Postgres.primary();
        api = Instances.start("region-a", database, null);
        Instances.await("ready", Duration.ofSeconds(30), () -> health().status() == 200);

        database.freeze(true);
        Instant frozen = Instant.now();
        long slowestHealthzMs = 0;
        Client.Response last = health();
        while (last.status() == 200 && Duration.between(frozen, Instant.now()).toSeconds() < 10) {
            Instant asked = Instant.now();
            last = health();
            slowestHealthzMs = Math.max(slowestHealthzMs, Duration.between(asked, Instant.now()).toMillis());
        }

        assertEquals(503, last.status(), last.toString());
        assertTrue(Duration.between(frozen, Instant.now()).toMillis() <= 5_000, "503 within 5 s of the hang");
        assertTrue(slowestHealthzMs < 2_000, "healthz answered in " + slowestHealthzMs + " ms");
        JsonNode body = last.json();
        assertEquals("unavailable", body.get("status").asString());

        database.freeze(false);
        Instances.await("ready again once the database answers", Duration.ofSeconds(30),
                () -> health().status() == 200);
    }
}
