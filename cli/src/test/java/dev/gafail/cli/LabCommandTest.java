package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.engine.Json;
import dev.gafail.lab.LabConfig;
import dev.gafail.lab.LabState;
import dev.gafail.lab.aws.LabResources;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.Listeners;
import dev.gafail.testing.Resources;
import dev.gafail.topology.StateBucket;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.ExperimentStatus;
import software.amazon.awssdk.services.globalaccelerator.GlobalAcceleratorClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import tools.jackson.databind.JsonNode;

/** `gafail lab` as a user types it: a supervisor in the background, real processes, stopped by id. */
class LabCommandTest {

    private static final String LOCK = "lab/lock";

    @TempDir
    Path home;

    private CliRun.Result gafail(String... args) {
        return CliRun.in(home).env(LabConfig.JAR_ENV, Resources.repository().resolve("sample-api/target/sample-api.jar")
                .toString()).run(args);
    }

    private static List<Long> descendantsOf(long pid) {
        return ProcessHandle.of(pid).map(p -> p.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    @Test
    void onAPlatformWithoutPackagedServersLabUpAndTheDemoSayWhatIsMissingAndStartNothing() throws Exception {
        for (List<String> command : List.of(List.of("lab", "up"), List.of("demo"))) {
            try (GafailProcess gafail = GafailProcess.start(home, List.of("-Dos.name=Linux", "-Dos.arch=s390x"),
                    command.toArray(String[]::new))) {
                assertEquals(2, gafail.exitCode(), command + ": " + gafail.err());
                assertEquals("gafail: no PostgreSQL server binaries and no Valkey/Redis server (GAFAIL_VALKEY_SERVER"
                        + " may name one) for this platform, linux-s390x: gafail packages them for linux-amd64,"
                        + " linux-arm64, macos-amd64, macos-arm64", gafail.err().strip(), command.toString());
                assertEquals("", gafail.out(), command.toString());
            }
            assertFalse(Files.exists(home.resolve("lab")), command + " started nothing, not even the lab's folder");
        }
    }

    @Test
    void globalAcceleratorAloneTurnsItsDialsWritesATopologyForTheEmulatorAndRefusesTheRest() throws Exception {
        Path dir = home.resolve("lab");
        for (List<String> wrong : List.of(List.of("--emulator", "http://127.0.0.1:5000"),
                List.of("--only", "s3", "--emulator", "http://127.0.0.1:5000"), List.of("--only", "globalaccelerator"),
                List.of("--only", "globalaccelerator", "--emulator", "http://127.0.0.1:5000", "--instances", "2"),
                List.of("--only", "globalaccelerator", "--emulator", "ftp://127.0.0.1:5000"))) {
            List<String> command = new ArrayList<>(List.of("lab", "up"));
            command.addAll(wrong);
            CliRun.Result refused = gafail(command.toArray(String[]::new));
            assertEquals(2, refused.code(), refused.toString());
            assertFalse(Files.exists(dir), wrong + ": nothing started");
        }
        CliRun.Result up = gafail("lab", "up", "--only", "globalaccelerator", "--emulator", "http://127.0.0.1:5000");
        assertEquals(0, up.code(), up.toString());
        try {
            String topology = Files.readString(dir.resolve("gafail.yaml"));
            assertTrue(topology.contains("  default: \"http://127.0.0.1:5000\"\n"), topology);
            assertTrue(gafail("topology", "validate").out().contains("topology lab is valid"), topology);
            JsonNode status = Json.MAPPER.readTree(gafail("lab", "status", "--output", "json").out());
            assertEquals("globalaccelerator", status.path("only").asString(), status.toString());
            try (GlobalAcceleratorClient accelerator = GlobalAcceleratorClient.builder()
                    .endpointOverride(URI.create(status.at("/accelerator/url").asString())).region(Region.US_WEST_2)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                accelerator.updateEndpointGroup(b -> b.endpointGroupArn(LabResources.endpointGroupArn("region-b"))
                        .trafficDialPercentage(40f));
                assertEquals("HEALTHY", accelerator.describeEndpointGroup(b -> b.endpointGroupArn(
                        LabResources.endpointGroupArn("region-b"))).endpointGroup().endpointDescriptions().get(0)
                        .healthStateAsString(), "a stand-in endpoint answers its health checks");
            }
            assertEquals(40, Json.MAPPER.readTree(gafail("lab", "status", "--output", "json").out())
                    .at("/regions/1/dial").asInt(), "the dial turned");
            CliRun.Result fail = gafail("lab", "fail", "region-a");
            assertEquals(2, fail.code(), fail.toString());
            assertTrue(fail.err().contains("serves Global Accelerator's control plane alone"), fail.err());
        } finally {
            assertEquals(0, gafail("lab", "down").code());
        }
        assertFalse(LabState.read(dir).orElseThrow().supervisorAlive(), "stopped");
    }

    @Test
    void upTokenFailHealDownAndACrashedSupervisorCleanedUp() throws Exception {
        Path dir = home.resolve("lab");
        CliRun.Result elsewhere = gafail("lab", "up", "--accelerator-region", "eu-west-1");
        assertEquals(2, elsewhere.code(), elsewhere.toString());
        assertEquals("gafail: --accelerator-region eu-west-1: one of the lab's AWS regions, us-east-1, us-west-2",
                elsewhere.err().strip());
        assertFalse(Files.exists(dir), "nothing started");
        CliRun.Result up = gafail("lab", "up", "--instances", "1");
        assertEquals(0, up.code(), up.toString());
        assertTrue(up.out().contains("lab ready in"), up.out());

        Topology loaded = new TopologyLoader().load(dir.resolve("gafail.yaml"));
        CliRun.Result topology = gafail("topology", "validate");
        assertTrue(topology.out().contains(dir.resolve("gafail.yaml") + ": topology lab is valid"),
                "a running lab is the topology when no other is configured: " + topology);
        assertEquals(Optional.of(new StateBucket("gafail", "lab/", "us-east-2", StateBucket.DEFAULT_LEASE,
                new StateBucket.AuditRetention("COMPLIANCE", 1))), loaded.stateBucket(),
                "the team's state is in the lab's S3, in a third AWS region; audit records retained a day");
        JsonNode status = Json.MAPPER.readTree(gafail("lab", "status", "--output", "json").out());
        URI s3 = loaded.endpoints().get("s3");
        assertEquals(s3.toString(), status.at("/s3/url").asString(), status.toString());
        assertEquals("up", status.at("/s3/state").asString(), status.toString());
        assertTrue(gafail("lab", "status").out().contains("S3 (the team's state, s3://gafail/lab/) up in us-east-2 "
                + s3), "lab status shows the S3 as it shows the other parts");
        try (S3Client client = s3(s3)) {
            client.putObject(b -> b.bucket("gafail").key(LOCK).ifNoneMatch("*"), RequestBody.fromString("holder A"));
            S3Exception taken = assertThrows(S3Exception.class, () -> client.putObject(b -> b.bucket("gafail")
                    .key(LOCK).ifNoneMatch("*"), RequestBody.fromString("holder B")));
            assertEquals(412, taken.statusCode(), "a conditional create of a key that exists");
            assertEachRaceHasOneWinner(client);
        }
        assertTrue(Files.isDirectory(dir.resolve("s3").resolve("buckets").resolve("gafail")),
                "the S3's objects are in the lab folder");
        assertOnlyLoopback(LabState.read(dir).orElseThrow().supervisorPid(), s3);
        String edge = status.path("edge").asString();
        String token = gafail("lab", "token").out().strip();
        assertEquals(1, token.lines().count());
        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(edge
                + "/api/v1/notes")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode(), list.body());

        CliRun.Result again = gafail("lab", "up");
        assertEquals(1, again.code(), again.toString());
        assertTrue(again.err().contains("a lab is already running in " + dir), again.err());

        String topologyText = Files.readString(dir.resolve("gafail.yaml"));
        URI east = URI.create(topologyText.replaceAll("(?s).*us-east-1: \"([^\"]+)\".*", "$1"));
        HttpResponse<String> identity = HttpClient.newHttpClient().send(HttpRequest.newBuilder(east)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sts/aws4_request,"
                        + " SignedHeaders=host, Signature=00")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, identity.statusCode(), identity.body());
        CliRun.Result requests = gafail("lab", "requests");
        assertTrue(requests.out().matches("(?s).*\\sus-east-1\\s+us-east-1\\s+sts\\s+GetCallerIdentity\\s+awsQuery\\s+200\\n.*"),
                requests.toString());
        assertEquals("", gafail("lab", "requests", "--region", "us-west-2", "--output", "json").out(),
                "nothing reached us-west-2's ports");
        JsonNode logged = Json.MAPPER.readTree(gafail("lab", "requests", "--region", "us-east-1", "--output", "json")
                .out());
        assertEquals("GetCallerIdentity", logged.path("operation").asString(), logged.toString());
        GetCallerIdentityResponse one = identity(loaded.endpoints().get("us-east-1"), "AKIDRESPONDERONE");
        GetCallerIdentityResponse two = identity(loaded.endpoints().get("us-east-1"), "AKIDRESPONDERTWO");
        assertEquals("arn:aws:sts::000000000000:assumed-role/gafail-operator/AKIDRESPONDERONE", one.arn());
        assertEquals("AROALABGAFAILOPERATOR:AKIDRESPONDERONE", one.userId());
        assertEquals("arn:aws:sts::000000000000:assumed-role/gafail-operator/AKIDRESPONDERTWO", two.arn(),
                "another key pair, another responder");
        assertEquals(one.account(), two.account(), "one account");

        CliRun.Result badMode = gafail("lab", "fail", "region-a", "--mode", "sideways");
        assertEquals(2, badMode.code(), badMode.toString());
        assertEquals("gafail: --mode sideways: one of hang, blackhole, refuse", badMode.err().strip());
        CliRun.Result failed = gafail("lab", "fail", "region-a", "--mode", "refuse");
        assertEquals(0, failed.code(), failed.toString());
        assertTrue(failed.out().matches("(?s).*region-a\\s+down\\s+down\\s+0\\s[^\\n]*\\srefuse\\s.*"), failed.out());
        JsonNode lost = Json.MAPPER.readTree(gafail("lab", "status", "--output", "json").out());
        assertEquals("refuse", lost.at("/regions/0/apis").asString(), lost.toString());
        assertEquals("up", lost.at("/s3/state").asString(), "the S3 is in a third region: " + lost);
        try (S3Client client = s3(s3)) {
            client.headObject(b -> b.bucket("gafail").key(LOCK));
        }
        assertEquals("up", lost.at("/accelerator/controlPlane").asString(), "GA's control plane is us-west-2's");
        CliRun.Result unknown = gafail("lab", "fail", "region-z");
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("the lab's regions are [region-a, region-b]"), unknown.err());
        CliRun.Result healed = gafail("lab", "heal", "region-a");
        assertTrue(healed.out().matches("(?s).*region-a\\s+writer\\s+up\\s+1\\s[^\\n]*\\sup\\s+http.*"), healed.out());
        CliRun.Result acceleratorLost = gafail("lab", "fail", "global-accelerator");
        assertEquals(0, acceleratorLost.code(), acceleratorLost.toString());
        assertTrue(acceleratorLost.out().contains("Global Accelerator's control plane hang in us-west-2"),
                acceleratorLost.out());
        assertTrue(gafail("lab", "heal", "global-accelerator").out().contains("control plane up in us-west-2"));
        CliRun.Result stalled = gafail("lab", "stall", "region-a");
        assertTrue(stalled.out().matches("(?s).*region-a\\s+writer\\s+.*\\sstalled\\s.*"), stalled.out());
        assertFalse(gafail("lab", "heal", "region-a").out().contains("stalled"), "heal resumes replication");
        assertAnExperimentShowsUntilHealEndsIt(loaded.endpoints().get("us-east-1"));

        // A supervisor that dies leaves its parts; the next `lab up` stops them by id.
        LabState state = LabState.read(dir).orElseThrow();
        List<Long> parts = new ArrayList<>(descendantsOf(state.supervisorPid()));
        ProcessHandle supervisorProcess = ProcessHandle.of(state.supervisorPid()).orElseThrow();
        supervisorProcess.destroyForcibly();
        supervisorProcess.onExit().join();
        CliRun.Result restarted = gafail("lab", "up", "--instances", "1");
        assertEquals(0, restarted.code(), restarted.toString());
        assertTrue(restarted.out().contains("left by a lab whose supervisor died"), restarted.out());
        parts.forEach(pid -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                () -> "stale part " + pid + ": " + ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("")));
        URI s3Again = URI.create(Json.MAPPER.readTree(gafail("lab", "status", "--output", "json").out()).at("/s3/url")
                .asString());
        try (S3Client client = s3(s3Again)) {
            assertEquals("holder A", client.getObjectAsBytes(b -> b.bucket("gafail").key(LOCK)).asUtf8String(),
                    "the team's state outlives a lab whose supervisor died");
        }

        long supervisor = LabState.read(dir).orElseThrow().supervisorPid();
        List<Long> running = descendantsOf(supervisor);
        assertTrue(running.size() >= 4, "postgres x2 and sample-api x2 at least: " + running);
        CliRun.Result down = gafail("lab", "down");
        assertEquals(0, down.code(), down.toString());
        assertFalse(ProcessHandle.of(supervisor).map(ProcessHandle::isAlive).orElse(false));
        running.forEach(pid -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "process " + pid + " left after down"));
        assertEquals(2, gafail("lab", "status").code());
    }

    /**
     * A FIS experiment started through region-a's own endpoint shows in {@code lab status} (text and
     * JSON, with its 5 minutes), as the message published to region-a's topic counts there, until {@code
     * lab heal region-a} stops it.
     */
    private void assertAnExperimentShowsUntilHealEndsIt(URI east) throws Exception {
        try (FisClient fis = FisClient.builder().endpointOverride(east).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
             SnsClient sns = SnsClient.builder().endpointOverride(east).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            String id = fis.startExperiment(b -> b.experimentTemplateId("EXTlabareplica01")).experiment().id();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (fis.getExperiment(b -> b.id(id)).experiment().state().status() != ExperimentStatus.RUNNING) {
                assertTrue(System.nanoTime() < until, "the experiment never ran");
                Thread.sleep(100);
            }
            sns.publish(b -> b.topicArn("arn:aws:sns:us-east-1:000000000000:gafail-lab").message("drill started"));
            CliRun.Result running = gafail("lab", "status");
            assertTrue(running.out().matches("(?s).*\\n" + id + "\\s+EXTlabareplica01\\s+replication-stall\\s+region-a"
                    + "\\s+us-east-1\\s+running\\s.*"), running.out());
            assertTrue(running.out().matches("(?s).*region-a\\s+writer\\s+.*\\sstalled\\s.*"), running.out());
            assertTrue(running.out().contains("SNS topic arn:aws:sns:us-east-1:000000000000:gafail-lab received 1"
                    + " message(s)"), running.out());
            JsonNode shown = Json.MAPPER.readTree(gafail("lab", "status", "--output", "json").out());
            JsonNode experiment = shown.at("/experiments/0");
            assertEquals(id, experiment.path("id").asString(), shown.toString());
            assertEquals("region-a", experiment.path("region").asString());
            assertEquals(Duration.ofMinutes(5), Duration.between(Instant.parse(experiment.path("since").asString()),
                    Instant.parse(experiment.path("until").asString())), "the lab's experiments last 5 minutes");
            assertEquals(1, shown.at("/sns/topics/0/messages").asInt(), shown.toString());

            CliRun.Result healed = gafail("lab", "heal", "region-a");
            assertTrue(healed.out().contains("FIS experiments: none running"), healed.out());
            assertFalse(healed.out().contains("stalled"), healed.out());
            assertEquals(ExperimentStatus.STOPPED, fis.getExperiment(b -> b.id(id)).experiment().state().status());
        }
    }

    /** The real SDK's S3 client as gafail's state backend will use it on the lab: path-style, the bucket's region. */
    /**
     * Twenty writers creating one key at once, ten times: exactly one 200 each time, as at S3 (S3Mock
     * alone let up to ten win; the lab's filter in front of its writes makes them atomic).
     */
    private static void assertEachRaceHasOneWinner(S3Client client) throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(20);
        try {
            for (int round = 0; round < 10; round++) {
                String key = "lab/race/" + round;
                CyclicBarrier start = new CyclicBarrier(20);
                List<Future<Boolean>> wins = new ArrayList<>();
                for (int racer = 0; racer < 20; racer++) {
                    String body = "racer " + racer;
                    wins.add(racers.submit(() -> {
                        start.await();
                        try {
                            client.putObject(b -> b.bucket("gafail").key(key).ifNoneMatch("*"), RequestBody.fromString(body));
                            return true;
                        } catch (S3Exception e) {
                            assertEquals(412, e.statusCode(), e.toString());
                            return false;
                        }
                    }));
                }
                int winners = 0;
                for (Future<Boolean> win : wins) {
                    winners += win.get() ? 1 : 0;
                }
                assertEquals(1, winners, "round " + round + ": writers that created " + key);
            }
        } finally {
            racers.shutdownNow();
        }
    }

    private static S3Client s3(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_2)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    /** Who the lab's STS says signs with {@code accessKeyId}. */
    private static GetCallerIdentityResponse identity(URI endpoint, String accessKeyId) {
        try (StsClient sts = StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, "secret-of-" + accessKeyId))).build()) {
            return sts.getCallerIdentity();
        }
    }

    /**
     * Nothing the lab started (its supervisor and every process under it) listens beyond 127.0.0.1, S3Mock's
     * second connector included: its process holds two listeners, the one {@code s3} names and that one.
     */
    private static void assertOnlyLoopback(long supervisor, URI s3) {
        if (!Listeners.readable()) {
            return; // no /proc (macOS): the check is Linux's, where CI runs; the rest of the test goes on
        }
        List<Long> pids = new ArrayList<>(descendantsOf(supervisor));
        pids.add(supervisor);
        List<Listeners.Listener> listeners = Listeners.of(pids);
        assertEquals(List.of(), listeners.stream().filter(l -> !l.loopback()).toList(), "beyond 127.0.0.1");
        long server = listeners.stream().filter(l -> l.address().getPort() == s3.getPort()).findFirst()
                .orElseThrow(() -> new AssertionError("no listener on the S3's port: " + listeners)).pid();
        assertEquals(2, listeners.stream().filter(l -> l.pid() == server).count(), "S3Mock's two connectors: "
                + listeners);
    }
}
