package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.aws.LabResources;
import dev.gafail.servers.os.Await;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.TestLab;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.Experiment;
import software.amazon.awssdk.services.fis.model.ExperimentStatus;
import tools.jackson.databind.JsonNode;

/**
 * {@code gafail drill} on a real lab: a drain of the region that writes, under synthetic users, detected,
 * routed, failed over and back, judged against the topology's targets; a target the lab cannot meet ends
 * the drill with exit 8 before any fault; a drill killed and stopped in its failover leaves no fault
 * behind and continues inside its child runbook when resumed; a region lost with its AWS APIs is failed
 * over unplanned through the standby alone, fenced once back, and failed back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillLabTest {

    /** Experiments end on their own within a test's patience: a killed drill's fault does not outlast it. */
    @RegisterExtension
    static final TestLab LAB = new TestLab("drill", config -> config.withExperimentDuration(Duration.ofMinutes(2)));

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(300);
    private static final List<Region> REGIONS = List.of(Region.US_EAST_1, Region.US_WEST_2);
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private static Path topology;
    /**
     * The lab's topology with SLO windows of 10 s: the drills here judge sooner (.ci/run drills with the
     * lab's own 30 s windows).
     */
    private static Path quick;
    /** Each lab region's FIS: a region-loss drill runs its fault from the standby's. */
    private static List<FisClient> fis;
    /** Each lab region's CloudWatch, where the drills' user-impact alarms live. */
    private static List<CloudWatchClient> cloudWatch;

    @BeforeAll
    static void write() throws IOException {
        topology = LAB.topologyWithLease("5s");
        quick = LAB.dir().resolve("quick.gafail.yaml");
        Files.writeString(quick, Files.readString(topology).replace("window: 30s, minSamples: 50",
                "window: 10s, minSamples: 20"));
        fis = REGIONS.stream().map(region -> FisClient.builder()
                .endpointOverride(URI.create(lab().awsEndpoint(region.id()))).region(region)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()).toList();
        cloudWatch = REGIONS.stream().map(region -> CloudWatchClient.builder()
                .endpointOverride(URI.create(lab().awsEndpoint(region.id()))).region(region)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()).toList();
    }

    /**
     * A drill starts from alarms OK in both regions (its precondition). The last test's users may have left
     * 5xx in either: a drained region's users land in the standby, whose 503s for their writes fire its
     * alarm too, and they age out of the lab's 10 s alarm period.
     */
    @BeforeEach
    void alarmsOk() throws IOException, InterruptedException {
        Await.until(WAIT, POLL, "never: both regions' user-impact alarms OK, as a drill starts", () ->
                cloudWatch.stream().allMatch(client -> client.describeAlarms(b -> b.alarmNames("lab-5xx"))
                        .metricAlarms().get(0).stateValue() == StateValue.OK));
    }

    @AfterAll
    static void close() {
        fis.forEach(FisClient::close);
        cloudWatch.forEach(CloudWatchClient::close);
    }

    private static Lab lab() {
        return LAB.lab();
    }

    private static Map<String, String> environment(Path file) {
        Map<String, String> env = new HashMap<>(TestLab.laptop("oncall", file));
        env.put("GAFAIL_LOAD_TOKEN", lab().token(Duration.ofHours(1)));
        return env;
    }

    private static CliRun gafail(Path file) throws IOException {
        CliRun run = CliRun.in(LAB.laptopHome("oncall"));
        environment(file).forEach(run::env);
        return run;
    }

    private static GafailProcess started(Path file, String... args) throws IOException {
        return GafailProcess.start(LAB.laptopHome("oncall"), environment(file), args);
    }

    private static JsonNode shown(String id) throws IOException {
        return Json.MAPPER.readTree(gafail(topology).run("show", id, "--output", "json").out());
    }

    private static String latestExecution() throws IOException {
        return Json.MAPPER.readTree(gafail(topology).run("history", "--output", "json").out()).get(0).path("id")
                .asString();
    }

    /** The steps of {@code id} whose events of {@code type} its journal has, in order. */
    private static List<String> steps(String id, String type) throws IOException {
        List<String> out = new ArrayList<>();
        shown(id).path("events").forEach(e -> {
            if (e.path("type").asString().equals(type)) {
                out.add(e.path("step").asString());
            }
        });
        return out;
    }

    /** Every experiment of either region's FIS that {@code execution} started. */
    private static List<Experiment> experiments(String execution) {
        return fis.stream().flatMap(client -> client.listExperiments(b -> b.maxResults(100)).experiments().stream()
                .map(e -> client.getExperiment(b -> b.id(e.id())).experiment()))
                .filter(e -> execution.equals(e.tags().get("gafail:execution"))).toList();
    }

    private static boolean anyRunning() {
        return fis.stream().anyMatch(client -> client.listExperiments(b -> b.maxResults(100)).experiments().stream()
                .anyMatch(e -> e.state().status() == ExperimentStatus.RUNNING));
    }

    /** The latest execution, once its journal says {@code step} started; {@code drill} must still run meanwhile. */
    private static String awaitStarted(GafailProcess drill, String step) throws IOException, InterruptedException {
        String[] id = new String[1];
        Await.until(WAIT.multipliedBy(2), POLL, "never: step " + step + " started", () -> {
            if (!drill.isAlive()) {
                throw new AssertionError("the drill ended before step " + step + " started: " + drill.err());
            }
            id[0] = latestExecution();
            return steps(id[0], "step-started").contains(step);
        });
        return id[0];
    }

    /** How many rows of execution {@code id} the drill log {@code log} has. */
    private static long rows(Path log, String id) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("`gafail report " + id + "`")).count();
    }

    @Test
    @Order(1)
    void aDrainDrillPassesEveryPhaseAndShowPrintsItsFiguresTargetsAndVerdict() throws Exception {
        Path log = Files.writeString(LAB.dir().resolve("drain-OPERATIONS.md"), "# Operating\n");
        CliRun.Result drill = gafail(quick).run("drill", "--yes", "--set", "holdFor=2s", "--record", log.toString());

        assertEquals(0, drill.code(), drill.toString());
        assertTrue(drill.out().contains("verdict (verdict): pass"), drill.out());
        for (String figure : List.of("time to detect (s)", "RTO (ms)", "writes lost", "steady: p95", "recovered: region",
                "final: availability", "RPO")) {
            assertTrue(drill.out().contains(figure), figure + " in:\n" + drill.out());
        }
        String id = latestExecution();
        assertTrue(drill.err().contains("/executions/" + id + "/report.html (again: gafail report " + id + ")"),
                "the report kept beside the journal, in the team's bucket: " + drill.err());
        assertEquals(1, rows(log, id), Files.readString(log));
        JsonNode report = Json.MAPPER.readTree(gafail(topology).run("report", id, "--format", "json").out());
        JsonNode users = shown(id).path("events").valueStream().filter(e -> e.path("type").asString()
                .equals("step-succeeded") && e.path("step").asString().equals("users-end")).findFirst().orElseThrow();
        assertEquals(users.at("/data/outputs/total/requests").asInt(), report.at("/samples/users-end").size(),
                "every request of the users, raw, in the JSON report");
        List<Integer> regionA = report.at("/timeline/dials").valueStream()
                .filter(d -> d.path("region").asString().equals("region-a")).map(d -> d.path("dial").asInt()).toList();
        assertTrue(regionA.containsAll(List.of(90, 50, 0, 100)), "region-a's dial at each stage: " + regionA);
        assertTrue(gafail(topology).run("show", id).out().contains("verdict (verdict): pass"));
        JsonNode verdict = shown(id).path("verdict");
        assertTrue(verdict.path("passed").asBoolean(), verdict.toString());
        assertEquals(0, verdict.at("/figures/writes lost").asInt(-1), verdict.toString());
        assertTrue(verdict.at("/figures/acknowledged writes").asInt() > 0, verdict.toString());
        assertTrue(steps(id, "step-succeeded").containsAll(List.of("failover/switch-writer", "failover",
                "failback/switch-writer", "failback", "verdict")));
        assertEquals("region-a", lab().database().primary(), "failed back");
        assertFalse(anyRunning(), "the fault ended");
        assertEquals(List.of(ExperimentStatus.STOPPED), experiments(id).stream().map(e -> e.state().status()).toList());

        JsonNode check = Json.MAPPER.readTree(gafail(topology).run("check", "--output", "json").out());
        Map<String, JsonNode> rows = new HashMap<>();
        check.path("items").forEach(row -> rows.put(row.path("item").asString(), row));
        Instant started = Instant.parse(shown(id).path("summary").path("startedAt").asString());
        for (String item : List.of("failover-drill", "load")) {
            assertEquals("pass", rows.get(item).path("status").asString(), item + ": " + rows.get(item));
            assertEquals(started, Instant.parse(rows.get(item).path("date").asString()), "dated by the drill: " + item);
            assertTrue(rows.get(item).path("evidence").asString().contains(id), rows.get(item).toString());
        }
    }

    @Test
    @Order(2)
    void aP95TargetTheLabCannotMeetEndsTheDrillBeforeAnyFaultWithExit8NamingIt() throws Exception {
        Path tight = LAB.dir().resolve("tight.gafail.yaml");
        Files.writeString(tight, Files.readString(quick).replace("p95: 1200ms", "p95: 1ms"));

        CliRun.Result drill = gafail(tight).run("drill", "--yes", "--set", "steadyWithin=25s");

        assertEquals(8, drill.code(), drill.toString());
        assertTrue(drill.err().contains("verdict of step 'steady-state': fail: steady: failed: SLO not met within "),
                drill.err());
        assertTrue(drill.err().contains(" > target 1 ms"), drill.err());
        assertTrue(drill.out().contains("verdict (steady-state): fail"), drill.out());
        assertEquals(List.of(), experiments(latestExecution()), "a drill injects no fault into a region off its SLO");
    }

    @Test
    @Order(3)
    void anAlarmThatNeverFiresEndsTheDrillWithExit8NamingTheDetectionHavingStoppedTheFaultAndMovedNothing()
            throws Exception {
        CliRun.Result drill = gafail(quick).run("drill", "--yes", "--set", "alarm=lab-never", "--set",
                "detectWithin=5s");

        assertEquals(8, drill.code(), drill.toString());
        assertTrue(drill.err().contains("verdict of step 'detected': fail: degrade: failed: no until check held"
                + " within 5s of the experiment's start"), drill.err());
        String id = latestExecution();
        assertFalse(steps(id, "step-started").contains("failover"), "nothing moved");
        assertEquals("region-a", lab().database().primary());
        // Stopped as the step gave up: FIS reverts its faults, then says so.
        Await.until(WAIT, POLL, "never: the fault reverted", () -> experiments(id).stream()
                .allMatch(e -> e.state().status() == ExperimentStatus.STOPPED));
    }

    @Test
    @Order(4)
    void aDrillKilledThenStoppedInItsFailoverLeavesNoFaultAndContinuesInsideTheChildWhenResumed() throws Exception {
        Path log = Files.writeString(LAB.dir().resolve("killed-OPERATIONS.md"), "# Operating\n");
        String id;
        try (GafailProcess drill = started(quick, "drill", "--yes", "--set", "holdFor=3s", "--record", log.toString())) {
            id = awaitStarted(drill, "failover/shift-traffic");
            drill.kill();
        }
        assertEquals(ExperimentStatus.RUNNING, experiments(id).get(0).state().status(),
                "a killed drill cannot stop its fault: the fault's own duration, or the resume, ends it");

        Instant lease = Instant.now().plusSeconds(6);
        while (Instant.now().isBefore(lease)) {
            Thread.sleep(200);
        }
        try (GafailProcess resumed = started(quick, "resume", id, "--yes")) {
            Await.until(WAIT, POLL, "never: the resumed drill moves the traffic again", () ->
                    steps(id, "step-started").stream().filter("failover/shift-traffic"::equals).count() == 2);
            new ProcessBuilder("kill", "-INT", Long.toString(resumed.pid())).start().waitFor();
            assertEquals(4, resumed.exitCode(), resumed.err());
            assertTrue(resumed.out().contains("as the execution ended"), resumed.out());
        }
        Await.until(WAIT, POLL, "never: the fault stopped with the drill", () -> !anyRunning());

        CliRun.Result finished = gafail(quick).run("resume", id, "--yes");

        assertTrue(finished.code() == 0 || finished.code() == 8, finished.toString());
        assertEquals(1, rows(log, id), "the resume that ended it, once: " + Files.readString(log));
        List<String> started = steps(id, "step-started");
        assertEquals(1, started.stream().filter("failover/switch-writer"::equals).count(),
                "the writer moved once, before the kill (a degraded region gives up the writer first): " + started);
        assertEquals(1, started.stream().filter("degrade"::equals).count(), "one fault: " + started);
        assertTrue(steps(id, "step-succeeded").contains("verdict"), started.toString());
        assertFalse(anyRunning());
        assertEquals("region-a", lab().database().primary());
    }

    @Test
    @Order(5)
    void aRegionLostWithItsApisIsFailedOverUnplannedThroughTheStandbyFencedOnceBackAndFailedBack() throws Exception {
        CliRun.Result refused = gafail(quick).run("drill", "--scenario", "region-loss", "--yes");
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().contains("add --allow-data-loss"), refused.err());

        CliRun.Result drill = gafail(quick).run("drill", "--scenario", "region-loss", "--allow-data-loss", "--yes",
                "--set", "holdFor=2s");

        assertEquals(0, drill.code(), drill.toString());
        assertTrue(drill.out().contains("verdict (verdict): pass"), drill.out());
        String id = latestExecution();
        assertEquals(List.of("failover-unplanned/fence-failed-region", "failover-unplanned"),
                steps(id, "step-deferred"), "the lost region's fence waited for it");
        assertTrue(steps(id, "step-succeeded").containsAll(List.of("failover-unplanned/promote",
                "failover-unplanned/fence-failed-region", "failover-unplanned", "lost-region-fenced",
                "failback/switch-writer", "verdict")), steps(id, "step-succeeded").toString());
        List<Experiment> faults = experiments(id);
        assertEquals(1, faults.size(), faults.toString());
        assertTrue(faults.get(0).experimentTemplateId().equals(LabResources.experimentTemplateId("region-b", "peer-loss")),
                "the loss of region-a came from region-b's FIS: " + faults.get(0));
        assertEquals(ExperimentStatus.STOPPED, faults.get(0).state().status());
        assertEquals("region-a", lab().database().primary(), "failed back");
        assertFalse(lab().database().member("region-a", true).diverged(), "region-a rejoined as a replica first");
    }
}
