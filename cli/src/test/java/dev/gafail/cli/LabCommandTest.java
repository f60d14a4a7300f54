package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.lab.LabConfig;
import dev.gafail.lab.LabState;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.Resources;
import dev.gafail.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** `gafail lab` as a user types it: a supervisor in the background, real processes, stopped by id. */
class LabCommandTest {

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

        new TopologyLoader().load(dir.resolve("gafail.yaml"));
        CliRun.Result topology = gafail("topology", "validate");
        assertTrue(topology.out().contains(dir.resolve("gafail.yaml") + ": topology lab is valid"),
                "a running lab is the topology when no other is configured: " + topology);
        JsonNode status = Json.MAPPER.readTree(gafail("lab", "status", "--output", "json").out());
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

        CliRun.Result badMode = gafail("lab", "fail", "region-a", "--mode", "sideways");
        assertEquals(2, badMode.code(), badMode.toString());
        assertEquals("gafail: --mode sideways: one of hang, blackhole, refuse", badMode.err().strip());
        CliRun.Result failed = gafail("lab", "fail", "region-a", "--mode", "refuse");
        assertEquals(0, failed.code(), failed.toString());
        assertTrue(failed.out().matches("(?s).*region-a\\s+down\\s+down\\s+0\\s[^\\n]*\\srefuse\\s.*"), failed.out());
        JsonNode lost = Json.MAPPER.readTree(gafail("lab", "status", "--output", "json").out());
        assertEquals("refuse", lost.at("/regions/0/apis").asString(), lost.toString());
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
}
