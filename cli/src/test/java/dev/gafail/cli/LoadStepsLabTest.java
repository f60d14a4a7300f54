package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.load.ClientLoad;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.TestLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * load.start, load.check and load.stop on a real lab: synthetic users through the lab's edge, the SLO
 * of the lab's topology checked on them, a target the lab cannot meet and a region that does not serve
 * alone named in the failure, a load started again when a killed execution is resumed, and no load
 * left once an execution ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadStepsLabTest {

    @RegisterExtension
    static final TestLab LAB = new TestLab("load-steps", config -> config);

    /** The lab's topology with a short lease, outside the lab's folder: the users' token comes from the environment. */
    private static Path topology;
    private static String token;

    @BeforeAll
    static void write() throws IOException {
        topology = LAB.topologyWithLease("5s");
        token = lab().token(Duration.ofHours(1));
    }

    /** The on-call laptop's environment, with the synthetic users' token. */
    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(TestLab.laptop("oncall", topology));
        env.put("GAFAIL_LOAD_TOKEN", token);
        return env;
    }

    private static Lab lab() {
        return LAB.lab();
    }

    /** The traffic dials as a test found them, restored whatever it did. */
    private List<Integer> dials;

    @BeforeEach
    void readDials() {
        dials = lab().status().regions().stream().map(Lab.RegionStatus::dial).toList();
    }

    @AfterEach
    void restoreDials() {
        lab().dial("region-a", dials.get(0));
        lab().dial("region-b", dials.get(1));
    }

    private static Path runbook(String name, String steps) throws IOException {
        Path file = LAB.dir().resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: %s}
                steps:
                %s""".formatted(name, steps.indent(2)));
        return file;
    }

    private static CliRun gafail() throws IOException {
        CliRun run = CliRun.in(LAB.laptopHome("oncall"));
        environment().forEach(run::env);
        return run;
    }

    /** The outputs of {@code step} as {@code gafail show ID --output json} gives them (its succeeded event). */
    private static JsonNode outputs(String id, String step) throws IOException {
        JsonNode shown = Json.MAPPER.readTree(gafail().run("show", id, "--output", "json").out());
        for (JsonNode event : shown.path("events")) {
            if (step.equals(event.path("step").asString()) && "step-succeeded".equals(event.path("type").asString())) {
                return event.path("data").path("outputs");
            }
        }
        throw new AssertionError("step " + step + " did not succeed: " + shown);
    }

    private static String latestExecution() throws IOException {
        return Json.MAPPER.readTree(gafail().run("history", "--output", "json").out()).get(0).path("id").asString();
    }

    /** Every request the edge has handed to a region so far. */
    private static long edgeRequests() {
        return lab().status().regions().stream().mapToLong(Lab.RegionStatus::requests).sum();
    }

    /** No thread of a synthetic load is left in this JVM, and the edge receives no more requests. */
    private static void assertNoLoadLeft() throws InterruptedException {
        List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(ClientLoad.OPEN_LOOP_THREADS)).toList();
        assertEquals(List.of(), left, "client threads left");
        long before = edgeRequests();
        Thread.sleep(2000); // 50 requests at the load's rate
        assertEquals(before, edgeRequests(), "requests reached the edge after the execution ended");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within 60s: " + what);
            }
            Thread.sleep(200);
        }
    }

    @Test
    @Order(1)
    void onTheHealthyLabTheSloHoldsInRegionAAndTheFiguresAreOutputs() throws Exception {
        Path file = runbook("steady", """
                - {id: load, action: load.start, with: {rate: 25}}
                - id: steady
                  action: load.check
                  with: {slo: "${{ topology.slo['region-a'] }}", region: region-a}
                  timeout: 2m
                - {id: stop, action: load.stop}
                """);

        CliRun.Result run = gafail().run("run", file.toString(), "--yes");

        assertEquals(0, run.code(), run.toString());
        String id = latestExecution();
        JsonNode steady = outputs(id, "steady");
        assertTrue(steady.path("samples").asInt() >= 50, steady.toString());
        List<String> held = new ArrayList<>();
        steady.path("targets").forEach(t -> {
            if (t.path("held").asBoolean()) {
                held.add(t.path("name").asString());
            }
        });
        assertEquals(List.of("availability", "errorRate", "p95", "p99", "region"), held, steady.toString());
        assertEquals(steady.path("samples").asLong(), steady.path("regions").path("region-a").asLong(), steady.toString());
        assertTrue(steady.path("p95").asDouble() > 0 && steady.path("p95").asDouble() <= 1200, steady.toString());
        assertFalse(steady.path("metAt").asString().isEmpty());

        JsonNode stop = outputs(id, "stop");
        assertTrue(stop.path("writes").asInt() > 0, "writes were acknowledged: " + stop);
        assertEquals(0, stop.path("lost").asInt(), "every acknowledged write read back: " + stop);
        assertEquals(0, stop.path("unreadable").asInt(), stop.toString());
        assertTrue(stop.path("total").path("requests").asInt() >= steady.path("samples").asInt(), stop.toString());
        JsonNode during = null;
        for (JsonNode step : stop.path("steps")) {
            during = "steady".equals(step.path("step").asString()) ? step.path("load") : during;
        }
        assertTrue(during != null && during.path("requests").asInt() > 0, "the figures of step steady: " + stop);
        assertEquals(during.path("requests").asLong(), during.path("regions").path("region-a").asLong(), stop.toString());
        assertFalse(run.out().contains(token) || run.err().contains(token), "no token in the output");
        assertFalse(gafail().run("show", id, "--output", "json").out().contains(token), "no token in the journal");
        assertNoLoadLeft();
    }

    @Test
    @Order(2)
    void aP95TargetBelowWhatTheLabCanDoFailsNamingTheMeasuredValueAndTheTarget() throws Exception {
        Path file = runbook("too-fast", """
                - {id: load, action: load.start}
                - id: steady
                  action: load.check
                  with: {slo: {p95: 1ms, errorRate: 50, window: 5s, minSamples: 20}, within: 8s}
                """);

        CliRun.Result run = gafail().run("run", file.toString(), "--yes");

        assertEquals(1, run.code(), run.toString());
        assertTrue(run.err().matches("(?s).*SLO not met within \\d+s: p95 [0-9.]+ ms > target 1 ms over 5s \\(\\d+"
                + " samples\\).*"), run.err());
        assertNoLoadLeft();
    }

    @Test
    @Order(3)
    void aRegionThatDoesNotServeAloneFailsTheCheckWhileTrafficIsSplit() throws Exception {
        // Half the new connections go to region-a; what it declines flows to region-b.
        lab().dial("region-a", 50);
        lab().dial("region-b", 100);
        Path file = runbook("split", """
                - {id: load, action: load.start}
                - id: steady
                  action: load.check
                  with: {region: region-a, slo: {window: 5s, minSamples: 20}, within: 8s}
                """);

        CliRun.Result run = gafail().run("run", file.toString(), "--yes");

        assertEquals(1, run.code(), run.toString());
        assertTrue(run.err().matches("(?s).*region: \\d+ of \\d+ answers from region-b, not region-a over 5s.*"),
                run.err());
    }

    @Test
    @Order(4)
    void aResumeAfterAKillStartsTheLoadAgainAndItsEndStopsIt() throws Exception {
        Path file = runbook("killed", """
                - {id: load, action: load.start}
                - {id: hold, action: control.wait, with: {duration: 10s}}
                - id: steady
                  action: load.check
                  with: {slo: "${{ topology.slo['region-a'] }}", region: region-a}
                  timeout: 2m
                - {id: stop, action: load.stop}
                """);
        String id;
        try (GafailProcess run = GafailProcess.start(LAB.laptopHome("oncall"), environment(),
                "run", file.toString(), "--yes")) {
            awaitTrue(() -> run.out().contains("load 'load' started"), "the load runs");
            long before = edgeRequests();
            awaitTrue(() -> edgeRequests() > before + 20, "the killed process's users reach the edge");
            run.kill();
        }
        id = latestExecution();
        long afterKill = edgeRequests();
        Thread.sleep(1000);
        assertTrue(edgeRequests() - afterKill < 5, "the load died with its process");

        CliRun.Result resumed = gafail().resumedOnceTheLeaseEnds(id);

        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains("load 'load' started again in this process"), resumed.out());
        JsonNode stop = outputs(id, "stop");
        assertTrue(stop.path("total").path("requests").asInt() >= 50, "the resumed load's requests: " + stop);
        assertTrue(stop.path("writes").asInt() > 0, stop.toString());
        assertEquals(0, stop.path("lost").asInt(), stop.toString());
        assertNoLoadLeft();
    }

    /** Against the lab's own topology, in its folder, the lab signs the users' token. */
    @Test
    @Order(5)
    void aDryRunPlansTheLoadAndStartsNothing() throws Exception {
        Path file = runbook("planned", """
                - {id: load, action: load.start, with: {rate: 10}}
                - {id: stop, action: load.stop}
                """);
        long before = edgeRequests();

        CliRun.Result plan = LAB.gafail("run", file.toString(), "--dry-run");

        assertEquals(0, plan.code(), plan.toString());
        assertTrue(plan.out().contains("would start 10 users/s against " + lab().status().edge()), plan.out());
        assertEquals(before, edgeRequests(), "a dry run sends no request");
    }
}
