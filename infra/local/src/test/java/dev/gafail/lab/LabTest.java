package dev.gafail.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.servers.os.Trees;
import dev.gafail.servers.postgres.PostgresInstance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One lab for the class, driven through its Java API and checked against real state: which
 * PostgreSQL accepts writes (JDBC, around the lab), which region the edge sends new requests to
 * ({@code X-Region}), how many sample-api processes run (the process table).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabTest {

    private static Path dir;
    private static Lab lab;
    private static final List<Long> pids = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("gafail-lab-test-");
        Path jar = LabConfig.findSampleApiJar(System.getenv(), Path.of("")).orElseThrow(
                () -> new AssertionError("build sample-api first (mvn -pl sample-api package)"));
        lab = Lab.up(LabConfig.defaults(dir, 2, jar));
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            pids.addAll(samplePids());
            pids.addAll(lab.pids());
            lab.database().members().values().forEach(m -> m.server().pid().ifPresent(pids::add));
            lab.close();
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " left");
        }
        Trees.delete(dir);
    }

    /** The sample-api processes this JVM started, from the process table. */
    private static List<Long> samplePids() {
        return ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("")
                .contains("sample-api.jar")).map(ProcessHandle::pid).toList();
    }

    // A new client per request: a new connection, which the edge routes afresh (it never moves one).
    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + lab.edge().port() + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postNote(String title) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lab.edge().port() + "/api/v1/notes"))
                .header("Authorization", "Bearer " + lab.token(Duration.ofMinutes(5)))
                .header("Idempotency-Key", UUID.randomUUID().toString()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"" + title + "\", \"body\": \"b\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean writes(String region) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + lab.database().member(region, true).server().port() + "/notes?user=" + PostgresInstance.USER);
             Statement sql = c.createStatement(); ResultSet r = sql.executeQuery("SELECT pg_is_in_recovery()")) {
            r.next();
            return !r.getBoolean(1);
        }
    }

    /** A note read through {@code region}'s own load balancer: the X-Cache header says whether its cache had it. */
    private static HttpResponse<String> readIn(String region, String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + lab.edge().regionPort(region) + "/api/v1/notes/" + id))
                .header("Authorization", "Bearer " + lab.token(Duration.ofMinutes(5))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(String region) {
        return lab.status().regions().stream().filter(r -> r.region().equals(region)).findFirst().orElseThrow().cache();
    }

    private static String idOf(HttpResponse<String> created) {
        return created.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    /** Waits until a new request through the edge lands in {@code region}. */
    private static void awaitEdgeRegion(String region) throws Exception {
        awaitTrue(() -> region.equals(get("/healthz").headers().firstValue("X-Region").orElse("")),
                "the edge sends new requests to " + region);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(end)) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never: " + what);
    }

    @Test
    @Order(1)
    void upStartsRealPartsAndWritesTheTopology() throws Exception {
        assertTrue(writes("region-a"));
        assertFalse(writes("region-b"));
        assertEquals(3, samplePids().size(), "2 active in region-a, 1 warm in region-b");
        assertEquals("region-a", get("/healthz").headers().firstValue("X-Region").orElseThrow());
        String topology = Files.readString(lab.topologyFile());
        assertTrue(topology.contains("endpoint: http://127.0.0.1:" + lab.edge().port()), topology);
        assertEquals(201, postNote("first").statusCode());
        for (String region : Lab.REGIONS) {
            assertEquals("up", cache(region), "every region has its cache");
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + lab.edge().regionPort(region) + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(health.body().contains("\"cache\":\"ok\""), region + ": " + health.body());
        }
    }

    @Test
    @Order(2)
    void aSecondLabInTheSameFolderIsRefused() {
        LabException e = assertThrows(LabException.class, () -> Lab.up(lab.config()));
        assertTrue(e.getMessage().contains("already running in " + dir.toAbsolutePath()), e.getMessage());
    }

    @Test
    @Order(3)
    void scalingChangesTheNumberOfProcesses() throws Exception {
        lab.scale("region-b", 2);
        assertEquals(4, samplePids().size());
        lab.scale("region-b", 1);
        assertEquals(3, samplePids().size());
    }

    @Test
    @Order(4)
    void aSwitchoverMovesTheWriterAndKeepsTheWrites() throws Exception {
        HttpResponse<String> before = postNote("before the switch");
        assertEquals(201, before.statusCode());
        String id = idOf(before);
        awaitTrue(() -> readIn("region-b", id).statusCode() == 200, "the note reached region-b's replica");
        assertEquals("hit", readIn("region-b", id).headers().firstValue("X-Cache").orElse(""),
                "region-b's cache holds what region-b read");
        lab.switchover("region-b");
        assertTrue(writes("region-b"));
        assertFalse(writes("region-a"));
        lab.dial("region-b", 100);
        lab.dial("region-a", 0);
        awaitEdgeRegion("region-b");
        awaitTrue(() -> postNote("in b").statusCode() == 201, "region-b takes writes");
        assertEquals("miss", readIn("region-b", id).headers().firstValue("X-Cache").orElse(""),
                "region-b flushed its cache when its database was promoted, before it took writes");
    }

    @Test
    @Order(5)
    void andBack() throws Exception {
        lab.switchover("region-a");
        lab.dial("region-a", 100);
        lab.dial("region-b", 0);
        assertTrue(writes("region-a"));
        awaitEdgeRegion("region-a");
        awaitTrue(() -> postNote("back in a").statusCode() == 201, "region-a takes writes again");
    }

    @Test
    @Order(6)
    void aDegradedDatabaseFailsHealthAndTheEdgeSpillsOver() throws Exception {
        lab.degrade("region-a", Duration.ofSeconds(2));
        awaitEdgeRegion("region-b");
        lab.heal("region-a");
        awaitEdgeRegion("region-a");
    }

    @Test
    @Order(7)
    void aFailedRegionAndAFailover() throws Exception {
        lab.fail("region-a");
        assertEquals(1, samplePids().size());
        assertEquals("down", cache("region-a"), "a lost region loses its cache");
        var lost = lab.failover("region-b");
        assertTrue(writes("region-b"));
        awaitEdgeRegion("region-b");
        awaitTrue(() -> postNote("after the failover").statusCode() == 201, "region-b takes writes");
        assertTrue(lost.isEmpty() || lost.stream().allMatch(t -> t.xid() > 0), lost.toString());
        lab.heal("region-a");
        assertFalse(writes("region-a"));
        assertEquals(3, samplePids().size());
        assertEquals("up", cache("region-a"));
    }
}
