package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.edge.Edge;
import dev.gafail.lab.load.ClientLoad;
import dev.gafail.lab.net.Outage;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.TestLab;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A region lost with its AWS APIs, in the lab, under client load: for each way its ports can fail,
 * the writer's region is lost, gafail fails over to the other with only that region's APIs and the
 * accelerator's, the lost region comes back as a reader, and a planned failover brings the writer back
 * losing nothing, with no failure a user would notice. Global Accelerator's control plane lives in
 * us-west-2 (region-b's AWS region).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegionLossLabTest {

    @RegisterExtension
    static final TestLab LAB = new TestLab("region-loss", config -> config);

    private CliRun.Result gafail(String... args) {
        return LAB.gafail(args);
    }

    /** The lab's request log from {@code since}: the AWS calls it received (or, hung, never answered). */
    static List<JsonNode> requests(Lab lab, Instant since) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(lab.requestLog())) {
            JsonNode request = Json.MAPPER.readTree(line);
            if (!Instant.parse(request.path("time").asString()).isBefore(since)) {
                out.add(request);
            }
        }
        return out;
    }

    /**
     * Loses region-a, the writer, in {@code mode} while clients write (replication stalled first, so
     * that some acknowledged writes exist only there), and fails over to region-b as an on-call engineer
     * would. Returns the failover's result and the writes the clients saw acknowledged.
     */
    static CliRun.Result loseTheWriterAndFailOver(TestLab testLab, Outage mode) throws Exception {
        Lab lab = testLab.lab();
        ClientLoad load = new ClientLoad(URI.create(lab.status().edge()), lab.token(Duration.ofMinutes(10)), 3, 0,
                Duration.ofMillis(50)).start();
        CliRun.Result result;
        List<ClientLoad.Write> written;
        try {
            Thread.sleep(500);
            lab.stall("region-a");
            Thread.sleep(700);
            lab.fail("region-a", mode);
            result = testLab.gafail("failover", "--to", "region-b", "--mode", "unplanned", "--allow-data-loss",
                    "--yes", "--set", "probeInterval=200ms");
            Thread.sleep(1000);
        } finally {
            load.close();
        }
        written = load.acknowledged();
        assertTrue(written.stream().anyMatch(w -> w.region().equals("region-b")),
                "writes acknowledged by region-b through the edge after the failover: " + written.size());
        assertTrue(result.out().contains("Lost transaction "), "the lost-transaction report: " + result);
        assertEquals("region-b", lab.database().primary());
        return result;
    }

    /** After the loss: region-a back as a reader of region-b, the deferred fencing reconciled, then failed back losing nothing. */
    private void healReconcileAndFailBack() throws Exception {
        Lab lab = LAB.lab();
        lab.heal("region-a");
        assertEquals("region-b", lab.database().primary(), "exactly one writer: region-b");
        assertEquals("reader", lab.status().regions().get(0).database(), "region-a came back as a reader");
        CliRun.Result reconciled = gafail("reconcile", "--yes");
        assertEquals(0, reconciled.code(), reconciled.toString());
        assertEquals(1, lab.services("region-a").count(), "the fencing, deferred, is done: region-a is warm");

        LabFailoverTest.awaitAlarmsOk(this::gafail, "region-a");
        ClientLoad load = new ClientLoad(URI.create(lab.status().edge()), lab.token(Duration.ofMinutes(10)), 3, 3,
                Duration.ofMillis(50)).start();
        CliRun.Result back;
        Instant start;
        Instant end;
        try {
            Thread.sleep(500);
            start = Instant.now();
            back = gafail("failover", "--to", "region-a", "--yes", "--set", "holdFor=1s", "--set", "probeInterval=200ms");
            end = Instant.now();
            // Long enough for a keep-alive client's connection to be closed and a 503 near the end retried.
            Thread.sleep(Edge.CLIENT_KEEP_ALIVE.plusSeconds(1).toMillis());
        } finally {
            load.close();
        }
        assertEquals(0, back.code(), back.toString());
        LabFailoverTest.assertUnnoticed(load, start, end);
        assertEquals(List.of(), load.readBack(Duration.ofSeconds(20)).lost(), "a planned failback loses no write");
        assertEquals("region-a", lab.database().primary());
        assertFalse(lab.database().member("region-b", true).diverged());
    }

    private void lostRegionTriedAtMostOnce(Outage mode) throws Exception {
        Lab lab = LAB.lab();
        Instant before = Instant.now();
        CliRun.Result result = loseTheWriterAndFailOver(LAB, mode);
        assertEquals(6, result.code(), "fencing region-a waits for it: " + result);
        assertTrue(result.err().contains("fence-failed-region") && result.err().contains("gafail reconcile"),
                result.toString());
        assertEquals(100, lab.edge().dial("region-b"));
        // What gafail itself says, whatever the lab could see: one wait for region-a, then never again.
        int waits = result.out().split("us-east-1's AWS APIs \\(region-a\\) did not answer:", -1).length - 1;
        assertEquals(1, waits, "region-a is tried once: " + result);
        assertTrue(result.out().contains("did not answer earlier in this command"), result.toString());
        List<JsonNode> lost = requests(lab, before).stream()
                .filter(r -> r.path("endpoint").asString().equals("us-east-1")).toList();
        // Hung, the lab logs what it never answers; a black hole or a refusal it never sees.
        assertTrue(lost.size() <= 1, "region-a's APIs are tried at most once, then never again: " + lost);
        assertTrue(lost.stream().allMatch(r -> r.path("error").asString().equals("unanswered")), lost.toString());
        if (mode == Outage.HANG) {
            assertEquals(1, lost.size(), "the fencing's one read of region-a, never answered: " + lost);
        }
        assertTrue(requests(lab, before).stream().filter(r -> r.path("service").asString().equals("sts"))
                .allMatch(r -> r.path("region").asString().equals("us-west-2")), "the identity is asked of region-b");
    }

    @Test
    @Order(1)
    void aWriterLostWithApisThatAcceptAndNeverAnswerFailsOverThroughTheTargetAlone() throws Exception {
        lostRegionTriedAtMostOnce(Outage.HANG);
        healReconcileAndFailBack();
    }

    @Test
    @Order(2)
    void theSameWhenConnectionAttemptsGoUnanswered() throws Exception {
        lostRegionTriedAtMostOnce(Outage.BLACKHOLE);
        healReconcileAndFailBack();
    }

    @Test
    @Order(3)
    void theSameWhenConnectionsAreRefused() throws Exception {
        lostRegionTriedAtMostOnce(Outage.REFUSE);
        healReconcileAndFailBack();
    }
}
