package dev.gafail.actions;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.Journals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fis.stop step against a FIS stand-in that speaks FIS's own protocol (restJson1), through the real
 * SDK client: it finds the experiment a fis.experiment step kept running by that step's tags, stops it
 * once and waits until FIS says it stopped; its plan changes nothing; an experiment that has ended is
 * already done, one stopping already is awaited (a resume after a kill mid-stop), not stopped again.
 */
class FisStopWireTest {

    private static final String ARN = "arn:aws:fis:us-east-1:111122223333:experiment/EXP1";

    @TempDir
    Path home;

    private FakeAws aws;
    private WireMockServer fis;
    private Path topology;
    private final Experiment experiment = new Experiment();

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAws();
        fis = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(experiment));
        fis.start();
        fis.stubFor(WireMock.any(anyUrl()).willReturn(WireMock.aResponse().withTransformers(experiment.getName())));
        topology = aws.writeTopology(home, Map.of("fis", "http://127.0.0.1:" + fis.port()));
    }

    @AfterEach
    void stop() {
        fis.stop();
        aws.close();
    }

    /**
     * One experiment, EXP1, of template EXTdrain, as FIS keeps it: started by StartExperiment with the
     * tags the step gives it (or there from the start, as {@link #exists} says), stopping once stopped,
     * then stopped after {@code stoppingReads} more reads, unless {@code held}.
     */
    private static final class Experiment implements ResponseDefinitionTransformerV2 {

        private String status;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private int stoppingReads = 2;
        private boolean held;

        synchronized void exists(String status) {
            this.status = status;
        }

        synchronized String status() {
            return status;
        }

        synchronized void stopsAfter(int reads, boolean held) {
            this.stoppingReads = reads;
            this.held = held;
        }

        @Override
        public String getName() {
            return "fis-experiment";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public synchronized ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String method = request.getMethod().getName();
            String path = request.getUrl().replaceAll("\\?.*", "");
            if (path.equals("/experimentTemplates/EXTdrain")) {
                return json(200, TEMPLATE);
            }
            if (path.equals("/experiments") && method.equals("POST")) {
                Json.MAPPER.readTree(request.getBodyAsString()).path("tags").properties()
                        .forEach(t -> tags.put(t.getKey(), t.getValue().asString()));
                status = "running";
                return json(200, wrapped());
            }
            if (path.equals("/experiments")) {
                ObjectNode list = JsonNodeFactory.instance.objectNode();
                if (status != null) {
                    list.putArray("experiments").add(experiment());
                } else {
                    list.putArray("experiments");
                }
                return json(200, list.toString());
            }
            if (path.startsWith("/tags/")) {
                return json(200, "{}");
            }
            if (status == null || !path.equals("/experiments/EXP1")) {
                return error(404, "ResourceNotFoundException", "Experiment not found.");
            }
            if (method.equals("DELETE")) {
                if (List.of("completed", "stopped", "failed").contains(status)) {
                    return error(400, "ValidationException", "Experiment has already ended.");
                }
                status = "stopping";
                return json(200, wrapped());
            }
            String answer = wrapped();
            if (status.equals("stopping") && !held && stoppingReads-- <= 0) {
                status = "stopped";
                answer = wrapped();
            }
            return json(200, answer);
        }

        private ObjectNode experiment() {
            ObjectNode e = JsonNodeFactory.instance.objectNode().put("id", "EXP1").put("arn", ARN)
                    .put("experimentTemplateId", "EXTdrain");
            e.putObject("state").put("status", status);
            tags.forEach(e.putObject("tags")::put);
            return e;
        }

        private String wrapped() {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.set("experiment", experiment());
            return out.toString();
        }

        private static ResponseDefinition json(int status, String body) {
            return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json")
                    .withBody(body).build();
        }

        private static ResponseDefinition error(int status, String type, String message) {
            return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json")
                    .withHeader("x-amzn-ErrorType", type).withBody("{\"message\": \"" + message + "\"}").build();
        }
    }

    private static final String TEMPLATE = """
            {"experimentTemplate": {"id": "EXTdrain", "description": "drain region-a",
              "targets": {"tasks": {"resourceType": "aws:ecs:task", "selectionMode": "ALL",
                                    "parameters": {"cluster": "orders", "service": "api"}}},
              "actions": {"stop": {"actionId": "aws:ecs:stop-task", "parameters": {"duration": "PT5M"},
                                   "targets": {"Tasks": "tasks"}}},
              "stopConditions": [{"source": "none"}],
              "roleArn": "arn:aws:iam::111122223333:role/fis", "tags": {"gafail:scenario": "drain"}}}""";

    /** A drill's fault kept running once region-a's alarm fires, then ended by fis.stop naming its step. */
    private Path keptThenStopped() throws IOException {
        Path runbook = home.resolve("drill.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: drill}
                steps:
                  - id: drain
                    action: fis.experiment
                    with: {region: region-a, template: EXTdrain, onCondition: keep,
                           until: [{action: cloudwatch.alarms, with: {names: [orders-5xx], state: ALARM, regions: [region-a]}}]}
                    timeout: 10m
                  - {id: end-the-drain, action: fis.stop, with: {region: region-a, step: drain}, timeout: 1m}
                """);
        return runbook;
    }

    private Path stopById(String timeout) throws IOException {
        Path runbook = home.resolve("stop.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: stop}
                steps:
                  - {id: end-it, action: fis.stop, with: {region: region-a, experiment: EXP1}, timeout: %s}
                """.formatted(timeout));
        return runbook;
    }

    private CliRun.Result run(Path runbook, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", runbook.toString(), "--topology",
                topology.toString()));
        args.addAll(List.of(extra));
        return CliRun.in(home).run(args.toArray(String[]::new));
    }

    private int stops() {
        return fis.findAll(deleteRequestedFor(urlPathEqualTo("/experiments/EXP1"))).size();
    }

    @Test
    void theExperimentAStepKeptRunningIsFoundByThatStepsTagsStoppedOnceAndAwaitedUntilStopped() throws IOException {
        aws.alarm("orders-5xx", "ALARM");

        CliRun.Result result = run(keptThenStopped(), "--yes");

        assertEquals(0, result.code(), result.toString());
        assertEquals(1, stops());
        assertEquals("stopped", experiment.status(),
                "the step waited until FIS said it stopped");
        assertTrue(result.out().contains("stopping experiment EXP1 stopping"), result.out());
        assertTrue(fis.findAll(getRequestedFor(urlPathEqualTo("/experiments"))).stream()
                .anyMatch(r -> !r.getUrl().contains("experimentTemplateId")),
                "fis.stop lists every template's experiments and finds its own by its tags");
    }

    @Test
    void inAChildRunbookTheStepIsFoundBelowTheRunbookRunStepAsItsExperimentWasTagged() throws IOException {
        aws.alarm("orders-5xx", "ALARM");
        keptThenStopped();
        Path parent = home.resolve("parent.yaml");
        Files.writeString(parent, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: parent}
                steps:
                  - {id: inner, action: runbook.run, with: {runbook: drill.yaml}}
                """);

        CliRun.Result result = run(parent, "--yes");

        assertEquals(0, result.code(), result.toString());
        assertEquals(1, stops());
        assertEquals("stopped", experiment.status());
    }

    @Test
    void thePlanChangesNothingAndSaysTheStepsExperimentIsNotThereYet() throws IOException {
        aws.alarm("orders-5xx", "ALARM");

        CliRun.Result result = run(keptThenStopped(), "--dry-run");

        assertEquals(0, result.code(), result.toString());
        assertTrue((result.out() + result.err()).contains("no experiment of step drain in region-a's FIS (us-east-1)"
                + " yet"), result.toString());
        fis.findAll(anyRequestedFor(anyUrl())).forEach(r -> assertEquals("GET", r.getMethod().getName(), r.getUrl()));
    }

    @Test
    void anExperimentThatHasEndedIsAlreadyDone() throws IOException {
        experiment.exists("completed");

        CliRun.Result result = run(stopById("1m"), "--yes");

        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("already done: experiment EXP1 completed"), result.out());
        assertEquals(0, stops());
    }

    @Test
    void aStepThatStartedNoExperimentFailsNamingTheTagsItLookedFor() throws IOException {
        Path runbook = home.resolve("nothing.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: nothing}
                steps:
                  - {id: end-the-drain, action: fis.stop, with: {region: region-a, step: drain}, timeout: 1m}
                """);

        CliRun.Result result = run(runbook, "--yes");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("step drain of this execution started no experiment in region-a's FIS"
                + " (us-east-1) (none tagged gafail:execution "), result.err());
    }

    @Test
    void anExperimentThatDoesNotExistRefusesTheRunBeforeAnyChange() throws IOException {
        CliRun.Result result = run(stopById("1m"), "--yes");

        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("FIS in us-east-1 has no experiment EXP1"), result.err());
        assertEquals(0, stops());
    }

    @Test
    void killedMidStopThenResumedAwaitsTheStopWithoutStoppingAgain() throws Exception {
        experiment.exists("running");
        experiment.stopsAfter(0, true);
        String id;
        try (GafailProcess run = GafailProcess.start(home, "run", stopById("1m").toString(), "--yes", "--topology",
                topology.toString())) {
            id = Journals.awaitEvent(home, e -> e.type() == EventType.STEP_APPLIED, Duration.ofSeconds(30));
            run.kill();
        }
        assertEquals(1, stops());
        // Still stopping as the resume reads it (its plan, its apply, its wait's first read), then stopped.
        experiment.stopsAfter(3, false);

        CliRun.Result resumed = CliRun.in(home).run("resume", id, "--yes");

        assertEquals(0, resumed.code(), resumed.toString());
        assertEquals(1, stops(), "the resume did not stop it again");
        assertEquals("stopped", experiment.status());
    }
}
