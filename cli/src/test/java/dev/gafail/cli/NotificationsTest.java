package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Json;
import dev.gafail.engine.Outbox;
import dev.gafail.engine.StopSignal;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.Journals;
import dev.gafail.testing.SilentServer;
import dev.gafail.testing.SnsSsmStub;
import dev.gafail.testing.WebhookReceiver;
import dev.gafail.testing.s3.S3Stub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Notifications of whole failovers against the wire-level stand-in of AWS: a local webhook receiver
 * (as Slack's and an incident tool's) and SNS on its Query protocol get, in order, what a successful,
 * a rolled-back and a waiting failover say; an unreachable webhook delays nothing beyond the bound.
 */
class NotificationsTest {

    private static final String[] QUICK = {"--set", "holdFor=0s", "--set", "probeInterval=10ms"};
    private static final String SLACK_PATH = "/services/T0KEN5LACK/B0T/xoxb9secret";
    private static final String HOOK_PATH = "/hooks/incident/t0ken-7Hq2";
    private static final String TOPIC_A = "arn:aws:sns:us-east-1:" + FakeAws.ACCOUNT + ":oncall";
    private static final String TOPIC_B = "arn:aws:sns:eu-west-1:" + FakeAws.ACCOUNT + ":oncall";

    @TempDir
    Path dir;
    private FakeAws aws;
    private SnsSsmStub sns;
    private WebhookReceiver receiver;

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

    /**
     * The stand-in's topology with three sinks: Slack (its URL in the environment), an incident tool's
     * webhook (its URL in a file beside the topology) and SNS (only starts and ends).
     */
    private Path topology(String hookUrl, String extra, Map<String, String> elsewhere) throws Exception {
        Files.writeString(dir.resolve("webhook-url"), hookUrl + "\n");
        return topologyWith("{file: webhook-url}", extra, elsewhere);
    }

    /** The topology, the incident tool's URL read from {@code hookSecret}. */
    private Path topologyWith(String hookSecret, String extra, Map<String, String> elsewhere) throws Exception {
        Map<String, String> endpoints = new java.util.HashMap<>(elsewhere);
        endpoints.put("sns", sns.url());
        endpoints.put("ssm", sns.url());
        Path file = aws.writeTopology(dir, endpoints);
        Files.writeString(file, Files.readString(file) + """
                notifications:
                  - name: oncall
                    slack: {webhook: {env: GAFAIL_SLACK_WEBHOOK}}
                  - name: incident-bot
                    webhook: {url: %s}
                  - sns:
                      topics: {region-a: "%s", region-b: "%s"}
                    events: [started, finished]
                """.formatted(hookSecret, TOPIC_A, TOPIC_B) + extra);
        return file;
    }

    private Path topology() throws Exception {
        return topology(receiver.url(HOOK_PATH), "", Map.of());
    }

    private CliRun gafail(Path topology) {
        return CliRun.in(dir.resolve("home")).env("GAFAIL_TOPOLOGY", topology.toString())
                .env("GAFAIL_SLACK_WEBHOOK", receiver.url(SLACK_PATH));
    }

    private static String[] failover(String... extra) {
        List<String> args = new ArrayList<>(List.of("failover", "--to", "region-b", "--yes", "--reason",
                "quarterly drill"));
        args.addAll(List.of(QUICK));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private List<String> events(List<JsonNode> documents) {
        return documents.stream().map(d -> d.path("event").asString()).toList();
    }

    private List<Event> journal() {
        Path home = dir.resolve("home");
        return Journals.events(home, Journals.only(home));
    }

    @Test
    void aSuccessfulFailoverIsToldToEverySinkInOrderNamingWhatWhoWhyAndWhatNext() throws Exception {
        CliRun.Result result = gafail(topology()).run(failover());

        assertEquals(0, result.code(), result.toString());
        String id = Journals.only(dir.resolve("home"));
        List<JsonNode> hook = receiver.documents(HOOK_PATH);
        assertEquals(List.of("started", "succeeded"), events(hook), hook.toString());
        JsonNode started = hook.get(0);
        assertEquals("orders-api", started.path("topology").asString());
        assertEquals("failover", started.path("runbook").asString());
        assertEquals(id, started.path("execution").asString());
        assertEquals("quarterly drill", started.path("reason").asString());
        assertEquals("arn:aws:sts::" + FakeAws.ACCOUNT + ":assumed-role/oncall/alice",
                started.at("/operator/identity").asString());
        assertTrue(started.path("message").asString().startsWith("runbook 'failover' started with ")
                && started.path("message").asString().contains("to=region-b"), started.toString());
        assertEquals("gafail show " + id, hook.get(1).path("next").asString());
        assertEquals("succeeded", hook.get(1).path("status").asString());
        assertFalse(hook.get(1).path("dryRun").asBoolean());
        assertTrue(receiver.received(HOOK_PATH).get(0).userAgent().startsWith("gafail/"));

        List<WebhookReceiver.Received> slack = receiver.received(SLACK_PATH);
        assertEquals(2, slack.size(), slack.toString());
        String text = Json.MAPPER.readTree(slack.get(1).body()).path("text").asString();
        assertTrue(text.startsWith("gafail: orders-api failover succeeded (execution " + id + ")"), text);
        assertTrue(text.contains("reason: quarterly drill") && text.contains("next: gafail show " + id), text);

        // SNS: through the region the failover moves to, its own topic.
        List<SnsSsmStub.Published> published = sns.published();
        assertEquals(List.of("started", "succeeded"), published.stream().map(p -> p.attributes().get("event")).toList());
        assertTrue(published.stream().allMatch(p -> p.signingRegion().equals("eu-west-1")
                && p.topicArn().equals(TOPIC_B) && p.attributes().get("topology").equals("orders-api")), published.toString());
        assertTrue(published.get(1).subject().length() <= 100 && published.get(1).subject().contains("succeeded"),
                published.get(1).subject());
        assertTrue(published.get(1).message().contains("next: gafail show " + id), published.get(1).message());
    }

    @Test
    void aRolledBackFailoverTellsTheFailedStepTheRollbackAndTheEndAndSnsOnlyWhatItAsksFor() throws Exception {
        aws.refuse("UpdateEndpointGroup", "\"TrafficDialPercentage\":50.0");
        CliRun.Result result = gafail(topology()).run(failover());

        assertEquals(1, result.code(), result.toString());
        String id = Journals.only(dir.resolve("home"));
        List<JsonNode> hook = receiver.documents(HOOK_PATH);
        assertEquals(List.of("started", "step-failed", "rollback", "rolled-back"), events(hook), hook.toString());
        JsonNode failed = hook.get(1);
        assertTrue(failed.path("step").isString() && failed.path("message").asString().contains("ValidationException"),
                failed.toString());
        assertEquals("rolled-back", hook.get(3).path("status").asString());
        assertEquals("gafail show " + id, hook.get(3).path("next").asString());
        assertEquals(4, receiver.received(SLACK_PATH).size());
        assertEquals(List.of("started", "rolled-back"), sns.published().stream()
                .map(p -> p.attributes().get("event")).toList(), "events: [started, finished]");
    }

    @Test
    void aFailoverAwaitingASecondApprovalNamesTheCommandThatApprovesItAndResumesIt() throws Exception {
        try (S3Stub s3 = new S3Stub("gafail-state")) {
            Path topology = topology(receiver.url(HOOK_PATH), """
                    state: {s3: {bucket: gafail-state, prefix: team/, region: us-east-2}}
                    approvals: {required: 2}
                    """, Map.of("s3", s3.url().toString()));
            StopSignal stop = new StopSignal();
            CompletableFuture<CliRun.Result> run = CompletableFuture.supplyAsync(() -> gafail(topology).stop(stop)
                    .run(failover()));
            awaitDocument("approval", Duration.ofSeconds(30));
            stop.request("the test stops it");
            CliRun.Result result = run.get(30, TimeUnit.SECONDS);

            assertEquals(4, result.code(), result.toString());
            List<JsonNode> hook = receiver.documents(HOOK_PATH);
            assertEquals(List.of("started", "approval", "interrupted"), events(hook), hook.toString());
            String id = hook.get(0).path("execution").asString();
            assertEquals("gafail approve " + id, hook.get(1).path("next").asString());
            assertTrue(hook.get(1).path("message").asString().contains("waiting for 1 more approval(s)"),
                    hook.get(1).toString());
            assertEquals("gafail resume " + id, hook.get(2).path("next").asString());
            assertEquals(List.of("started", "interrupted"), sns.published().stream()
                    .map(p -> p.attributes().get("event")).toList());
        }
    }

    @Test
    void anUnreachableWebhookDelaysTheFailoverByNoMoreThanTheBoundAndIsANoticeNotAFailure() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            CliRun.Result result = gafail(topology(silent.url() + HOOK_PATH, "", Map.of())).run(failover());

            assertEquals(0, result.code(), "the exit code is the failover's: " + result);
            List<Event> journal = journal();
            List<Event> notices = journal.stream().filter(e -> e.type() == EventType.NOTICE
                    && "incident-bot".equals(e.text("sink"))).toList();
            assertEquals("notifications to incident-bot (webhook) fail: no answer within 3 s; the execution goes on"
                    + " without them", notices.get(0).message());
            // Handed over, never waited for: the steps went on while the webhook kept its first message.
            int firstStep = indexOf(journal, e -> e.type() == EventType.STEP_STARTED);
            assertTrue(firstStep < journal.indexOf(notices.get(0)), journal.toString());
            // The end waits for the webhook at most the bound; what is still on its way then is reported.
            Event finished = journal.stream().filter(e -> e.type() == EventType.EXECUTION_FINISHED).findFirst()
                    .orElseThrow();
            Event last = journal.get(journal.size() - 1);
            assertTrue(Duration.between(finished.time(), last.time()).compareTo(Outbox.BOUND.plusSeconds(1)) <= 0,
                    "the end waited " + Duration.between(finished.time(), last.time()));
            // What the webhook never took is counted at the end: failed on its way, or still on it.
            assertTrue(notices.stream().skip(1).allMatch(n -> n.message().matches("\\d notification\\(s\\) to"
                    + " incident-bot \\(webhook\\) (were not delivered|not sent).*")), notices.toString());
            assertTrue(silent.connections() >= 1);
            assertEquals(2, receiver.received(SLACK_PATH).size(), "the other sinks are told all the same");
            assertTrue(result.out().contains("notifications to incident-bot (webhook) fail"), result.out());
            CliRun.Result history = gafail(topology()).run("history", "--output", "json");
            assertEquals("succeeded", Json.MAPPER.readTree(history.out()).at("/0/status").asString(), history.out());
        }
    }

    @Test
    void aWebhookUrlInSsmAndTheSnsTopicAreReachedThroughTheTargetRegionFirstThenTheOther() throws Exception {
        sns.parameter("us-east-1", "/gafail/incident-webhook", receiver.url(HOOK_PATH));
        sns.refuse("eu-west-1");
        CliRun.Result result = gafail(topologyWith("{ssm: /gafail/incident-webhook}", "", Map.of())).run(failover());

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("eu-west-1 /gafail/incident-webhook", "us-east-1 /gafail/incident-webhook"),
                sns.parameterReads());
        assertEquals(List.of("started", "succeeded"), events(receiver.documents(HOOK_PATH)));
        List<SnsSsmStub.Published> published = sns.published();
        assertEquals(2, published.size(), published.toString());
        assertTrue(published.stream().allMatch(p -> p.signingRegion().equals("us-east-1") && p.topicArn().equals(TOPIC_A)),
                published.toString());
        assertTrue(journal().stream().noneMatch(e -> e.type() == EventType.NOTICE && e.text("sink") != null),
                "every sink took every message: " + journal());
        assertFalse(result.out().contains(receiver.url(HOOK_PATH)) || result.err().contains(receiver.url(HOOK_PATH)));
    }

    private static int indexOf(List<Event> events, java.util.function.Predicate<Event> wanted) {
        for (int i = 0; i < events.size(); i++) {
            if (wanted.test(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such event in " + events);
    }

    /** Waits (bounded) until the webhook has had a document of {@code event}. */
    private void awaitDocument(String event, Duration within) throws InterruptedException {
        Instant end = Instant.now().plus(within);
        while (Instant.now().isBefore(end)) {
            if (events(receiver.documents(HOOK_PATH)).contains(event)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + event + " notification within " + within + ": "
                + receiver.documents(HOOK_PATH));
    }
}
