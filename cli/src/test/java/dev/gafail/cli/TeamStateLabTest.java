package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.TestLab;
import dev.gafail.topology.TopologyLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
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
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * An on-call team sharing the lab's state bucket (Adobe S3Mock), each responder a gafail process with
 * a state folder and AWS keys of its own, so a different identity to the lab's STS: as two laptops.
 * The lock's lease is 10 s here, so that a dead holder's lock goes stale within the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamStateLabTest {

    /**
     * Long enough that the early resume of a killed holder's execution, a few seconds after the kill on a
     * loaded machine, still finds the lease running; short enough that the tests wait for it to end.
     */
    private static final Duration LEASE = Duration.ofSeconds(10);
    /** The traffic stages' holds of the failovers whose shift nobody watches: they only cost time here. */
    private static final String SHORT_HOLDS = "holdFor=1s";

    @RegisterExtension
    static final TestLab LAB = new TestLab("team-state", config -> config);

    private static Path topology;

    /** The lab's topology with the short lease: every responder uses it. */
    @BeforeAll
    static void shortLease() throws Exception {
        topology = LAB.topologyWithLease(LEASE.toSeconds() + "s");
    }

    /** A responder's machine: its own host name, state folder and AWS keys; the team's topology. */
    private static GafailProcess responder(String name, String... args) throws Exception {
        return GafailProcess.start(LAB.laptopHome(name), TestLab.laptop(name, topology), args);
    }

    private static CliRun.Result finished(String name, String... args) throws Exception {
        try (GafailProcess run = responder(name, args)) {
            int code = run.exitCode();
            return new CliRun.Result(code, run.out(), run.err());
        }
    }

    /** A third responder, reading the bucket in this JVM: who watches does not need a process of their own. */
    private static CliRun.Result carol(String... args) throws Exception {
        CliRun run = CliRun.in(LAB.laptopHome("carol"));
        TestLab.laptop("carol", topology).forEach(run::env);
        return run.run(args);
    }

    /** The region that does not write now: where a planned failover goes. */
    private static String target() {
        return LAB.lab().database().primary().equals("region-a") ? "region-b" : "region-a";
    }

    /** The events of {@code execution} as any responder reads them from the bucket. */
    private static List<JsonNode> events(String execution) throws Exception {
        CliRun.Result shown = carol("show", execution, "--output", "json");
        assertEquals(0, shown.code(), shown.toString());
        List<JsonNode> out = new ArrayList<>();
        Json.MAPPER.readTree(shown.out()).path("events").forEach(out::add);
        return out;
    }

    /** The running execution, as another machine finds it in the bucket, once {@code until} holds of its events. */
    private static String awaitRunning(Predicate<List<JsonNode>> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            CliRun.Result history = carol("history", "--output", "json");
            for (JsonNode execution : Json.MAPPER.readTree(history.out())) {
                if (execution.path("status").asString().equals("running")) {
                    String id = execution.path("id").asString();
                    if (until.test(events(id))) {
                        return id;
                    }
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no running execution reached the expected point within 60 s");
    }

    private static Predicate<List<JsonNode>> stepStarted(String step) {
        return events -> events.stream().anyMatch(e -> e.path("type").asString().equals("step-started")
                && e.path("step").asString().equals(step));
    }

    private static List<String> types(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asString().equals(type)).map(e -> e.path("step").asString())
                .toList();
    }

    @Test
    @Order(1)
    void twoRespondersStartingTheSameFailoverAtOnceOneRunsAndTheOtherExits5NamingIt() throws Exception {
        String to = target();
        try (GafailProcess alice = responder("alice", "failover", "--to", to, "--yes", "--set", SHORT_HOLDS);
             GafailProcess bob = responder("bob", "failover", "--to", to, "--yes", "--set", SHORT_HOLDS)) {
            int aliceExit = alice.exitCode();
            int bobExit = bob.exitCode();
            assertEquals(Set.of(0, 5), Set.of(aliceExit, bobExit), "alice: " + alice.err() + "\nbob: " + bob.err());
            GafailProcess loser = aliceExit == 5 ? alice : bob;
            String winnerKey = aliceExit == 5 ? "AKIDBOB" : "AKIDALICE";
            assertTrue(loser.err().contains("another execution holds the lock for topology:lab"), loser.err());
            assertTrue(loser.err().contains("assumed-role/gafail-operator/" + winnerKey), loser.err());
        }
        assertEquals(to, LAB.lab().database().primary());
    }

    @Test
    @Order(2)
    void aHolderKilledMidStepIsResumedFromAnotherMachineOnceItsLeaseEndsWithoutRepeatingAStep() throws Exception {
        String to = target();
        String id;
        try (GafailProcess alice = responder("alice", "failover", "--to", to, "--yes", "--set", SHORT_HOLDS)) {
            // the lab writes through its writer endpoint: the traffic moves first, then the writer
            id = awaitRunning(stepStarted("target-writes"));
            alice.kill();
        }
        List<String> succeededBefore = types(events(id), "step-succeeded");
        assertTrue(succeededBefore.containsAll(List.of("shift-traffic-first", "switch-writer")),
                succeededBefore.toString());

        CliRun.Result early = finished("bob", "resume", id, "--yes");
        assertEquals(5, early.code(), "alice's lease still runs: " + early);
        assertTrue(early.err().contains("assumed-role/gafail-operator/AKIDALICE"), early.err());

        Thread.sleep(LEASE.plusSeconds(1).toMillis());
        CliRun.Result resumed = finished("bob", "resume", id, "--yes");
        assertEquals(0, resumed.code(), resumed.toString());
        List<JsonNode> events = events(id);
        int resumedAt = indexOf(events, "execution-resumed");
        List<String> startedAfter = types(events.subList(resumedAt, events.size()), "step-started");
        for (String done : succeededBefore) {
            assertFalse(startedAfter.contains(done), done + " was done before alice died and redone: " + startedAfter);
        }
        Set<String> succeeded = new HashSet<>();
        types(events, "step-succeeded").forEach(step -> assertTrue(succeeded.add(step), step + " succeeded twice"));
        assertTrue(events.subList(resumedAt, events.size()).stream().anyMatch(e -> e.path("message").asString()
                .startsWith("took over the lock of ") && e.path("message").asString().contains("@laptop-alice")),
                "bob's journal notes the takeover");
        assertEquals(to, LAB.lab().database().primary());
    }

    @Test
    @Order(3)
    void aHolderPausedPastItsLeaseMakesNoAwsCallAndWritesNoEventOnceContinuedAndStopsInOneLine() throws Exception {
        String to = target();
        String id;
        Instant continued;
        try (GafailProcess alice = responder("alice", "failover", "--to", to, "--yes", "--set", SHORT_HOLDS)) {
            id = awaitRunning(stepStarted("shift-traffic-first"));
            signal("STOP", alice.pid());
            Thread.sleep(LEASE.plusSeconds(3).toMillis());
            continued = Instant.now();
            signal("CONT", alice.pid());
            assertEquals(4, alice.exitCode(), alice.err());
            List<String> lines = alice.err().lines().toList();
            String last = lines.get(lines.size() - 1);
            assertTrue(last.startsWith("gafail: stopped: the lease on the lock for topology:lab ran out"), alice.err());
            assertTrue(last.endsWith("To finish: gafail resume " + id), last);
        }
        // A write already under way when she was paused lands when she continues (no client can take back a
        // request it has begun); what she must not do is begin one. An event's time is when it was begun.
        for (JsonNode event : events(id)) {
            assertTrue(Instant.parse(event.path("time").asString()).isBefore(continued),
                    "alice began no event after she continued: " + event);
        }
        assertEquals(List.of(), RegionLossLabTest.requests(LAB.lab(), continued),
                "alice began no AWS call after she continued (the lab logs when a request began to arrive)");

        CliRun.Result resumed = finished("bob", "resume", id, "--yes");
        assertEquals(0, resumed.code(), resumed.toString());
        assertEquals(to, LAB.lab().database().primary());
    }

    @Test
    @Order(4)
    void anotherMachineFollowsEachStepLiveAndAbortsTheHolderAtASafePoint() throws Exception {
        String to = target();
        try (GafailProcess alice = responder("alice", "failover", "--to", to, "--yes")) {
            String id = awaitRunning(stepStarted("scale-target"));
            try (GafailProcess follow = responder("bob", "show", id, "--follow")) {
                awaitRunning(stepStarted("switch-writer"));
                CliRun.Result abort = carol("abort", id, "--reason", "wrong region");
                assertEquals(0, abort.code(), abort.toString());
                assertTrue(abort.out().contains("@laptop-alice"), abort.out());

                assertEquals(4, alice.exitCode(), alice.err());
                assertTrue(alice.err().contains("aborted by "), alice.err());
                assertTrue(alice.err().contains("(wrong region)"), alice.err());
                assertEquals(4, follow.exitCode(), follow.err());
                String seen = follow.out();
                for (String step : List.of("scale-target", "shift-traffic-first", "switch-writer")) {
                    assertTrue(seen.contains(step), step + " in:\n" + seen);
                }
                assertTrue(seen.contains("held by ") && seen.contains("@laptop-alice"), seen);
                assertTrue(seen.contains("applying switch-writer: "), seen);
                assertTrue(seen.contains("notice: aborted by "), seen);
            }
            CliRun.Result resumed = finished("bob", "resume", id, "--yes");
            assertEquals(0, resumed.code(), resumed.toString());
        }
        assertEquals(to, LAB.lab().database().primary());
    }

    @Test
    @Order(5)
    void theTeamsAuditTrailIsInTheBucketNamingEachIdentityAndVerifyFindsARecordAltered() throws Exception {
        CliRun.Result intact = carol("audit", "verify");
        assertEquals(0, intact.code(), intact.toString());
        assertTrue(intact.out().contains("s3://gafail/lab/audit/records/: intact, "), intact.out());
        assertTrue(intact.err().startsWith("protection: Object Lock enabled on the bucket, but the last record carries"
                + " no retention"), "S3Mock reports Object Lock but keeps no retention: " + intact.err());
        JsonNode json = Json.MAPPER.readTree(carol("audit", "verify", "--output", "json").out());
        assertTrue(json.at("/protection/objectLock").asBoolean(), json.toString());
        assertEquals("Off", json.at("/protection/versioning").asString(), json.toString());
        int records = json.path("records").asInt();

        URI endpoint = new TopologyLoader().load(topology).endpoints().get("s3");
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_2).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMALLORY", "s")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String last = "lab/audit/records/%012d.json".formatted(records);
            JsonNode record = Json.MAPPER.readTree(s3.getObjectAsBytes(b -> b.bucket("gafail").key(last)).asUtf8String());
            assertTrue(record.at("/identity/arn").asString().contains("assumed-role/gafail-operator/AKID"),
                    "a record names the AWS identity beside user and host: " + record);
            String forged = s3.getObjectAsBytes(b -> b.bucket("gafail").key(last)).asUtf8String()
                    .replace("\"command\":\"", "\"command\":\"not ");
            s3.putObject(b -> b.bucket("gafail").key(last), RequestBody.fromString(forged));
        }
        CliRun.Result tampered = carol("audit", "verify");
        assertEquals(1, tampered.code(), tampered.toString());
        assertTrue(tampered.err().contains("s3://gafail/lab/audit/records/%012d.json: record %d was altered"
                .formatted(records, records)), tampered.err());
    }

    private static int indexOf(List<JsonNode> events, String type) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).path("type").asString().equals(type)) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " in " + events);
    }

    private static void signal(String name, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor());
    }
}
