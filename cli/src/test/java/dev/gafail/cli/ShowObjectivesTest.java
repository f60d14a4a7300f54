package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.Journals;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code show} reads RTO and RPO from what the steps write into the journal of a real failover. */
class ShowObjectivesTest {

    @TempDir
    Path home;

    private FakeAws aws;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAws();
        aws.writeTopology(home);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private CliRun.Result gafail(String... args) {
        return CliRun.in(home).run(args);
    }

    @Test
    void aPlannedFailoverShowsRpoZeroTheLagItMeasuredAndWhenWriterAndTrafficMoved() {
        assertEquals(0, gafail("failover", "--to", "region-b", "--yes", "--set", "holdFor=0s", "--set",
                "probeInterval=10ms").code());
        String id = Journals.only(home);

        String text = gafail("show", id).out();

        assertTrue(text.contains("RPO: 0, a planned switchover loses no acknowledged write (replication lag 120 ms when"
                + " switch-writer (aurora.switchover) moved the writer region-a -> region-b)"), text);
        assertTrue(text.matches("(?s).*RTO: writer in region-b at \\+\\S+, all traffic in region-b at \\+\\S+"
                + " \\(shift-traffic took \\d+s\\)\n.*"), text);
        JsonNode objectives = Json.MAPPER.readTree(gafail("show", id, "--output", "json").out()).path("objectives");
        assertEquals(0, objectives.path("rpoMs").asLong(-1), objectives.toString());
        assertEquals(120, objectives.path("rpoLagMs").asLong(), objectives.toString());
        assertEquals("120 ms", objectives.path("rpoLag").asString());
        assertTrue(objectives.path("writerAfterMs").asLong() > 0
                && objectives.path("writerAfterMs").asLong() < objectives.path("trafficAfterMs").asLong(),
                objectives.toString());
        assertTrue(objectives.has("shiftSeconds"), objectives.toString());
    }

    @Test
    void anUnplannedFailoverShowsTheWritesAtRiskOrThatNoLagWasRecorded() {
        for (Double lag : new Double[] {250.0, null}) {
            FakeAws.RegionModel to = lag == null ? aws.a : aws.b; // the second fails back
            aws.lag(to.clusterId(), lag);
            int before = Journals.ids(home).size();
            assertEquals(0, gafail("failover", "--to", to.name(), "--mode", "unplanned",
                    "--allow-data-loss", "--yes", "--set", "probeInterval=10ms").code());
            String id = Journals.ids(home).get(before == 0 ? 0 : 1);

            String text = gafail("show", id).out();
            JsonNode objectives = Json.MAPPER.readTree(gafail("show", id, "--output", "json").out()).path("objectives");

            if (lag != null) {
                assertTrue(text.contains("RPO: up to 250 ms of writes (the replication lag when"), text);
                assertEquals(250, objectives.path("rpoMs").asLong(), objectives.toString());
            } else {
                assertTrue(text.contains("RPO: unknown, no replication lag was recorded when"), text);
                assertFalse(objectives.has("rpoMs"), objectives.toString());
            }
            assertTrue(text.contains("RTO: writer in region-"), text);
        }
    }

    @Test
    void aFailoverThatWasRolledBackClaimsNoRtoNorRpo() {
        // after the five reads before the shift (FailoverTest counts them): the first hold aborts it
        aws.alarmAfter(5, "orders-5xx", "ALARM");
        assertEquals(1, gafail("failover", "--to", "region-b", "--yes", "--set", "holdFor=5s", "--set",
                "probeInterval=10ms").code());
        assertEquals("region-a", aws.writer(), "the writer change was undone");
        String id = Journals.only(home);

        String text = gafail("show", id).out();
        JsonNode objectives = Json.MAPPER.readTree(gafail("show", id, "--output", "json").out()).path("objectives");

        assertFalse(text.contains("RTO:") || text.contains("RPO:"), text);
        assertFalse(objectives.has("writerAfterMs") || objectives.has("rpoMs"), objectives.toString());
    }
}
