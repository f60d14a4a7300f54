package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.aws.IdentityProof;
import dev.gafail.engine.ApprovalVerifier;
import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.TestLab;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * The two-person rule on the lab, whose state is in its S3: a runbook that wants two approvals waits,
 * journalled, until another AWS identity (another access key to the lab's STS) approves its plan from its
 * own machine; the requester cannot; an approval names one plan and expires. The approval prompt is
 * asked at the terminal even when stdout goes through {@code | tee}. The lock's lease is 5 s, so that a
 * killed requester's lock frees within the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApprovalsLabTest {

    private static final Pattern EXECUTION = Pattern.compile("execution (\\S+)");
    /** Long enough for a waiting execution on a loaded machine to read an approval well before it expires. */
    private static final Duration EXPIRY = Duration.ofSeconds(20);

    @RegisterExtension
    static final TestLab LAB = new TestLab("approvals", config -> config);

    private static Path topology;

    /** A runbook of one change, region-b's service to {@code to}, which two people must approve. */
    private static Path runbook(String name, String to, int required) throws Exception {
        Path file = LAB.dir().resolve(name + ".yaml");
        Files.writeString(file, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: %s}
                approvals: {required: %d, expires: %ds}
                steps:
                  - id: scale-b
                    action: ecs.scale
                    with: {region: region-b, to: %s}
                """.formatted(name, required, EXPIRY.toSeconds(), to));
        return file;
    }

    @BeforeAll
    static void shortLease() throws Exception {
        topology = LAB.topologyWithLease("5s");
    }

    private static GafailProcess requester(String... args) throws Exception {
        return GafailProcess.start(LAB.laptopHome("alice"), TestLab.laptop("alice", topology), args);
    }

    private static CliRun.Result as(String name, String... args) throws Exception {
        CliRun run = CliRun.in(LAB.laptopHome(name));
        TestLab.laptop(name, topology).forEach(run::env);
        return run.run(args);
    }

    private static String identity(String name) {
        return "arn:aws:sts::000000000000:assumed-role/gafail-operator/AKID" + name.toUpperCase();
    }

    /** Waits (bounded) until the process's stdout satisfies {@code seen}; returns it. */
    private static String await(GafailProcess process, Predicate<String> seen) throws Exception {
        Instant end = Instant.now().plusSeconds(60);
        while (!seen.test(process.out())) {
            assertTrue(process.isAlive() && Instant.now().isBefore(end), "stdout:\n" + process.out() + "\nstderr:\n"
                    + process.err());
            Thread.sleep(200);
        }
        return process.out();
    }

    private static String waiting(GafailProcess process) throws Exception {
        String out = await(process, o -> o.contains("waiting for 1 more approval"));
        Matcher id = EXECUTION.matcher(out);
        assertTrue(id.find(), out);
        return id.group(1);
    }

    /** Resumes {@code id} as alice once the killed holder's 5 s lease has run out: waiting again. */
    private static GafailProcess resumed(String id) throws Exception {
        Instant end = Instant.now().plusSeconds(40);
        while (true) {
            GafailProcess process = requester("resume", id, "--yes");
            while (process.isAlive() && !process.out().contains("waiting for")) {
                Thread.sleep(200);
            }
            if (process.out().contains("waiting for")) {
                return process;
            }
            int code = process.exitCode();
            assertTrue(code == 5 && Instant.now().isBefore(end), "exit " + code + "\n" + process.out() + process.err());
            process.close();
            Thread.sleep(1000);
        }
    }

    /**
     * What the requester, who can write the bucket, could put there by hand: approvals of the plan waited
     * on in bob's name, one with no proof of identity, one with a proof signed with the requester's own
     * keys. Returns the plan.
     */
    private static String forgeApprovals(String id) throws Exception {
        JsonNode events = Json.MAPPER.readTree(as("carol", "show", id, "--output", "json").out()).path("events");
        String plan = events.valueStream().filter(e -> "approval-requested".equals(e.path("type").asString()))
                .reduce((a, b) -> b).orElseThrow().path("data").path("plan").asString();
        AwsBasicCredentials alice = AwsBasicCredentials.create("AKIDALICE", "secret-of-alice");
        IdentityProof signedByAlice = IdentityProof.sign(alice, "us-east-1",
                URI.create(LAB.lab().awsEndpoint("us-east-1")), ApprovalVerifier.audience(id, plan), Clock.systemUTC());
        try (S3Client s3 = labS3(alice)) {
            for (Map<String, Object> forged : List.of(Map.<String, Object>of("identity", identity("bob"), "by", "bob",
                    "plan", plan), Map.of("identity", identity("bob"), "by", "bob", "plan", plan, "proof",
                    Map.of("us-east-1", signedByAlice.fields())))) {
                s3.putObject(b -> b.bucket("gafail").key("lab/executions/" + id + "/approvals/" + forged.size()
                        + "-by-hand.json"), RequestBody.fromString(Json.MAPPER.writeValueAsString(forged)));
            }
        }
        return plan;
    }

    private static S3Client labS3(AwsBasicCredentials keys) {
        return S3Client.builder().endpointOverride(URI.create(LAB.lab().status().s3().url()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_2).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(keys))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** The team's audit trail as the bucket keeps it, one record per object, in order. */
    private static List<JsonNode> auditTrail() throws Exception {
        try (S3Client s3 = labS3(AwsBasicCredentials.create("AKIDCAROL", "s"))) {
            List<JsonNode> records = new java.util.ArrayList<>();
            for (var object : s3.listObjectsV2Paginator(b -> b.bucket("gafail").prefix("lab/audit/records/"))
                    .contents()) {
                records.add(Json.MAPPER.readTree(s3.getObjectAsBytes(b -> b.bucket("gafail").key(object.key()))
                        .asUtf8String()));
            }
            return records;
        }
    }

    /** A change made meanwhile by someone else, through ECS's own API: the plan is another once it is made. */
    private static void someoneElseScales(String region, int desired) {
        try (EcsClient ecs = EcsClient.builder()
                .endpointOverride(URI.create(LAB.lab().awsEndpoint(Lab.awsRegion(region))))
                .region(software.amazon.awssdk.regions.Region.of(Lab.awsRegion(region)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCAROL", "s")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            ecs.updateService(b -> b.cluster("lab").service("api").desiredCount(desired));
        }
    }

    @Test
    @Order(1)
    void aPlanThatNeedsTwoApprovalsWaitsUntilAnotherIdentityApprovesIt() throws Exception {
        Path scaleUp = runbook("scale-up", "active", 2);
        try (GafailProcess alice = requester("run", scaleUp.toString(), "--yes", "--reason", "drill")) {
            String id = waiting(alice);
            assertEquals(1, LAB.lab().services("region-b").count(), "nothing changes while it waits");
            CliRun.Result shown = as("carol", "show", id);
            assertTrue(shown.out().contains("approval-requested") || shown.out().contains("waiting for 1 more"),
                    shown.toString());

            CliRun.Result self = as("alice", "approve", id, "--yes");
            assertEquals(3, self.code(), self.toString());
            assertTrue(self.err().contains("needs the approval of someone else"), self.toString());
            forgeApprovals(id);
            String out = await(alice, o -> o.contains("does not count: they run this execution"));
            assertTrue(out.contains("the approval kept as " + identity("bob") + "'s does not count: it carries no proof"
                    + " of identity"), out);
            assertTrue(alice.isAlive() && !out.contains("(2 of 2)"), "approvals written by hand count for nothing");

            CliRun.Result other = as("bob", "approve", id, "--plan", "0123456789ab", "--yes");
            assertEquals(3, other.code(), other.toString());
            assertTrue(other.err().contains("the plan changed"), other.toString());

            CliRun.Result approved = as("bob", "approve", id, "--yes", "--reason", "looked at it", "--output", "json");
            assertEquals(0, approved.code(), approved.toString());
            assertTrue(Json.MAPPER.readTree(approved.out()).path("approved").asString().contains("as " + identity("bob")),
                    approved.toString());

            assertEquals(0, alice.exitCode(), alice.out() + alice.err());
            assertTrue(alice.out().contains("(2 of 2)"), alice.out());
            assertEquals(2, LAB.lab().services("region-b").count());
            CliRun.Result journal = as("carol", "show", id, "--output", "json");
            assertTrue(journal.out().contains(identity("bob")) && journal.out().contains("\"approval-granted\""),
                    journal.out());
            List<JsonNode> trail = auditTrail().stream().filter(r -> id.equals(r.path("execution").asString()))
                    .toList();
            assertTrue(trail.stream().anyMatch(r -> "approval-granted".equals(r.path("event").asString())
                    && identity("bob").equals(r.path("approver").asString())), trail.toString());
            assertTrue(trail.stream().anyMatch(r -> "approval-given".equals(r.path("event").asString())
                    && identity("bob").equals(r.at("/identity/arn").asString())
                    && "looked at it".equals(r.path("reason").asString())), "bob's own record: " + trail);
        }
    }

    @Test
    @Order(2)
    void aWaitingExecutionSurvivesSigkillAndAnApprovalOfAnOlderPlanOrAnExpiredOneDoesNotCount() throws Exception {
        Path scaleDown = runbook("scale-down", "warm", 2);
        String id;
        try (GafailProcess alice = requester("run", scaleDown.toString(), "--yes")) {
            id = waiting(alice);
            alice.kill();
        }
        assertEquals(0, as("bob", "approve", id, "--yes").code(), "an approval kept while nobody runs it");
        someoneElseScales("region-b", 3);

        try (GafailProcess alice = resumed(id)) {
            String out = await(alice, o -> o.contains("not for this plan"));
            assertTrue(out.contains("the plan changed since"), out);
            assertTrue(alice.isAlive(), "still waiting:\n" + out);
            alice.kill();
        }
        assertEquals(0, as("bob", "approve", id, "--yes").code());
        Thread.sleep(EXPIRY.plusSeconds(1).toMillis());

        try (GafailProcess alice = resumed(id)) {
            String out = await(alice, o -> o.contains(" expired at "));
            assertTrue(alice.isAlive(), "still waiting:\n" + out);
            assertEquals(0, as("bob", "approve", id, "--yes").code());
            assertEquals(0, alice.exitCode(), alice.out() + alice.err());
            assertEquals(1, LAB.lab().services("region-b").count());
        }
    }

    @Test
    @Order(3)
    void underTeeTheApprovalPromptIsAskedAtTheTerminalAndNamesTopologyAccountAndChanges() throws Exception {
        Path scaleUp = runbook("scale-up-alone", "active", 1);
        Path tee = LAB.dir().resolve("tee.txt");
        try (GafailProcess alice = GafailProcess.startAtTerminal(LAB.laptopHome("alice"),
                TestLab.laptop("alice", topology), "n\n", null, tee, "run", scaleUp.toString())) {
            assertEquals(4, alice.exitCode(), alice.out() + alice.err());
            String terminal = alice.out();
            assertTrue(terminal.contains("topology   lab, AWS account 000000000000"), terminal);
            assertTrue(terminal.contains("scale-b (ecs.scale): "), terminal);
            assertTrue(terminal.contains("Apply 1 change(s) of runbook 'scale-up-alone' to topology 'lab' in AWS"
                    + " account 000000000000? [y/N]"), terminal);
            String piped = Files.readString(tee);
            assertFalse(piped.contains("[y/N]"), "the question goes to the terminal, not into the pipe:\n" + piped);
            assertTrue(piped.contains("not approved"), piped);
        }
        try (GafailProcess piped = GafailProcess.startAtTerminal(LAB.laptopHome("alice"),
                TestLab.laptop("alice", topology), "n\n", "y\n", tee, "run", scaleUp.toString())) {
            assertEquals(4, piped.exitCode(), piped.out());
            assertTrue(piped.out().contains("no terminal to ask") && !piped.out().contains("[y/N]"),
                    "with stdin a pipe, nobody is asked, and the yes on the pipe approves nothing:\n" + piped.out());
        }
        assertEquals(1, LAB.lab().services("region-b").count(), "declined: nothing changed");
    }
}
