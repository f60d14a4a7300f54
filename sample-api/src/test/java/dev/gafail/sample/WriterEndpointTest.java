package dev.gafail.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.servers.valkey.ValkeyServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both regions writing through a writer endpoint, against a real PostgreSQL primary and streaming replica: a
 * write in the replica's region lands once on the writer and reads back there at once; writes that meet a
 * switchover wait for the new writer, and retries of one key from both regions land once with one answer.
 * The endpoint is a JDBC URL that leads to whichever server writes ({@code targetServerType=primary}), as
 * Aurora's global writer endpoint leads to the current writer.
 */
class WriterEndpointTest {

    private Postgres primary;
    private Postgres replica;
    private ValkeyServer cacheB;
    private Instances.Instance a;
    private Instances.Instance b;

    @BeforeEach
    void startBothRegions() {
        primary = Postgres.primary();
        replica = primary.replica();
        cacheB = Valkey.start();
        Map<String, String> writer = Map.of("DATABASE_WRITER_URL", Postgres.writerUrl(primary, replica),
                "WRITE_WAIT_SECONDS", "20");
        a = Instances.start("region-a", primary, null, writer);
        b = Instances.start("region-b", replica, cacheB, writer);
        Instances.await("both regions ready, region-b a reader", Duration.ofSeconds(30), () -> health(a).status() == 200
                && health(b).status() == 200 && "reader".equals(health(b).json().get("role").asString()));
        // region-a migrates the schema once it sees itself the writer; the replica has it once it replayed that
        Instances.await("the schema on the replica", Duration.ofSeconds(30), () -> "1".equals(replica.sql(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'audit_events'")));
    }

    @AfterEach
    void stopAll() {
        Instances.closeAll(a, b, cacheB, replica, primary);
    }

    private static Client.Response health(Instances.Instance instance) {
        return instance.client().send(instance.client().request("/healthz").GET());
    }

    private static long notesTitled(Postgres database, String title) {
        return Long.parseLong(database.sql("SELECT count(*) FROM notes WHERE title = '" + title + "'"));
    }

    @Test
    void aWriteInTheReplicasRegionLandsOnceOnTheWriterAndReadsBackThereAtOnce() {
        assertEquals("writer-endpoint", health(b).json().get("writes").asString());
        // The replica replays nothing for now: whatever region-b reads back, it did not read from its replica.
        replica.sql("SELECT pg_wal_replay_pause()");

        String key = UUID.randomUUID().toString();
        String body = "{\"title\": \"from-b\", \"body\": \"written in the replica's region\"}";
        Client.Response created = b.client().post("/api/v1/notes", "alice", key, body);
        assertEquals(201, created.status(), created.toString());
        assertEquals("region-b", created.json().get("region").asString());
        String id = created.json().get("id").asString();
        assertEquals(1, notesTitled(primary, "from-b"), "on the writer");
        assertEquals(0, notesTitled(replica, "from-b"), "not on the paused replica");

        Client.Response read = b.client().get("/api/v1/notes/" + id, "alice");
        assertEquals(200, read.status(), "read your write from the replica's region: " + read);
        assertEquals(created.json().get("id"), read.json().get("id"));
        Client.Response again = a.client().post("/api/v1/notes", "alice", key, body);
        assertEquals(created.body(), again.body(), "a retry, in the other region, lands nowhere new");
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(1, notesTitled(primary, "from-b"));

        Client.Response patched = b.client().send(b.client().authed("/api/v1/notes/" + id, "alice")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\": \"from-b, edited\"}")));
        assertEquals(200, patched.status(), patched.toString());
        assertEquals("from-b, edited", b.client().get("/api/v1/notes/" + id, "alice").json().get("title").asString(),
                "the edit reads back in its region, though its replica has not replayed it");
        Client.Response deleted = b.client().send(b.client().authed("/api/v1/notes/" + id, "alice").DELETE());
        assertEquals(204, deleted.status(), deleted.toString());
        assertEquals(404, b.client().get("/api/v1/notes/" + id, "alice").status(), "and so does the delete");

        replica.sql("SELECT pg_wal_replay_resume()");
        assertEquals("1", primary.sql("SELECT count(*) FROM audit_events WHERE action = 'note.created'"
                + " AND entity_id = '" + id + "'"), "created once");
    }

    @Test
    void retriesOfOneKeyFromBothRegionsDuringASwitchoverLandOnceWithOneAnswer() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"title\": \"across\", \"body\": \"sent while the writer moved\"}";
        String end = primary.fence();
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<List<Client.Response>>> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Instances.Instance region = i % 2 == 0 ? a : b;
                sent.add(clients.submit(() -> retried(region, key, body)));
            }
            Instances.await("the replica has replayed the fenced primary's last write", Duration.ofSeconds(30),
                    () -> replica.replayed(end));
            Thread.sleep(500); // the writes wait for a writer meanwhile
            primary.stop();
            Instant stopped = Instant.now();
            replica.promote();

            Set<String> answers = new HashSet<>();
            List<Integer> statuses = new ArrayList<>();
            for (Future<List<Client.Response>> client : sent) {
                List<Client.Response> tries = client.get();
                Client.Response last = tries.get(tries.size() - 1);
                statuses.add(last.status());
                answers.add(last.body());
                for (Client.Response failed : tries.subList(0, tries.size() - 1)) {
                    assertEquals(503, failed.status(), failed.toString());
                    assertTrue(failed.header("Retry-After") != null, failed.toString());
                }
            }
            assertEquals(Set.of(201), Set.copyOf(statuses), statuses.toString());
            assertEquals(1, answers.size(), "one answer for every retry: " + answers);
            Instant created = Instant.parse(Json.MAPPER.readTree(answers.iterator().next()).get("createdAt").asString());
            assertTrue(created.isAfter(stopped), "written by the new writer, after the old one stopped: " + created);
            assertEquals(1, notesTitled(replica, "across"), "one row on the new writer");
            assertEquals(1L, Long.parseLong(replica.sql("SELECT count(*) FROM idempotency_keys WHERE key = '" + key
                    + "'")));
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aRegionWhoseDatabaseIsDownReadsOnTheWriter() {
        Client.Response created = a.client().post("/api/v1/notes", "alice", UUID.randomUUID().toString(),
                "{\"title\": \"kept\", \"body\": \"read while the replica is rebuilt\"}");
        assertEquals(201, created.status(), created.toString());
        String id = created.json().get("id").asString();
        // As a switchover rebuilds the old writer's database, region-b's own database is away for a while.
        replica.stop();
        Instances.await("region-b's health sees its database down", Duration.ofSeconds(20),
                () -> health(b).status() == 503);

        Client.Response read = b.client().get("/api/v1/notes/" + id, "alice");
        assertEquals(200, read.status(), "read on the writer: " + read);
        assertEquals("kept", read.json().get("title").asString());
        Client.Response listed = b.client().get("/api/v1/notes", "alice");
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(id, listed.json().get("items").get(0).get("id").asString());
    }

    @Test
    void aPooledWriterConnectionToADatabaseThatTurnedReadOnlyIsReplacedByOneToTheWriter() {
        Client.Response first = a.client().post("/api/v1/notes", "alice", UUID.randomUUID().toString(),
                "{\"title\": \"pooled\", \"body\": \"leaves connections to the primary in the pool\"}");
        assertEquals(201, first.status(), first.toString());
        // The primary turns read-only but keeps its sessions, as a demoted writer that a cached DNS answer still
        // leads to; the replica is promoted, apart from it.
        primary.sql("ALTER SYSTEM SET default_transaction_read_only = on");
        primary.sql("SELECT pg_reload_conf()");
        replica.promote();
        Instances.await("the replica writes", Duration.ofSeconds(20), () -> "f".equals(replica.sql(
                "SELECT pg_is_in_recovery()")));

        Client.Response moved = a.client().post("/api/v1/notes", "alice", UUID.randomUUID().toString(),
                "{\"title\": \"moved\", \"body\": \"written on the new writer\"}");

        assertEquals(201, moved.status(), moved.toString());
        assertEquals(1, notesTitled(replica, "moved"));
        assertEquals(0, notesTitled(primary, "moved"));
    }

    @Test
    void aWriterThatNeverAnswersHoldsAFewWritesNotTheRegionsHealthOrReads() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Instances.Instance lost = Instances.start("region-b", replica, null, Map.of("DATABASE_WRITER_URL",
                     "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/postgres", "WRITE_WAIT_SECONDS", "3"))) {
            Instances.await("region-b ready", Duration.ofSeconds(30), () -> health(lost).status() == 200);
            ExecutorService clients = Executors.newFixedThreadPool(40);
            try {
                List<Future<Client.Response>> writes = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    writes.add(clients.submit(() -> lost.client().post("/api/v1/notes", "alice",
                            UUID.randomUUID().toString(), "{\"title\": \"held\", \"body\": \"to a lost writer\"}")));
                }
                Thread.sleep(1000);
                long start = System.nanoTime();
                assertEquals(200, health(lost).status(), "the region's health answers while writes wait");
                assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000);
                long refused = 0;
                for (Future<Client.Response> write : writes) {
                    Client.Response response = write.get();
                    assertEquals(503, response.status(), response.toString());
                    refused += response.body().contains("too many requests") ? 1 : 0;
                }
                assertEquals(40 - Writes.WAITING, refused, "all but " + Writes.WAITING + " refused at once");
            } finally {
                clients.shutdownNow();
            }
        }
    }

    /** A client that retries its POST on 503, as a well-behaved one does, until it gets another answer. */
    private static List<Client.Response> retried(Instances.Instance region, String key, String body)
            throws InterruptedException {
        List<Client.Response> tries = new ArrayList<>();
        for (int attempt = 0; attempt < 20; attempt++) {
            Client.Response response = region.client().post("/api/v1/notes", "alice", key, body);
            tries.add(response);
            if (response.status() != 503) {
                return tries;
            }
            Thread.sleep(500);
        }
        return tries;
    }

    @Test
    void withoutAWriterEndpointTheReplicasRegionStillAnswersWrites503ReadOnly() {
        try (Instances.Instance local = Instances.start("region-b", replica, null)) {
            Instances.await("region-b without a writer endpoint is a ready reader", Duration.ofSeconds(30),
                    () -> health(local).status() == 200 && "reader".equals(health(local).json().get("role").asString()));
            assertEquals("local", health(local).json().get("writes").asString());
            Client.Response refused = local.client().post("/api/v1/notes", "alice", UUID.randomUUID().toString(),
                    "{\"title\": \"refused\", \"body\": \"no writer endpoint\"}");
            assertEquals(503, refused.status(), refused.toString());
            assertEquals("REGION_READ_ONLY", refused.errorCode());
            assertEquals("5", refused.header("Retry-After"));
            assertEquals(0, notesTitled(primary, "refused"));
        }
    }
}
