package dev.gafail.cli;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeChange;
import dev.gafail.testing.FakeWorld;
import dev.gafail.testing.GafailProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off a terminal (CI, a pipe, a file) a wait of more than 10 s shows as plain lines on stderr with the
 * clock time, what is waited for and how long of how long; stdout stays data, in text and in JSON.
 */
class HeartbeatTest {

    @TempDir
    Path dir;

    private static final Pattern BEAT = Pattern.compile("\\d\\d:\\d\\d:\\d\\d settle: waiting \\d+(\\.\\d)?s of 12s");

    @Test
    void aHoldPipedToAFileBeatsOnStderrAndLeavesStdoutData() throws Exception {
        String hold = resource("runbooks/cli/hold.yaml").toString();
        try (GafailProcess text = GafailProcess.start(Files.createDirectory(dir.resolve("text")), "run", hold, "--yes");
             GafailProcess json = GafailProcess.start(Files.createDirectory(dir.resolve("json")), "run", hold, "--yes",
                     "--output", "json")) {
            assertEquals(0, text.exitCode(), text.err());
            assertEquals(0, json.exitCode(), json.err());

            for (GafailProcess run : List.of(text, json)) {
                List<String> beats = run.err().lines().filter(l -> BEAT.matcher(l).matches()).toList();
                assertFalse(beats.isEmpty(), "a heartbeat during the 12 s hold: " + run.err());
                assertEquals(run.err().lines().count(), beats.size(), "stderr holds the beats alone: " + run.err());
                assertTrue(beats.size() <= 2, "at most one per 10 s: " + beats);
                assertFalse(run.out().contains("waiting"), "stdout is data: " + run.out());
            }
            assertTrue(text.out().contains("✓ settle (control.wait)"), text.out());
            json.out().lines().forEach(line -> assertTrue(Json.MAPPER.readTree(line).has("type"), line));
        }
    }

    @Test
    void aVerifyThatReportedProgressBeatsNoMoreOnceItEnded() throws Exception {
        // The child's verify entry waits 1.5 s, saying so; the parent's hold that follows is all that beats.
        CliRun.Result run = CliRun.in(Files.createDirectory(dir.resolve("verify")))
                .run("run", resource("runbooks/cli/verify-then-hold.yaml").toString(), "--yes");
        assertEquals(0, run.code(), run.toString());
        List<String> beats = run.err().lines().toList();
        assertFalse(beats.isEmpty(), "the hold beats: " + run.err());
        beats.forEach(line -> assertTrue(BEAT.matcher(line).matches(), "only the hold beats: " + run.err()));
    }

    @Test
    void aStepThatSaysNothingWhileItWaitsStillBeats() throws Exception {
        // A retry's backoff (10 to 20 s here) reports no progress: the clock, not the events, drives the beats.
        Path runbook = dir.resolve("backoff.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: backoff, description: "one failed try, then a long backoff"}
                steps:
                  - id: flaky
                    action: test.change
                    with: {key: flaky, failApplies: 1, retryable: true}
                    retry: {attempts: 2, backoff: 20s, maxBackoff: 20s}
                """);
        FakeWorld world = new FakeWorld();
        CliRun.Result run = CliRun.in(Files.createDirectory(dir.resolve("backoff")))
                .actions(target -> BuiltinActions.registry(target, new FakeChange(world)))
                .run("run", runbook.toString(), "--yes");
        assertEquals(0, run.code(), run.toString());
        assertTrue(Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d flaky: attempt 1 failed; trying again in \\S+$")
                .matcher(run.err()).find(), run.err());
    }
}
