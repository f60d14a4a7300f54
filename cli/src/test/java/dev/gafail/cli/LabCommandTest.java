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

        CliRun.Result failed = gafail("lab", "fail", "region-b");
        assertEquals(0, failed.code(), failed.toString());
        assertTrue(failed.out().matches("(?s).*region-b\\s+down\\s+down\\s+0.*"), failed.out());
        CliRun.Result unknown = gafail("lab", "fail", "region-z");
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("the lab's regions are [region-a, region-b]"), unknown.err());
        CliRun.Result healed = gafail("lab", "heal", "region-b");
        assertTrue(healed.out().matches("(?s).*region-b\\s+reader\\s+up\\s+1.*"), healed.out());
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
