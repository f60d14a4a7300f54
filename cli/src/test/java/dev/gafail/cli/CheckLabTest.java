package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.sun.net.httpserver.HttpServer;
import dev.gafail.engine.Json;
import dev.gafail.lab.aws.ControlPlane;
import dev.gafail.lab.aws.LabResources;
import dev.gafail.lab.net.Outage;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.TestLab;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code gafail check} against the lab: on a fresh lab the evidence items fail (no drill on record) and the
 * configuration items pass; taking away what an item stands on (an action of the operator's policy, the
 * alarms' subscriber, the topology's targets, a region's APIs) turns that item's rows to fail, naming what is
 * missing, and the others still stand. The drills' evidence is checked after a real drill, in DrillLabTest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckLabTest {

    @RegisterExtension
    static final TestLab LAB = new TestLab("check", config -> config);

    private static final List<String> CONFIGURATION = List.of("targets", "alerting/region-a", "alerting/region-b",
            "permissions", "capacity/region-a", "capacity/region-b", "database", "accelerator/region-a",
            "accelerator/region-b", "deployments/region-a", "deployments/region-b", "healthz/region-a",
            "healthz/region-b");

    /** One check's rows by item (and region), and its exit code. */
    private record Check(int code, Map<String, JsonNode> rows, CliRun.Result result) {

        String status(String item) {
            return row(item).path("status").asString();
        }

        String evidence(String item) {
            return row(item).path("evidence").asString();
        }

        JsonNode row(String item) {
            JsonNode row = rows.get(item);
            if (row == null) {
                throw new AssertionError("no row " + item + " in " + result);
            }
            return row;
        }
    }

    private static Check check(String... more) {
        List<String> args = new ArrayList<>(List.of("check", "--output", "json"));
        args.addAll(List.of(more));
        return parsed(LAB.gafail(args.toArray(String[]::new)));
    }

    /**
     * The check, run by a gafail process of its own: its connections are new ones (in this JVM, a connection
     * an earlier check left open would be taken up again), so the lab's request log sees each request.
     */
    private static Check checkedByAProcess() throws InterruptedException {
        try (GafailProcess gafail = GafailProcess.start(LAB.dir(), Map.of("GAFAIL_TOPOLOGY",
                LAB.lab().topologyFile().toString()), "check", "--output", "json")) {
            int code = gafail.exitCode();
            return parsed(new CliRun.Result(code, gafail.out(), gafail.err()));
        }
    }

    private static Check parsed(CliRun.Result result) {
        JsonNode json = Json.MAPPER.readTree(result.out());
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        json.path("items").forEach(row -> rows.put(row.path("item").asString()
                + (row.has("region") ? "/" + row.path("region").asString() : ""), row));
        return new Check(result.code(), rows, result);
    }

    @Test
    @Order(1)
    void aFreshLabFailsTheDrillItemsAndPassesEveryConfigurationItemWithExit8() {
        Check check = check();

        assertEquals(8, check.code(), check.result().toString());
        for (String item : List.of("failover-drill", "load", "restore")) {
            assertEquals("fail", check.status(item), item + ": " + check.evidence(item));
        }
        assertTrue(check.evidence("failover-drill").contains("no passing failover drill in the last 90 days on record"),
                check.evidence("failover-drill"));
        assertTrue(check.evidence("restore").contains("keeps 1 day(s) of backups"), check.evidence("restore"));
        for (String item : CONFIGURATION) {
            assertEquals("pass", check.status(item), item + ": " + check.evidence(item));
            assertTrue(check.row(item).has("date"), item + " is dated");
        }
        assertTrue(check.evidence("permissions").contains(LabResources.operatorRoleArn()), check.evidence("permissions"));
        assertTrue(check.evidence("capacity/region-b").contains("1 more task(s) need 1 address(es)"),
                "the warm region must start its active count: " + check.evidence("capacity/region-b"));
        assertTrue(check.result().err().contains("3 item(s) failed: failover-drill, load, restore"),
                check.result().err());
    }

    @Test
    @Order(2)
    void markdownIsATableToPasteIntoTheOperationsDoc() {
        CliRun.Result result = LAB.gafail("check", "--output", "markdown");

        assertEquals(8, result.code(), result.toString());
        assertTrue(result.out().contains("| item | region | status | date (UTC) | evidence |"), result.out());
        assertTrue(result.out().contains("| permissions | - | pass |"), result.out());
        assertTrue(result.out().contains("| failover-drill | - | fail | - | no passing failover drill"), result.out());
    }

    @Test
    @Order(3)
    void anActionTakenOutOfTheOperatorsPolicyFailsThePermissionsRowNamingIt() throws Exception {
        Path policy = LAB.lab().topologyFile().resolveSibling(LabResources.OPERATOR_POLICY);
        String whole = Files.readString(policy);
        try {
            Files.writeString(policy, whole.replace("\"ecs:UpdateService\"", "\"ecs:ListServices\""));

            Check check = check();

            assertEquals("fail", check.status("permissions"), check.evidence("permissions"));
            assertTrue(check.evidence("permissions").contains("may not call ecs:UpdateService on arn:aws:ecs:"),
                    check.evidence("permissions"));
            assertEquals("pass", check.status("capacity/region-a"), "the other rows stand");
        } finally {
            Files.writeString(policy, whole);
        }
        assertEquals("pass", check().status("permissions"));
    }

    @Test
    @Order(4)
    void aTopologyWithoutTargetsFailsTheTargetsRowNamingWhatIsMissing() throws Exception {
        String text = Files.readString(LAB.lab().topologyFile());
        String without = text.replaceAll("(?m)^slo:\\n(  .*\\n)+", "").replaceAll("(?m)^recovery: .*\\n", "");
        Path file = Files.writeString(LAB.dir().resolve("no-targets.gafail.yaml"), without);

        Check check = check("--topology", file.toString());

        assertEquals("fail", check.status("targets"), check.evidence("targets"));
        assertTrue(check.evidence("targets").contains("sets no SLO for region-a (slo:), no SLO for region-b (slo:),"
                + " no recovery targets with an owner"), check.evidence("targets"));
    }

    @Test
    @Order(4)
    void aRegionWhoseApiWritesLocallyFailsItsHealthzRowWhenTheTopologySaysBothWriteThroughTheEndpoint()
            throws Exception {
        String text = Files.readString(LAB.lab().topologyFile());
        assertTrue(text.contains("writerEndpoint: true"), text);
        HttpServer local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        local.createContext("/healthz", exchange -> {
            byte[] body = "{\"status\": \"ok\", \"role\": \"reader\", \"writes\": \"local\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        local.start();
        try {
            String regionB = "http://127.0.0.1:" + LAB.lab().edge().regionPort("region-b") + "/healthz";
            assertTrue(text.contains("healthz: " + regionB), text);
            Path file = Files.writeString(LAB.dir().resolve("b-writes-locally.gafail.yaml"), text.replace(
                    "healthz: " + regionB, "healthz: http://127.0.0.1:" + local.getAddress().getPort() + "/healthz"));

            Check check = check("--topology", file.toString());

            assertEquals("fail", check.status("healthz/region-b"), check.evidence("healthz/region-b"));
            assertTrue(check.evidence("healthz/region-b").contains("writes=local, expected HTTP 200,"
                    + " writes=writer-endpoint"), check.evidence("healthz/region-b"));
            assertEquals("pass", check.status("healthz/region-a"), check.evidence("healthz/region-a"));
        } finally {
            local.stop(0);
        }
    }

    @Test
    @Order(5)
    void alarmsWhoseTopicLostItsSubscriberFailTheAlertingRowOfThatRegion() {
        Region awsRegion = Region.of(LabResources.AWS_REGIONS.get("region-b"));
        try (SnsClient sns = SnsClient.builder().endpointOverride(URI.create(LAB.lab().awsEndpoint(awsRegion.id())))
                .region(awsRegion).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            String topic = LabResources.topicArn("region-b");
            sns.listSubscriptionsByTopic(r -> r.topicArn(topic)).subscriptions()
                    .forEach(s -> sns.unsubscribe(r -> r.subscriptionArn(s.subscriptionArn())));

            Check check = check();

            assertEquals("fail", check.status("alerting/region-b"), check.evidence("alerting/region-b"));
            assertTrue(check.evidence("alerting/region-b").contains("topic " + topic + " has no confirmed subscriber"),
                    check.evidence("alerting/region-b"));
            assertEquals("pass", check.status("alerting/region-a"), check.evidence("alerting/region-a"));
        }
    }

    @Test
    @Order(6)
    void aRegionWhoseApisHangFailsItsRowsEachAskedOnceAndTheCheckStillPrintsEveryRow() throws Exception {
        int rows = check().rows().size();
        Instant lost = Instant.now();
        LAB.lab().fail("region-b", Outage.HANG);
        try {
            Check check = checkedByAProcess();

            Map<String, Integer> unanswered = new LinkedHashMap<>();
            for (String line : Files.readAllLines(LAB.lab().topologyFile().resolveSibling(ControlPlane.REQUEST_LOG))) {
                JsonNode request = Json.MAPPER.readTree(line);
                if (request.path("error").asString().equals("unanswered")
                        && !Instant.parse(request.path("time").asString()).isBefore(lost)) {
                    unanswered.merge(request.path("service").asString() + " " + request.path("operation").asString(),
                            1, Integer::sum);
                }
            }
            assertTrue(!unanswered.isEmpty() && unanswered.values().stream().allMatch(n -> n <= 2),
                    "each call to the hung region tried once, not retried (two rows may ask at once): " + unanswered);

            assertEquals(8, check.code(), check.result().toString());
            assertEquals(rows, check.rows().size(), "every row, the lost region's failed: " + check.rows().keySet());
            assertTrue(check.evidence("capacity/region-b").startsWith("did not answer: "),
                    check.evidence("capacity/region-b"));
            for (String item : List.of("capacity/region-b", "deployments/region-b", "healthz/region-b", "database")) {
                assertEquals("fail", check.status(item), item + ": " + check.evidence(item));
            }
            assertEquals("pass", check.status("capacity/region-a"), check.evidence("capacity/region-a"));
            assertEquals("pass", check.status("permissions"), "IAM is global: " + check.evidence("permissions"));
        } finally {
            LAB.lab().heal("region-b");
        }
    }
}
