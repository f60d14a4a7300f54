package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.load.ClientLoad;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.TestLab;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The planned failover on a lab whose two regions write through its writer endpoint (its topology says
 * {@code writerEndpoint: true}): the traffic moves first, while the old region still holds the writer, and
 * the writer after it; the target takes its users' writes meanwhile, and no acknowledged write is lost.
 */
class LabTrafficFirstFailoverTest {

    @RegisterExtension
    static final TestLab LAB = new TestLab("lab-traffic-first", config -> config.withWriterEndpoint(true));

    private static Lab lab() {
        return LAB.lab();
    }

    @Test
    void theTrafficMovesBeforeTheWriterAndTheTargetWritesThroughTheEndpointMeanwhile() throws Exception {
        LabFailoverTest.awaitAlarmsOk(LAB::gafail, "region-b");
        ClientLoad load = new ClientLoad(URI.create(lab().status().edge()), lab().token(Duration.ofMinutes(10)), 3,
                Duration.ofMillis(50)).start();
        CliRun.Result result;
        try {
            Thread.sleep(1000);
            result = LAB.gafail("failover", "--to", "region-b", "--yes", "--set", "holdFor=1s",
                    "--set", "probeInterval=200ms");
            Thread.sleep(1000);
        } finally {
            load.close();
        }
        assertEquals(0, result.code(), result.toString());
        assertEquals("region-b", lab().database().primary());
        assertEquals(100, lab().edge().dial("region-b"));
        assertEquals(0, lab().edge().dial("region-a"));

        JsonNode events = Json.MAPPER.readTree(LAB.gafail("show", executionId(), "--output", "json").out())
                .path("events");
        assertEquals(List.of("scale-target", "shift-traffic-first", "switch-writer", "target-writes",
                "through-accelerator", "fence-old-region", "record"), mainSteps(events, "step-succeeded"));
        Instant switchStarted = Instant.parse(at(events, "step-started", "switch-writer"));

        ClientLoad.ReadBack readBack = load.readBack(Duration.ofSeconds(20));
        assertEquals(List.of(), readBack.lost(), "a planned failover loses no acknowledged write");
        assertEquals(List.of(), readBack.unreadable());
        List<ClientLoad.Write> written = load.acknowledged();
        assertTrue(written.stream().anyMatch(w -> w.region().equals("region-b") && w.at().isBefore(switchStarted)),
                "the target took writes before it held the writer: " + written);
    }

    private static String executionId() {
        return Json.MAPPER.readTree(LAB.gafail("history", "--output", "json").out()).get(0).path("id").asString();
    }

    /** The runbook's main steps (not preconditions or checks) with an event of {@code type}, in order. */
    private static List<String> mainSteps(JsonNode events, String type) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> {
            if (e.path("type").asString().equals(type) && e.path("phase").asString().equals("step")) {
                out.add(e.path("step").asString());
            }
        });
        return out;
    }

    private static String at(JsonNode events, String type, String step) {
        for (JsonNode e : events) {
            if (e.path("type").asString().equals(type) && e.path("step").asString().equals(step)) {
                return e.path("time").asString();
            }
        }
        throw new AssertionError("no " + type + " of " + step + " in " + events);
    }
}
