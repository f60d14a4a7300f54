package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.lab.load.ClientLoad;
import dev.gafail.testing.TestLab;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The planned failover on a lab without the writer endpoint ({@code lab up --no-writer-endpoint}; its topology
 * says {@code writerEndpoint: false}): only the writer's region writes, so the writer moves first and the
 * traffic follows it; the old region answers writes 503 with Retry-After until the dials have moved its users,
 * who retry them to a success, and no acknowledged write is lost.
 */
class LabWriterFirstFailoverTest {

    @RegisterExtension
    static final TestLab LAB = new TestLab("lab-writer-first", config -> config.withWriterEndpoint(false));

    @Test
    void theWriterMovesBeforeTheTrafficAndNoUserNoticesTheOldRegionsRefusals() throws Exception {
        List<ClientLoad.Write> written = LabFailoverTest.failoverUnderLoad(LAB, "region-b");

        JsonNode events = LabFailoverTest.events(LAB, LabFailoverTest.latestExecution(LAB));
        assertEquals(List.of("scale-target", "switch-writer", "target-writes", "target-alarms-ok", "shift-traffic",
                "through-accelerator", "fence-old-region", "record"), LabFailoverTest.mainSteps(events,
                "step-succeeded"));
        Instant switchStarted = LabFailoverTest.at(events, "step-started", "switch-writer");
        assertTrue(written.stream().noneMatch(w -> w.region().equals("region-b") && w.at().isBefore(switchStarted)),
                "no write in the target before it held the writer: " + written);
    }
}
