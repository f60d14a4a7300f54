package dev.gafail.actions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fis.experiment step against a stub that speaks FIS's own protocol (restJson1: the operation in
 * the method and path, errors named by {@code x-amzn-ErrorType}), through the real SDK client: what the
 * plan finds before anything changes, and how throttling is waited out.
 */
class FisExperimentWireTest {

    @TempDir
    Path home;

    private FakeAws aws;
    private WireMockServer fis;
    private Path topology;

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAws();
        fis = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        fis.start();
        topology = aws.writeTopology(home, Map.of("fis", "http://127.0.0.1:" + fis.port()));
    }

    @AfterEach
    void stop() {
        fis.stop();
        aws.close();
    }

    /** A template of {@code actions} (name to ISO 8601 duration, or null for an action without one). */
    private static String template(String id, Map<String, String> actions) {
        StringBuilder json = new StringBuilder();
        actions.forEach((name, duration) -> json.append(json.isEmpty() ? "" : ",").append("""
                "%s": {"actionId": "aws:ecs:stop-task", "parameters": {%s}, "targets": {"Tasks": "tasks"}}"""
                .formatted(name, duration == null ? "" : "\"duration\": \"" + duration + "\"")));
        return """
                {"experimentTemplate": {"id": "%s", "description": "drain region-a",
                  "targets": {"tasks": {"resourceType": "aws:ecs:task", "selectionMode": "ALL",
                                        "parameters": {"cluster": "orders", "service": "api"}}},
                  "actions": {%s},
                  "stopConditions": [{"source": "aws:cloudwatch:alarm",
                                      "value": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:safety"}],
                  "roleArn": "arn:aws:iam::111122223333:role/fis", "tags": {"gafail:scenario": "drain"}}}"""
                .formatted(id, json);
    }

    private static ResponseDefinitionBuilder fisError(int status, String type, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", type).withBody("{\"message\": \"" + message + "\"}");
    }

    private CliRun.Result run(String template, String timeout, String... extra) throws IOException {
        Path runbook = home.resolve("drill.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: drill}
                steps:
                  - id: degrade
                    action: fis.experiment
                    with: {region: region-a, template: %s}
                    timeout: %s
                """.formatted(template, timeout));
        List<String> args = new ArrayList<>(List.of("run", runbook.toString(), "--yes", "--topology",
                topology.toString()));
        args.addAll(List.of(extra));
        return CliRun.in(home).run(args.toArray(String[]::new));
    }

    private int starts() {
        return fis.findAll(postRequestedFor(urlEqualTo("/experiments"))).size();
    }

    @Test
    void aTemplateThatDoesNotExistRefusesTheRunBeforeAnyChange() throws IOException {
        fis.stubFor(get(urlPathEqualTo("/experimentTemplates/EXTmissing")).willReturn(fisError(404,
                "ResourceNotFoundException", "Experiment template not found.")));

        CliRun.Result result = run("EXTmissing", "10m");

        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("has no experiment template EXTmissing"), result.err());
        assertEquals(0, starts());
        assertEquals(List.of(), aws.mutations());

        CliRun.Result dryRun = run("EXTmissing", "10m", "--dry-run");
        assertEquals(3, dryRun.code(), dryRun.toString());
        assertTrue(dryRun.out().contains("cannot run: FIS in us-east-1 has no experiment template EXTmissing")
                || dryRun.err().contains("cannot run: FIS in us-east-1 has no experiment template EXTmissing"),
                dryRun.toString());
    }

    @Test
    void aTemplateWhoseFaultsOutlastTheStepIsRefusedAtPlanTime() throws IOException {
        // Two actions in a row (the second starts after the first): 4 + 3 minutes, longer than 5.
        fis.stubFor(get(urlPathEqualTo("/experimentTemplates/EXTlong")).willReturn(okJson(template("EXTlong",
                Map.of("first", "PT4M")).replace("\"targets\": {\"Tasks\": \"tasks\"}}",
                "\"targets\": {\"Tasks\": \"tasks\"}}, \"second\": {\"actionId\": \"aws:fis:wait\","
                        + " \"parameters\": {\"duration\": \"PT3M\"}, \"startAfter\": [\"first\"]}"))));

        CliRun.Result result = run("EXTlong", "5m");

        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("template EXTlong's faults last up to 7m, longer than the step's time limit 5m"),
                result.err());
        assertEquals(0, starts());
    }

    @Test
    void thePlanSaysWhichTargetsForHowLongAndChangesNothing() throws IOException {
        fis.stubFor(get(urlPathEqualTo("/experimentTemplates/EXTdrain")).willReturn(okJson(template("EXTdrain",
                Map.of("stop", "PT2M")))));
        fis.stubFor(get(urlPathEqualTo("/experiments")).willReturn(okJson("{\"experiments\": []}")));

        CliRun.Result result = run("EXTdrain", "10m", "--dry-run");

        assertEquals(0, result.code(), result.toString());
        String said = result.out() + result.err();
        assertTrue(said.contains("aws:ecs:stop-task on aws:ecs:task: cluster=orders, service=api (ALL) for 2m"), said);
        assertTrue(said.contains("stops on aws:cloudwatch:alarm arn:aws:cloudwatch:us-east-1:111122223333:alarm:safety"),
                said);
        assertEquals(0, starts());
        fis.findAll(anyRequestedFor(anyUrl())).forEach(r -> assertEquals("GET", r.getMethod().getName(), r.getUrl()));
        assertTrue(fis.findAll(anyRequestedFor(anyUrl())).stream().allMatch(r -> r.getHeader("Authorization")
                .contains("/us-east-1/fis/aws4_request")), "signed for region-a's FIS");
    }

    @Test
    void throttlingIsWaitedOutByTheClientsRetries() throws IOException {
        String url = "/experimentTemplates/EXTdrain";
        fis.stubFor(get(urlPathEqualTo(url)).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(fisError(429, "ThrottlingException", "Rate exceeded")).willSetStateTo("once"));
        fis.stubFor(get(urlPathEqualTo(url)).inScenario("throttled").whenScenarioStateIs("once")
                .willReturn(fisError(429, "ThrottlingException", "Rate exceeded")).willSetStateTo("answered"));
        fis.stubFor(get(urlPathEqualTo(url)).inScenario("throttled").whenScenarioStateIs("answered")
                .willReturn(okJson(template("EXTdrain", Map.of("stop", "PT2M")))));
        fis.stubFor(get(urlPathEqualTo("/experiments")).willReturn(okJson("{\"experiments\": []}")));

        CliRun.Result result = run("EXTdrain", "10m", "--dry-run");

        assertEquals(0, result.code(), result.toString());
        assertEquals(3, fis.findAll(getRequestedFor(urlPathEqualTo(url))).size(), "two throttled, then answered");
    }

    @Test
    void throttlingThatNeverEndsIsAPlanThatCouldNotBeMade() throws IOException {
        fis.stubFor(get(urlPathEqualTo("/experimentTemplates/EXTdrain")).willReturn(fisError(429,
                "ThrottlingException", "Rate exceeded")));

        CliRun.Result result = run("EXTdrain", "10m", "--dry-run");

        assertEquals(7, result.code(), result.toString());
        assertTrue((result.out() + result.err()).contains("ThrottlingException"), result.toString());
        assertEquals(0, starts());
    }

    @Test
    void aDryRunChecksTheTemplateAgainstTheTimeoutARunWouldHave() throws IOException {
        fis.stubFor(get(urlPathEqualTo("/experimentTemplates/EXTdrain")).willReturn(okJson(template("EXTdrain",
                Map.of("stop", "PT2M")))));
        fis.stubFor(get(urlPathEqualTo("/experiments")).willReturn(okJson("{\"experiments\": []}")));
        Path runbook = home.resolve("untimed.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: untimed}
                steps:
                  - {id: degrade, action: fis.experiment, with: {region: region-a, template: EXTdrain}}
                """);

        CliRun.Result fits = CliRun.in(home).run("run", runbook.toString(), "--dry-run", "--timeout", "10m",
                "--topology", topology.toString());
        CliRun.Result tooShort = CliRun.in(home).run("run", runbook.toString(), "--dry-run", "--timeout", "1m",
                "--topology", topology.toString());
        CliRun.Result none = CliRun.in(home).run("run", runbook.toString(), "--dry-run", "--topology", topology.toString());

        assertEquals(0, fits.code(), fits.toString());
        assertEquals(3, tooShort.code(), tooShort.toString());
        assertEquals(3, none.code(), none.toString());
        assertTrue((none.out() + none.err()).contains("fis.experiment needs a time limit"), none.toString());
    }

    @Test
    void aTemplateThatStopsInstancesForGoodIsRefused() throws IOException {
        fis.stubFor(get(urlPathEqualTo("/experimentTemplates/EXTstop")).willReturn(okJson(template("EXTstop",
                Map.of("stop", "PT1M")).replace("aws:ecs:stop-task", "aws:ec2:stop-instances")
                .replace("\"duration\": \"PT1M\"", ""))));

        CliRun.Result result = run("EXTstop", "10m");

        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("(aws:ec2:stop-instances) has no startInstancesAfterDuration"), result.err());
        assertEquals(0, starts());
    }

    @Test
    void aStepThatTimesOutWhileFisIsSlowToAnswerStopsItsExperimentBeforeLettingGo() throws IOException {
        String experiment = """
                {"experiment": {"id": "EXP1", "arn": "arn:aws:fis:us-east-1:111122223333:experiment/EXP1",
                  "experimentTemplateId": "EXTdrain", "state": {"status": "%s"},
                  "tags": {"gafail:execution": "x", "gafail:step": "degrade"}}}""";
        fis.stubFor(get(urlPathEqualTo("/experimentTemplates/EXTdrain")).willReturn(okJson(template("EXTdrain",
                Map.of("stop", "PT0S")))));
        fis.stubFor(get(urlPathEqualTo("/experiments")).willReturn(okJson("{\"experiments\": []}")));
        fis.stubFor(post(urlEqualTo("/experiments")).willReturn(okJson(experiment.formatted("running"))));
        fis.stubFor(get(urlPathEqualTo("/experiments/EXP1")).willReturn(okJson(experiment.formatted("running"))
                .withFixedDelay(6000)));
        fis.stubFor(post(urlPathMatching("/tags/.*")).willReturn(okJson("{}")));
        fis.stubFor(delete(urlPathEqualTo("/experiments/EXP1")).willReturn(okJson(experiment.formatted("stopping"))));
        Path runbook = home.resolve("slow.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: slow}
                steps:
                  - {id: degrade, action: fis.experiment, with: {region: region-a, template: EXTdrain}, timeout: 2s,
                     onFailure: stop}
                """);

        CliRun.Result result = CliRun.in(home).run("run", runbook.toString(), "--yes", "--topology", topology.toString());

        assertEquals(1, result.code(), result.toString());
        assertEquals(1, fis.findAll(deleteRequestedFor(urlPathEqualTo("/experiments/EXP1"))).size(),
                "the experiment was stopped: " + result);
        assertTrue(fis.findAll(postRequestedFor(urlPathMatching("/tags/.*"))).stream()
                .anyMatch(r -> r.getBodyAsString().contains("gafail:interrupted")), "and marked abandoned");
    }

    @Test
    void aRegionsLossWatchedThroughThatRegionsOwnFisIsRefused() throws IOException {
        fis.stubFor(get(urlPathEqualTo("/experimentTemplates/EXTloss")).willReturn(okJson(template("EXTloss",
                Map.of("lose", "PT5M")).replace("\"gafail:scenario\": \"drain\"",
                "\"gafail:scenario\": \"region-loss\", \"gafail:region\": \"region-a\""))));

        CliRun.Result result = run("EXTloss", "10m");

        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("takes region-a down (gafail:scenario region-loss), and region-a's FIS would"
                + " go with it"), result.err());
        assertEquals(0, starts());
    }
}
