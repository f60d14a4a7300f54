package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.aws.SnsMessage;
import dev.gafail.lab.edge.Edge;
import dev.gafail.lab.load.ClientLoad;
import dev.gafail.lab.load.LoadReport;
import dev.gafail.lab.load.Sample;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.TestLab;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * gafail's own failover, through the real SDK clients, against a lab: the lab's control plane
 * answers the AWS APIs from the lab's real state, which is checked around gafail, not through it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabFailoverTest {

    @RegisterExtension
    static final TestLab LAB = new TestLab("lab-failover", config -> config);

    private static Lab lab() {
        return LAB.lab();
    }

    private CliRun.Result gafail(String... args) {
        return LAB.gafail(args);
    }

    /**
     * A planned failover under client load, per-request and keep-alive clients: every write the API
     * acknowledged is still there after, and no user noticed it: a request failed only as a 503 with
     * Retry-After that its client then retried to a success.
     */
    private void failoverUnderLoad(String to) throws InterruptedException {
        List<ClientLoad.Write> written = failoverUnderLoad(LAB, to);
        // The lab writes through its writer endpoint: the traffic moves first, and the target takes its users'
        // writes while the old region still holds the writer.
        JsonNode events = events(LAB, latestExecution(LAB));
        assertEquals(List.of("scale-target", "shift-traffic-first", "switch-writer", "target-writes",
                "target-alarms-ok", "through-accelerator", "fence-old-region", "record"), mainSteps(events,
                "step-succeeded"));
        Instant switchStarted = at(events, "step-started", "switch-writer");
        assertTrue(written.stream().anyMatch(w -> w.region().equals(to) && w.at().isBefore(switchStarted)),
                "the target took writes before it held the writer: " + written);
    }

    /**
     * The planned failover to {@code to} under load on {@code testLab}, in whichever order its topology
     * asks: no acknowledged write lost, no user noticed it, both kinds of client followed the dials. Returns
     * the writes the API acknowledged.
     */
    static List<ClientLoad.Write> failoverUnderLoad(TestLab testLab, String to) throws InterruptedException {
        Lab lab = testLab.lab();
        awaitAlarmsOk(testLab::gafail, to);
        ClientLoad load = new ClientLoad(URI.create(lab.status().edge()), lab.token(Duration.ofMinutes(10)), 3, 3,
                Duration.ofMillis(50)).start();
        CliRun.Result result;
        Instant start;
        Instant end;
        try {
            Thread.sleep(1000);
            start = Instant.now();
            result = testLab.gafail("failover", "--to", to, "--yes", "--set", "holdFor=1s", "--set", "probeInterval=200ms");
            end = Instant.now();
            // Long enough for a keep-alive client's connection to be closed and a 503 near the end retried.
            Thread.sleep(Edge.CLIENT_KEEP_ALIVE.plusSeconds(1).toMillis());
        } finally {
            load.close();
        }
        assertEquals(0, result.code(), result.toString());
        assertUnnoticed(load, start, end);
        LoadReport report = LoadReport.of(load.samples(), start, end, to);
        for (Sample.Kind kind : Sample.Kind.values()) {
            LoadReport.Periods periods = report.kinds().get(kind);
            assertTrue(periods.before().regions().keySet().stream().noneMatch(to::equals), kind + ": " + periods);
            assertTrue(periods.after().regions().containsKey(to), kind + " clients followed the dials: " + periods);
        }
        ClientLoad.ReadBack readBack = load.readBack(Duration.ofSeconds(20));
        assertEquals(List.of(), readBack.lost(), "a planned failover loses no acknowledged write");
        assertEquals(List.of(), readBack.unreadable());
        List<ClientLoad.Write> written = load.acknowledged();
        assertTrue(written.stream().anyMatch(w -> !w.region().equals(to)), "writes before the switch: " + written);
        assertTrue(written.stream().anyMatch(w -> w.region().equals(to)), "writes after the switch: " + written);
        return written;
    }

    static String latestExecution(TestLab testLab) {
        return Json.MAPPER.readTree(testLab.gafail("history", "--output", "json").out()).get(0).path("id").asString();
    }

    static JsonNode events(TestLab testLab, String id) {
        return Json.MAPPER.readTree(testLab.gafail("show", id, "--output", "json").out()).path("events");
    }

    /** The runbook's main steps (not preconditions or checks) with an event of {@code type}, in order. */
    static List<String> mainSteps(JsonNode events, String type) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> {
            if (e.path("type").asString().equals(type) && e.path("phase").asString().equals("step")) {
                out.add(e.path("step").asString());
            }
        });
        return out;
    }

    static Instant at(JsonNode events, String type, String step) {
        for (JsonNode e : events) {
            if (e.path("type").asString().equals(type) && e.path("step").asString().equals(step)) {
                return Instant.parse(e.path("time").asString());
            }
        }
        throw new AssertionError("no " + type + " of " + step + " in " + events);
    }

    /**
     * No user noticed the planned failover that ran from {@code start} to {@code end}: a request failed only
     * as a 503 with Retry-After that its client then retried to a success.
     */
    static void assertUnnoticed(ClientLoad load, Instant start, Instant end) {
        assertEquals(List.of(), LoadReport.unrecovered(load.samples(), start, end), "failed during a planned"
                + " failover, and not as a 503 with Retry-After retried to a success");
    }

    /**
     * Waits for the target's lab-5xx alarm to clear, as an operator would: a failover under write load
     * makes the old region answer 503 until the dials have moved, and that alarm gates a failback.
     */
    static void awaitAlarmsOk(Function<String[], CliRun.Result> gafail, String region) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode alarms = null;
        while (System.nanoTime() < until) {
            alarms = Json.MAPPER.readTree(gafail.apply(new String[] {"status", "--output", "json"}).out()).at("/regions/" + region
                    + "/alarms");
            if (alarmStates(alarms).values().stream().allMatch("OK"::equals) && !alarmStates(alarms).isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(region + "'s alarms did not clear: " + alarms);
    }

    /** A status cell's alarms by name, with their states (empty when the cell could not be read). */
    static Map<String, String> alarmStates(JsonNode cell) {
        Map<String, String> states = new LinkedHashMap<>();
        cell.path("alarms").forEach(a -> states.put(a.path("name").asString(), a.path("state").asString()));
        return states;
    }

    private static int processes(String region) {
        return lab().services(region).count();
    }

    @Test
    @Order(1)
    void aDryRunChangesNothing() {
        CliRun.Result plan = gafail("failover", "--to", "region-b", "--dry-run");
        assertEquals(0, plan.code(), plan.toString());
        assertEquals("region-a", lab().database().primary());
        assertEquals(100, lab().edge().dial("region-a"));
        assertEquals(0, lab().edge().dial("region-b"));
        assertEquals(1, processes("region-b"));
    }

    @Test
    @Order(2)
    void aPlannedFailoverUnderLoadMovesWriterTrafficAndCapacityLosingNoWrite() throws Exception {
        failoverUnderLoad("region-b");
        assertEquals("region-b", lab().database().primary());
        assertEquals(100, lab().edge().dial("region-b"));
        assertEquals(0, lab().edge().dial("region-a"));
        assertEquals(2, processes("region-b"));
        assertEquals(1, processes("region-a"));
        CliRun.Result status = gafail("status");
        assertTrue(status.out().matches("(?s).*region-b\\s+100%\\s+HEALTHY\\s+writer.*"), status.toString());
        // The on-call channel heard it begin and end, through the SNS of the region it moved to.
        String id = latestExecution(LAB);
        List<String> told = new ArrayList<>();
        for (SnsMessage m : SnsMessage.read(lab().snsMessages())) {
            if (id.equals(m.attributes().get("execution").value())) {
                told.add(m.attributes().get("event").value() + "@" + m.region());
                assertTrue(m.message().contains("failover") && m.message().contains(id), m.message());
            }
        }
        assertEquals(List.of("started@us-west-2", "succeeded@us-west-2"), told);
    }

    @Test
    @Order(3)
    void andBack() throws Exception {
        failoverUnderLoad("region-a");
        assertEquals("region-a", lab().database().primary());
        assertEquals(100, lab().edge().dial("region-a"));
        assertFalse(lab().database().member("region-b", true).diverged());
        CliRun.Result status = gafail("status");
        assertTrue(status.out().matches("(?s).*region-a\\s+100%\\s+HEALTHY\\s+writer.*"), status.toString());
    }

    @Test
    @Order(4)
    void fiveHundredsRaiseTheLabAlarmWhereTheyHappen() throws Exception {
        // No process in region-b: its load balancer answers 503 (a lost region's would not answer at all).
        int running = processes("region-b");
        lab().scale("region-b", 0);
        URI health = URI.create(lab().status().regions().get(1).loadBalancer() + "/healthz");
        for (int i = 0; i < 6; i++) {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(503, r.statusCode());
        }
        JsonNode status = Json.MAPPER.readTree(gafail("status", "--output", "json").out()).path("regions");
        assertEquals("ALARM", alarmStates(status.path("region-b").path("alarms")).get("lab-5xx"), status.toString());
        assertTrue(alarmStates(status.path("region-a").path("alarms")).values().stream().allMatch("OK"::equals),
                status.toString());
        CliRun.Result gated = gafail("failover", "--to", "region-b", "--dry-run");
        assertEquals(3, gated.code(), gated.toString());
        assertTrue(gated.out().contains("region-b/lab-5xx is ALARM"), "the alarm gates a failover to it: " + gated);
        lab().scale("region-b", running);
    }

    @Test
    @Order(5)
    void anUnplannedFailoverAfterTheWritersRegionIsLostReportsWhatItLost() throws Exception {
        // Replication stalls, then three notes are written and acknowledged, then the region is lost.
        lab().database().member("region-a", true).replication().pause();
        URI edge = URI.create(lab().status().edge());
        String token = lab().token(Duration.ofMinutes(10));
        List<String> unreplicated = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            edge.resolve("/api/v1/notes")).header("Authorization", "Bearer " + token)
                    .header("Idempotency-Key", "lost-" + i).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"t" + i + "\", \"body\": \"b\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            unreplicated.add(Json.MAPPER.readTree(created.body()).path("id").asString());
        }
        lab().fail("region-a");
        CliRun.Result refused = gafail("failover", "--to", "region-b", "--mode", "unplanned", "--yes");
        assertEquals(2, refused.code(), refused.toString());
        assertEquals("region-a", lab().database().primary());

        CliRun.Result result = gafail("failover", "--to", "region-b", "--mode", "unplanned", "--allow-data-loss",
                "--yes", "--set", "probeInterval=200ms");

        assertEquals(6, result.code(), "fencing the lost region waits for it: " + result);
        assertTrue(result.out().contains("Global failover to DB cluster lab-region-b in Region us-west-2 completed"),
                result.toString());
        for (String id : unreplicated) {
            assertTrue(result.out().matches("(?s).*Lost transaction \\d+ committed at \\S+ on lab-region-a: [^\\n]*insert"
                    + " \\S*notes " + id + ".*"), "the report names note " + id + ": " + result.out());
        }
        assertEquals("region-b", lab().database().primary());
        assertEquals(100, lab().edge().dial("region-b"));
        assertEquals(0, lab().edge().dial("region-a"));
        assertEquals(2, processes("region-b"));
        CliRun.Result status = gafail("status");
        assertTrue(status.out().matches("(?s).*region-b\\s+100%\\s+HEALTHY\\s+writer.*"), status.toString());
        assertTrue(lab().database().member("region-a", true).diverged(), "the lost region must be rebuilt to serve");
        lab().heal("region-a");
        assertFalse(lab().database().member("region-a", true).diverged());
    }

    @Test
    @Order(6)
    void everyCallOfGafailWentToItsOwnRegionsApisAndGlobalAcceleratorsToUsWest2() throws Exception {
        List<JsonNode> requests = new ArrayList<>();
        for (String line : Files.readAllLines(lab().requestLog())) {
            requests.add(Json.MAPPER.readTree(line));
        }
        assertTrue(requests.size() > 50, "the failovers above called the lab: " + requests.size());
        for (JsonNode request : requests) {
            assertEquals(request.path("region").asString(), request.path("endpoint").asString(),
                    "gafail's calls reach each region's own port: " + request);
            assertTrue(request.path("status").asInt() < 400, request.toString());
        }
        assertTrue(requests.stream().filter(r -> r.path("service").asString().equals("globalaccelerator"))
                .allMatch(r -> r.path("region").asString().equals("us-west-2")), "GA's control plane is us-west-2's");
        assertEquals(List.of("us-east-1", "us-west-2"), requests.stream().map(r -> r.path("region").asString())
                .distinct().sorted().toList());
    }
}
