package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.LabConfig;
import dev.gafail.lab.os.Trees;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.Resources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * gafail's own failover, through the real SDK clients, against a lab: the lab's control plane
 * answers the AWS APIs from the lab's real state, which is checked around gafail, not through it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabFailoverTest {

    private static Path dir;
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("gafail-lab-failover-");
        lab = Lab.up(LabConfig.defaults(dir.resolve("lab"), 2,
                Resources.repository().resolve("sample-api/target/sample-api.jar")));
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
        Trees.delete(dir);
    }

    private CliRun.Result gafail(String... args) {
        return CliRun.in(dir).env("GAFAIL_TOPOLOGY", lab.topologyFile().toString()).run(args);
    }

    private void failover(String to) {
        CliRun.Result result = gafail("failover", "--to", to, "--yes", "--set", "holdFor=1s", "--set",
                "probeInterval=200ms");
        assertEquals(0, result.code(), result.toString());
    }

    private static int processes(String region) {
        return lab.services(region).count();
    }

    @Test
    @Order(1)
    void aDryRunChangesNothing() {
        CliRun.Result plan = gafail("failover", "--to", "region-b", "--dry-run");
        assertEquals(0, plan.code(), plan.toString());
        assertEquals("region-a", lab.database().primary());
        assertEquals(100, lab.edge().dial("region-a"));
        assertEquals(0, lab.edge().dial("region-b"));
        assertEquals(1, processes("region-b"));
    }

    @Test
    @Order(2)
    void aPlannedFailoverMovesWriterTrafficAndCapacity() {
        failover("region-b");
        assertEquals("region-b", lab.database().primary());
        assertEquals(100, lab.edge().dial("region-b"));
        assertEquals(0, lab.edge().dial("region-a"));
        assertEquals(2, processes("region-b"));
        assertEquals(1, processes("region-a"));
        CliRun.Result status = gafail("status");
        assertTrue(status.out().matches("(?s).*region-b\\s+100%\\s+HEALTHY\\s+writer.*"), status.toString());
    }

    @Test
    @Order(3)
    void andBack() {
        failover("region-a");
        assertEquals("region-a", lab.database().primary());
        assertEquals(100, lab.edge().dial("region-a"));
        assertFalse(lab.database().member("region-b", true).diverged());
    }

    @Test
    @Order(4)
    void fiveHundredsRaiseTheLabAlarmWhereTheyHappen() throws Exception {
        lab.fail("region-b");
        URI health = URI.create(lab.status().regions().get(1).loadBalancer() + "/healthz");
        for (int i = 0; i < 6; i++) {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(503, r.statusCode());
        }
        JsonNode status = Json.MAPPER.readTree(gafail("status", "--output", "json").out()).path("regions");
        assertEquals("lab-5xx ALARM", status.path("region-b").path("alarms").asString(), status.toString());
        assertEquals("OK", status.path("region-a").path("alarms").asString(), status.toString());
        CliRun.Result gated = gafail("failover", "--to", "region-b", "--dry-run");
        assertEquals(3, gated.code(), gated.toString());
        assertTrue(gated.out().contains("region-b/lab-5xx is ALARM"), "the alarm gates a failover to it: " + gated);
        lab.heal("region-b");
    }

    @Test
    @Order(5)
    void anUnplannedFailoverAfterTheWritersRegionIsLost() throws Exception {
        lab.fail("region-a");
        CliRun.Result refused = gafail("failover", "--to", "region-b", "--mode", "unplanned", "--yes");
        assertEquals(2, refused.code(), refused.toString());
        assertEquals("region-a", lab.database().primary());

        CliRun.Result result = gafail("failover", "--to", "region-b", "--mode", "unplanned", "--allow-data-loss",
                "--yes", "--set", "probeInterval=200ms");

        assertEquals(0, result.code(), result.toString());
        assertEquals("region-b", lab.database().primary());
        assertEquals(100, lab.edge().dial("region-b"));
        assertEquals(0, lab.edge().dial("region-a"));
        assertEquals(2, processes("region-b"));
        assertTrue(lab.database().member("region-a", true).diverged(), "the lost region must be rebuilt to serve");
        lab.heal("region-a");
        assertFalse(lab.database().member("region-a", true).diverged());
    }
}
