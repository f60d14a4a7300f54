package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.StopSignal;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.FakeChange;
import dev.gafail.testing.FakeWorld;
import dev.gafail.testing.Journals;
import dev.gafail.testing.SilentServer;
import dev.gafail.testing.SnsSsmStub;
import dev.gafail.testing.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code notify} step, dry runs, a sink whose secret cannot be read, and the sinks' secrets kept out
 * of every output: runs of test step types against a topology with three sinks.
 */
class NotifyStepTest {

    private static final String SLACK_PATH = "/services/T0KEN5LACK/B0T/xoxb9secret";
    private static final String HOOK_PATH = "/hooks/incident/t0ken-7Hq2";
    private static final String BROKEN_URL = "http://127.0.0.1:9/hooks/cl0sed-s3cret";
    private static final List<String> TOKENS = List.of("T0KEN5LACK", "xoxb9secret", "t0ken-7Hq2", "cl0sed-s3cret");

    @TempDir
    Path dir;
    private FakeAws aws;
    private SnsSsmStub sns;
    private WebhookReceiver receiver;
    private final FakeWorld world = new FakeWorld();

    @BeforeEach
    void start() {
        aws = new FakeAws();
        sns = new SnsSsmStub();
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        sns.close();
        aws.close();
    }

    private Path home() {
        return dir.resolve("home");
    }

    /** Slack (URL in the environment), the incident tool's webhook (URL in a file), SNS; and {@code extra}. */
    private Path topology(String incidentBotExtra, String extra) throws IOException {
        Files.writeString(dir.resolve("webhook-url"), receiver.url(HOOK_PATH));
        return topologyKeepingUrl(incidentBotExtra, extra);
    }

    /** The topology, the incident tool's URL left in its file as the test wrote it. */
    private Path topologyKeepingUrl() throws IOException {
        return topologyKeepingUrl("", "");
    }

    private Path topologyKeepingUrl(String incidentBotExtra, String extra) throws IOException {
        Path file = aws.writeTopology(dir, Map.of("sns", sns.url()));
        Files.writeString(file, Files.readString(file) + """
                notifications:
                  - name: oncall
                    slack: {webhook: {env: GAFAIL_SLACK_WEBHOOK}}
                  - name: incident-bot
                    webhook: {url: {file: webhook-url}}
                %s  - sns: {topics: {region-a: "arn:aws:sns:us-east-1:%s:oncall"}}
                """.formatted(incidentBotExtra, FakeAws.ACCOUNT) + extra);
        return file;
    }

    private Path runbook(String to) throws IOException {
        Path file = dir.resolve("tell.yaml");
        Files.writeString(file, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: tell}
                parameters:
                  note: {type: string, default: all good}
                  failAt: {type: string, default: none}
                steps:
                  - {id: a, action: test.change, with: {key: a}}
                  - id: tell
                    action: notify
                    with: {message: "note: ${{ params.note }}", subject: "orders-api: failing over"%s}
                  - {id: b, action: test.change, with: {key: b, failApplies: "${{ params.failAt == 'b' ? 9 : 0 }}"}}
                """.formatted(to));
        return file;
    }

    private CliRun gafail(Path topology) {
        return CliRun.in(home()).env("GAFAIL_TOPOLOGY", topology.toString())
                .actions(target -> BuiltinActions.registry(target, new FakeChange(world)));
    }

    private List<Event> journal() {
        return Journals.events(home(), Journals.only(home()));
    }

    private Object outputs(String step) {
        return journal().stream().filter(e -> e.type() == EventType.STEP_SUCCEEDED && step.equals(e.step()))
                .map(e -> e.get("outputs")).findFirst().orElseThrow();
    }

    private static List<String> events(List<JsonNode> documents) {
        return documents.stream().map(d -> d.path("event").asString()).toList();
    }

    @Test
    void aNotifyStepSendsToTheSinksItNamesWhateverTheirEventsAndSaysHowManyTookIt() throws IOException {
        CliRun.Result result = gafail(topology("", "")).env("GAFAIL_SLACK_WEBHOOK", receiver.url(SLACK_PATH))
                .run("run", runbook(", to: [incident-bot, pager]").toString(), "--yes");

        assertEquals(0, result.code(), result.toString());
        List<JsonNode> hook = receiver.documents(HOOK_PATH);
        assertEquals(List.of("started", "message", "succeeded"), events(hook));
        JsonNode message = hook.get(1);
        assertEquals("note: all good", message.path("message").asString());
        assertEquals("orders-api: failing over", message.path("subject").asString());
        assertEquals("tell", message.path("step").asString());
        assertEquals(2, receiver.received(SLACK_PATH).size(), "not named, so only its own notifications");
        assertEquals(Map.of("delivered", 1, "sinks", 1, "missed", List.of()), outputs("tell"));
        assertTrue(result.out().contains("notify: no sink named pager (the topology's: oncall, incident-bot, sns)"),
                result.out());
    }

    @Test
    void aWebhookWhoseSecretIsNotSetIsANoticeAndTheRunGoesOnWithTheOthers() throws IOException {
        CliRun.Result result = gafail(topology("", "")).run("run", runbook("").toString(), "--yes");

        assertEquals(0, result.code(), result.toString());
        List<Event> notices = journal().stream().filter(e -> e.type() == EventType.NOTICE).toList();
        assertEquals(List.of("notifications to oncall (slack) fail: environment variable GAFAIL_SLACK_WEBHOOK is not"
                + " set; the execution goes on without them", "3 notification(s) to oncall (slack) were not delivered:"
                + " started, message, succeeded"), notices.stream().map(Event::message).toList());
        assertEquals(Map.of("delivered", 2, "sinks", 3, "missed", List.of("oncall")), outputs("tell"));
        assertEquals(List.of("started", "message", "succeeded"), events(receiver.documents(HOOK_PATH)));
        assertEquals(3, sns.published().size());
    }

    @Test
    void aDryRunPlansTheNotifyStepAndTellsOnlyTheSinksThatTakeDryRunsNeedingNoOtherSecret() throws IOException {
        CliRun.Result result = gafail(topology("    dryRuns: true\n", ""))
                .run("plan", runbook(", to: [oncall, incident-bot]").toString());

        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("plan  tell (notify)  - → notify oncall, incident-bot"), result.out());
        assertFalse(result.out().contains("GAFAIL_SLACK_WEBHOOK"), "Slack takes no dry run: " + result.out());
        List<JsonNode> hook = receiver.documents(HOOK_PATH);
        assertEquals(List.of("dry-run"), events(hook));
        assertTrue(hook.get(0).path("dryRun").asBoolean(), hook.toString());
        assertTrue(hook.get(0).path("message").asString().startsWith("dry run: "), hook.toString());
        assertEquals(List.of(), receiver.received(SLACK_PATH));
        assertEquals(List.of(), sns.published());
        assertEquals(List.of(), world.mutations());
    }

    @Test
    void aNoticeAfterTheEndLeavesTheExecutionAsItEnded() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Files.writeString(dir.resolve("webhook-url"), silent.url() + HOOK_PATH);
            StopSignal stop = new StopSignal();
            stop.request("stopped before it began");
            CliRun.Result result = gafail(topologyKeepingUrl()).stop(stop).run("run", runbook("").toString(), "--yes");

            assertEquals(4, result.code(), result.toString());
            List<Event> journal = journal();
            assertEquals(EventType.NOTICE, journal.get(journal.size() - 1).type(), journal.toString());
            CliRun.Result history = gafail(topologyKeepingUrl()).run("history", "--output", "json");
            assertEquals("interrupted", dev.gafail.engine.Json.MAPPER.readTree(history.out()).at("/0/status")
                    .asString(), history.out());
        }
    }

    @Test
    void noSinksSecretReachesAnOutputTheJournalTheAuditLogOrAnotherSink() throws IOException {
        Path topology = topology("", """
                  - name: broken
                    webhook: {url: {env: GAFAIL_BROKEN_WEBHOOK}}
                """);
        String slack = receiver.url(SLACK_PATH);
        CliRun run = gafail(topology).env("GAFAIL_SLACK_WEBHOOK", slack).env("GAFAIL_BROKEN_WEBHOOK", BROKEN_URL);

        // The Slack URL given as a parameter too: masked wherever the run would have written it.
        CliRun.Result text = run.run("run", runbook("").toString(), "--yes", "--set", "note=" + slack, "--set",
                "failAt=b");
        CliRun.Result json = run.run("run", runbook("").toString(), "--yes", "--set", "note=" + slack,
                "--output", "json");
        String id = Journals.ids(home()).get(0);
        CliRun.Result shown = run.run("show", id);

        assertEquals(1, text.code(), text.toString());
        assertEquals(0, json.code(), json.toString());
        assertTrue(text.out().contains("notifications to broken (webhook) fail: connection refused"), text.out());
        assertTrue(receiver.documents(HOOK_PATH).stream().anyMatch(d -> d.path("message").asString().equals("note: ***")),
                receiver.bodies().toString());
        List<String> everything = new ArrayList<>(List.of(text.out(), text.err(), json.out(), json.err(), shown.out(),
                shown.err()));
        everything.addAll(files(home()));
        everything.addAll(receiver.bodies());
        sns.published().forEach(p -> everything.add(p.subject() + "\n" + p.message() + "\n" + p.attributes()));
        for (String token : TOKENS) {
            for (String where : everything) {
                assertFalse(where.contains(token), token + " leaked into:\n" + where);
            }
        }
    }

    /** Every file gafail wrote under {@code home}: journals, the audit log, the runbook and topology copies. */
    private static List<String> files(Path home) {
        try (Stream<Path> walk = Files.walk(home)) {
            return walk.filter(Files::isRegularFile).map(p -> {
                try {
                    return p + ":\n" + Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
