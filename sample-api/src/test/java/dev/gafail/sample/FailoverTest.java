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

/**
 * Two regions on one machine: region-a's instance on a primary, region-b's on its streaming
 * replica, each with its own cache. The primary goes away, the replica is promoted, and region-b's
 * instance follows its database's role without a restart.
 */
class FailoverTest {

    private Postgres primary;
    private Postgres replica;
    private ValkeyServer cacheB;
    private Instances.Instance a;
    private Instances.Instance b;

    @AfterEach
    void stopAll() {
        Instances.closeAll(a, b, cacheB, replica, primary);
    }

    private static JsonNode health(Instances.Instance instance) {
        return instance.client().send(instance.client().request("/healthz").GET()).json();
    }

    private static int healthStatus(Instances.Instance instance) {
        return instance.client().send(instance.client().request("/healthz").GET()).status();
    }

    @Test
    void theReplicaRegionServesReadsRefusesWritesAndTakesOverWhenPromoted() {
        primary = Postgres.primary();
        a = Instances.start("region-a", primary, null);
        Instances.await("region-a is a ready writer", Duration.ofSeconds(30), () -> healthStatus(a) == 200);
        String keyBeforeFailover = UUID.randomUUID().toString();
        Client.Response written = a.client().post("/api/v1/notes", "alice", keyBeforeFailover,
                "{\"title\": \"before\", \"body\": \"written in region-a\"}");
        assertEquals(201, written.status(), written.toString());
        String id = written.json().get("id").asString();

        replica = primary.replica();
        cacheB = Valkey.start();
        b = Instances.start("region-b", replica, cacheB);
        Instances.await("region-b is a ready reader", Duration.ofSeconds(30),
                () -> healthStatus(b) == 200 && "reader".equals(health(b).get("role").asString()));

        Client.Response read = b.client().get("/api/v1/notes/" + id, "alice");
        assertEquals(200, read.status(), read.toString());
        assertEquals("region-a", read.json().get("region").asString());
        assertEquals("region-b", read.header("X-Region"));
        assertEquals("hit", b.client().get("/api/v1/notes/" + id, "alice").header("X-Cache"));

        String retriedKey = UUID.randomUUID().toString();
        String retriedBody = "{\"title\": \"during\", \"body\": \"sent while region-b was a replica\"}";
        Client.Response refused = b.client().post("/api/v1/notes", "alice", retriedKey, retriedBody);
        assertEquals(503, refused.status(), refused.toString());
        assertEquals("REGION_READ_ONLY", refused.errorCode());
        assertEquals("5", refused.header("Retry-After"));

        Client.Response answeredByReplica = b.client().post("/api/v1/notes", "alice", keyBeforeFailover,
                "{\"title\": \"before\", \"body\": \"written in region-a\"}");
        assertEquals(written.body(), answeredByReplica.body(), "a retry of a POST that succeeded gets its answer"
                + " even from the replica region");

        primary.stop();
        Instant stopped = Instant.now();
        Instances.await("region-a's /healthz turns 503 within 5 s", Duration.ofSeconds(5), () -> healthStatus(a) == 503);
        assertTrue(Duration.between(stopped, Instant.now()).toMillis() <= 5_000);
        assertEquals(200, a.client().send(a.client().request("/livez").GET()).status(), "alive, just not ready");
        JsonNode down = health(a);
        assertEquals("unavailable", down.get("status").asString());
        assertTrue(down.at("/checks/database").asString().startsWith("unreachable"), down.toString());

        replica.promote();
        Instances.await("region-b follows its database and becomes the writer", Duration.ofSeconds(20),
                () -> "writer".equals(health(b).get("role").asString()));

        assertEquals("miss", b.client().get("/api/v1/notes/" + id, "alice").header("X-Cache"),
                "the new writer flushed its region's cache before accepting writes");
        Client.Response landed = b.client().post("/api/v1/notes", "alice", retriedKey, retriedBody);
        assertEquals(201, landed.status(), landed.toString());
        assertEquals("region-b", landed.json().get("region").asString());

        Client.Response replayed = b.client().post("/api/v1/notes", "alice", keyBeforeFailover,
                "{\"title\": \"before\", \"body\": \"written in region-a\"}");
        assertEquals(201, replayed.status());
        assertEquals(written.body(), replayed.body(), "a retry that crossed the failover gets the first answer");
        assertEquals(2, b.client().get("/api/v1/notes", "alice").json().get("items").size());
    }
}
