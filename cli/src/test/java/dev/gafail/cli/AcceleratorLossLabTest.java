package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.net.Outage;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.TestLab;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Global Accelerator's control plane hosted in region-a's AWS region (us-east-1), and lost with it:
 * a planned failover refuses, the unplanned one completes through the accelerator's data plane with
 * its dials deferred, and reconcile completes them and the fencing once region-a is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcceleratorLossLabTest {

    @RegisterExtension
    static final TestLab LAB = new TestLab("accelerator-loss", config -> config.withAcceleratorRegion("us-east-1"));

    private static Lab lab() {
        return LAB.lab();
    }

    private CliRun.Result gafail(String... args) {
        return LAB.gafail(args);
    }

    private JsonNode status() {
        return Json.MAPPER.readTree(gafail("status", "--output", "json").out());
    }

    @Test
    @Order(1)
    void aPlannedFailoverRefusesWhileTheOtherRegionsApisDoNotAnswerAndChangesNothing() throws Exception {
        lab().fail("region-a", Outage.REFUSE);
        CliRun.Result refused = gafail("failover", "--to", "region-b", "--yes");
        assertEquals(3, refused.code(), refused.toString());
        assertTrue(refused.err().contains("us-east-1's AWS APIs (region-a) did not answer")
                && refused.err().contains("--mode unplanned"), refused.toString());
        assertEquals("region-a", lab().database().primary());
        assertEquals(100, lab().edge().dial("region-a"));
        assertEquals(1, lab().services("region-b").count());
        lab().heal("region-a");
    }

    @Test
    @Order(2)
    void losingTheAcceleratorsControlPlaneWithTheWriterDefersTheDialsAndReconcileCompletesThem() throws Exception {
        CliRun.Result result = RegionLossLabTest.loseTheWriterAndFailOver(LAB, Outage.HANG);

        assertEquals(6, result.code(), result.toString());
        assertEquals(100, lab().edge().dial("region-a"), "the dials could not change");
        assertEquals(0, lab().edge().dial("region-b"));
        JsonNode deferred = status().path("deferred");
        assertEquals(List.of("traffic-to-target", "traffic-off-failed-region", "fence-failed-region"),
                deferred.valueStream().map(d -> d.path("step").asString()).toList(), deferred.toString());
        assertTrue(deferred.get(0).path("message").asString().contains("through the accelerator's data plane"),
                deferred.toString());
        assertTrue(gafail("show", deferred.get(0).path("execution").asString()).out().contains("deferred"));

        lab().heal("region-a");
        CliRun.Result reconciled = gafail("reconcile", "--yes");
        assertEquals(0, reconciled.code(), reconciled.toString());
        assertEquals(100, lab().edge().dial("region-b"));
        assertEquals(0, lab().edge().dial("region-a"));
        assertEquals(1, lab().services("region-a").count(), "region-a fenced to its warm size");
        CliRun.Result after = gafail("status");
        assertTrue(after.out().matches("(?s).*region-a\\s+0%.*reader.*") && after.out()
                .matches("(?s).*region-b\\s+100%\\s+HEALTHY\\s+writer.*"), after.toString());
        assertEquals(0, status().path("deferred").size());
    }
}
