package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.aws.SnsMessage;
import dev.gafail.lab.load.ClientLoad;
import dev.gafail.servers.os.Await;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.TestLab;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.Experiment;
import software.amazon.awssdk.services.fis.model.ExperimentStatus;
import tools.jackson.databind.JsonNode;

/**
 * The fis.experiment step on a real lab, through the lab's FIS: a drain of region-a that ends when
 * region-a's 5xx alarm fires, then stops and lets the region recover; and a run interrupted while its
 * experiment runs (killed, or stopped with Ctrl-C), which never leaves an experiment running and never
 * runs two at once; and a drain kept running past its condition, which ECS sees as tasks running below
 * the desired count, then ended by a fis.stop step.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FisExperimentLabTest {

    /** Long enough that no experiment here ends on its own within a test: each ends on its condition, or is stopped. */
    @RegisterExtension
    static final TestLab LAB = new TestLab("fis-step", config -> config.withExperimentDuration(Duration.ofMinutes(2)));

    /** How long a test waits for the lab or a run to get where it should, reading every {@link #POLL}. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private static Path topology;
    private static Path runbook;
    private static FisClient fis;
    private static CloudWatchClient cloudWatch;
    /** The first test's execution, whose notifications the last reads. */
    private static String drained;
    private ClientLoad load;

    @BeforeAll
    static void write() throws IOException {
        // A killed holder's lock goes stale within a test, so that a resume may take it over.
        topology = LAB.topologyWithLease("5s");
        runbook = LAB.dir().resolve("drain.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: drain-region-a}
                steps:
                  - id: drain
                    action: fis.experiment
                    with:
                      region: region-a
                      template: "${{ topology.regions['region-a'].experiments.drain }}"
                      until:
                        - action: cloudwatch.alarms
                          with: {names: [lab-5xx], state: ALARM, regions: [region-a]}
                    timeout: 3m
                """);
        URI regionA = URI.create(lab().awsEndpoint("us-east-1"));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test",
                "test"));
        fis = FisClient.builder().endpointOverride(regionA).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        cloudWatch = CloudWatchClient.builder().endpointOverride(regionA).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void close() {
        fis.close();
        cloudWatch.close();
    }

    private static Lab lab() {
        return LAB.lab();
    }

    @BeforeEach
    void regionAServes() throws IOException, InterruptedException {
        Await.until(WAIT, POLL, "never: region-a's two processes serve",
                () -> lab().processes("region-a") == 2 && lab().status().regions().get(0).healthyEndpoints() == 2);
        Await.until(WAIT, POLL, "never: region-a's alarm is OK", () -> alarm().equals("OK"));
    }

    /** Whatever a test left behind does not reach the next: its load, an experiment a failed test left running. */
    @AfterEach
    void cleanUp() throws InterruptedException {
        if (load != null) {
            load.close();
            load = null;
        }
        experiments().stream().filter(e -> e.state().status() == ExperimentStatus.RUNNING)
                .forEach(e -> fis.stopExperiment(b -> b.id(e.id())));
    }

    /** Client load through the edge: reads and writes, which region-a's 5xx alarm counts once it is drained. */
    private void startLoad() {
        load = new ClientLoad(URI.create(lab().status().edge()), lab().token(Duration.ofMinutes(10)), 4, 0,
                Duration.ofMillis(50)).start();
    }

    private static CliRun gafail() throws IOException {
        CliRun run = CliRun.in(LAB.laptopHome("oncall"));
        TestLab.laptop("oncall", topology).forEach(run::env);
        return run;
    }

    private static GafailProcess started(String... args) throws IOException {
        return GafailProcess.start(LAB.laptopHome("oncall"), TestLab.laptop("oncall", topology), args);
    }

    /** Region-a's lab-5xx alarm's state, as its CloudWatch says. */
    private static String alarm() {
        return cloudWatch.describeAlarms(b -> b.alarmNames("lab-5xx")).metricAlarms().get(0).stateValueAsString();
    }

    /** Every experiment of region-a's FIS, as FIS reports it. */
    private static List<Experiment> experiments() {
        return fis.listExperiments(b -> b.maxResults(100)).experiments().stream()
                .map(e -> fis.getExperiment(b -> b.id(e.id())).experiment()).toList();
    }

    /** The experiments of one execution (by the tag the step gives them), oldest first. */
    private static List<Experiment> experiments(String execution) {
        return experiments().stream().filter(e -> execution.equals(e.tags().get("gafail:execution")))
                .sorted(Comparator.comparing(Experiment::creationTime)).toList();
    }

    private static boolean running() {
        return experiments().stream().anyMatch(e -> e.state().status() == ExperimentStatus.RUNNING);
    }

    private static ExperimentStatus status(Experiment e) {
        return e.state().status();
    }

    private static String latestExecution() {
        JsonNode history = Json.MAPPER.readTree(LAB.gafail("history", "--output", "json").out());
        return history.get(0).path("id").asString();
    }

    @Test
    @Order(1)
    void aDrainEndsWhenTheAlarmFiresThenTheExperimentIsStoppedAndTheRegionRecovers() throws Exception {
        startLoad();
        try (GafailProcess run = started("run", runbook.toString(), "--yes", "--reason", "drill")) {
            // The experiment may read RUNNING for less than a poll of this test: under this load the alarm fires
            // within a second of the drain, and the step, polling the lab every 200 ms, stops it then, before the
            // health checks see the tasks gone (ECS's view of a longer drain: the last test). The processes take
            // seconds to come back, and the experiment's record stays.
            Await.until(WAIT, POLL, "never: region-a is drained", () -> lab().processes("region-a") == 0);

            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("until cloudwatch.alarms: "), run.out());
        }
        String id = latestExecution();
        drained = id;
        List<Experiment> ran = experiments(id);
        assertEquals(1, ran.size(), ran.toString());
        assertEquals(ExperimentStatus.STOPPED, status(ran.get(0)), "the step stopped it once the alarm fired");
        Await.until(WAIT, POLL, "never: region-a's processes are back", () -> lab().processes("region-a") == 2);
        JsonNode shown = Json.MAPPER.readTree(gafail().run("show", id, "--output", "json").out());
        assertTrue(shown.toString().contains("\"endedBy\":\"condition\""), shown.toString());
    }

    @Test
    @Order(2)
    void killedWhileItsExperimentRunsThenResumedWatchesTheSameExperiment() throws Exception {
        String id;
        try (GafailProcess run = started("run", runbook.toString(), "--yes")) {
            Await.until(WAIT, POLL, "never: the experiment runs", FisExperimentLabTest::running);
            run.kill();
        }
        id = latestExecution();
        assertEquals(1, experiments(id).size());
        assertEquals(ExperimentStatus.RUNNING, status(experiments(id).get(0)), "a killed process cannot stop it");

        startLoad();
        CliRun.Result resumed = gafail().resumedOnceTheLeaseEnds(id);

        assertEquals(0, resumed.code(), resumed.toString());
        List<Experiment> ran = experiments(id);
        assertEquals(1, ran.size(), "the resume found the first experiment and started none: " + ran);
        assertEquals(ExperimentStatus.STOPPED, status(ran.get(0)));
        assertFalse(running());
    }

    @Test
    @Order(3)
    void ctrlCStopsTheExperimentAndAResumeStartsTheFaultAnewNeverTwoAtOnce() throws Exception {
        try (GafailProcess run = started("run", runbook.toString(), "--yes")) {
            Await.until(WAIT, POLL, "never: the experiment runs", FisExperimentLabTest::running);
            new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();

            assertEquals(4, run.exitCode(), run.err());
            assertTrue(run.out().contains("as the step gave up"), run.out() + run.err());
        }
        String id = latestExecution();
        List<Experiment> first = experiments(id);
        assertEquals(1, first.size());
        assertTrue(first.get(0).state().status() == ExperimentStatus.STOPPED
                || first.get(0).state().status() == ExperimentStatus.STOPPING, first.toString());
        assertEquals("true", first.get(0).tags().get("gafail:interrupted"));
        Await.until(WAIT, POLL, "never: region-a's processes are back after Ctrl-C",
                () -> lab().processes("region-a") == 2);

        startLoad();
        CliRun.Result resumed = gafail().run("resume", id, "--yes");

        assertEquals(0, resumed.code(), resumed.toString());
        List<Experiment> ran = experiments(id);
        assertEquals(2, ran.size(), "the resume started the fault anew: " + ran);
        assertTrue(ran.stream().allMatch(e -> status(e) == ExperimentStatus.STOPPED), ran.toString());
        assertFalse(ran.get(1).startTime().isBefore(ran.get(0).endTime()), "never two at once: " + ran);
    }

    /** The lab SNS's messages about {@code execution}: their {@code event} attribute and the AWS region that took each. */
    private static List<String> notified(String execution) throws IOException {
        return SnsMessage.read(lab().snsMessages()).stream()
                .filter(m -> m.attributes().containsKey("execution")
                        && execution.equals(m.attributes().get("execution").value()))
                .map(m -> m.attributes().get("event").value() + "@" + m.region()).toList();
    }

    private static Path runbook(String name, String text) throws IOException {
        Path file = LAB.dir().resolve(name + ".yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    @Order(4)
    void theLabsSnsHearsOfASucceededARolledBackAndAWaitingRunInOrder() throws Exception {
        // Without a `to` parameter, the first region of the topics that answers: region-a's.
        assertEquals(List.of("started@us-east-1", "succeeded@us-east-1"), notified(drained),
                "the first run of this class: a drain that succeeded");

        Path failing = runbook("drain-then-fail", """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: drain-then-fail}
                steps:
                  - id: drain
                    action: fis.experiment
                    with: {region: region-a, template: "${{ topology.regions['region-a'].experiments.drain }}",
                           until: [{action: cloudwatch.alarms, with: {names: [lab-5xx], state: ALARM, regions: [region-a]}}],
                           onCondition: keep}
                    timeout: 3m
                  - {id: verdict, action: control.assert, with: {that: "${{ false }}", message: the drill found a gap}}
                """);
        startLoad();
        CliRun.Result rolledBack = gafail().run("run", failing.toString(), "--yes");
        assertEquals(1, rolledBack.code(), rolledBack.toString());
        String id = latestExecution();
        assertEquals(ExperimentStatus.STOPPED, status(experiments(id).get(0)), "the rollback stopped the kept experiment");
        assertEquals(List.of("started@us-east-1", "step-failed@us-east-1", "rollback@us-east-1",
                "rolled-back@us-east-1"), notified(id));

        Path twoPeople = runbook("two-people", """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: two-people}
                approvals: {required: 2}
                steps:
                  - {id: scale, action: ecs.scale, with: {region: region-b, desiredCount: 2}}
                """);
        try (GafailProcess waiting = started("run", twoPeople.toString(), "--yes")) {
            Await.until(WAIT, POLL, "never: the run waits for a second approval",
                    () -> waiting.out().contains("waiting for"));
            String waitingId = latestExecution();
            Await.until(WAIT, POLL, "never: the approval request is told", () -> {
                try {
                    return notified(waitingId).contains("approval@us-east-1");
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals(0, gafail().run("abort", waitingId, "--reason", "test over").code());
            assertEquals(4, waiting.exitCode(), waiting.err());
            Await.until(WAIT, POLL, "never: three messages", () -> {
                try {
                    return notified(waitingId).size() == 3;
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals(List.of("started@us-east-1", "approval@us-east-1", "interrupted@us-east-1"), notified(waitingId));
        }
    }

    @Test
    @Order(5)
    void aRegionsLossIsRefusedThroughItsOwnFisBeforeAnythingChanges() throws Exception {
        Path lossThroughItself = runbook("loss-through-itself", """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: loss-through-itself}
                steps:
                  - id: lose-region-a
                    action: fis.experiment
                    with: {region: region-a, tags: {"gafail:scenario": peer-loss, "gafail:region": region-a}}
                    timeout: 10m
                """);

        CliRun.Result result = gafail().run("run", lossThroughItself.toString(), "--yes");

        // region-a's FIS has no template that loses region-a: the lab keeps it in region-b's.
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("has no experiment template tagged"), result.err());

        Path throughRegionA = runbook("loss-of-b-through-a", """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: loss-of-b-through-a}
                steps:
                  - id: lose-region-b
                    action: fis.experiment
                    with: {region: region-a, template: "${{ topology.regions['region-a'].experiments['peer-loss'] }}"}
                    timeout: 10m
                """);
        CliRun.Result plan = gafail().run("run", throughRegionA.toString(), "--dry-run");
        assertEquals(0, plan.code(), plan.toString());
        assertTrue(plan.out().contains("region-a's FIS (us-east-1)"), plan.out());
    }

    @Test
    @Order(6)
    void aDrainKeptRunningPastItsConditionIsEndedByFisStopWhichReturnsOnceRegionAsProcessesAreBack()
            throws Exception {
        Path keptThenStopped = runbook("drain-kept-then-stopped", """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: drain-kept-then-stopped}
                steps:
                  - id: drain
                    action: fis.experiment
                    with: {region: region-a, template: "${{ topology.regions['region-a'].experiments.drain }}",
                           until: [{action: cloudwatch.alarms, with: {names: [lab-5xx], state: ALARM, regions: [region-a]}}],
                           onCondition: keep}
                    timeout: 3m
                  - {id: still-drained, action: control.assert,
                     with: {that: "${{ steps.drain.outputs.status == 'running' }}", message: the drain ended on its own}}
                  - {id: drained-a-while, action: control.wait, with: {duration: 10s}}
                  - {id: end-the-drain, action: fis.stop, with: {region: region-a, step: drain}, timeout: 1m}
                """);
        startLoad();

        try (GafailProcess run = started("run", keptThenStopped.toString(), "--yes")) {
            Await.until(WAIT, POLL, "never: ECS reports no task running in region-a while its desired count stays 2",
                    () -> {
                JsonNode ecs = Json.MAPPER.readTree(LAB.gafail("status", "--output", "json").out())
                        .path("regions").path("region-a").path("ecs");
                return ecs.path("running").asInt(-1) == 0 && ecs.path("desired").asInt() == 2;
            });
            assertEquals(0, run.exitCode(), run.err());
        }
        List<Experiment> ran = experiments(latestExecution());
        assertEquals(1, ran.size(), ran.toString());
        assertEquals(ExperimentStatus.STOPPED, status(ran.get(0)), "fis.stop stopped the experiment the drain kept");
        // FIS says stopped once the lab has reverted the drain: region-a's processes run again, healthy.
        assertEquals(2, lab().processes("region-a"));
        assertEquals(List.of(), lab().status().experiments());
    }
}
