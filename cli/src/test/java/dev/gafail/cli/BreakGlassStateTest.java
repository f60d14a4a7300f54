package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.s3.S3Stub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The team's state bucket out of reach: a failover stops before it changes anything, in one line;
 * {@code --state local} breaks the glass, loudly; {@code state push} brings the execution to the bucket
 * once it answers, and never overwrites. AWS is the wire stub, S3 a stub with S3's semantics.
 */
class BreakGlassStateTest {

    private static final String STATE = "state: {s3: {bucket: gafail-state, prefix: team/, region: us-east-2}}\n";

    @TempDir
    Path home;
    private FakeAws aws;
    private S3Stub s3;

    @BeforeEach
    void start() {
        aws = new FakeAws();
        s3 = new S3Stub("gafail-state");
    }

    @AfterEach
    void stop() {
        s3.close();
        aws.close();
    }

    /** The topology, its state bucket reached at {@code s3Url}. */
    private Path topology(String name, String s3Url) throws Exception {
        Path dir = Files.createDirectories(home.resolve(name));
        Path file = aws.writeTopology(dir, Map.of("s3", s3Url));
        Files.writeString(file, Files.readString(file) + STATE);
        return file;
    }

    private CliRun.Result gafail(Path topology, String... args) {
        return CliRun.in(home.resolve("gafail-home")).env("GAFAIL_TOPOLOGY", topology.toString()).run(args);
    }

    @Test
    void anUnreachableBucketStopsTheFailoverInOneLineAndLocalStateBreaksTheGlassUntilItIsPushed() throws Exception {
        Path cutOff = topology("cut-off", "http://127.0.0.1:9");
        String[] failover = {"failover", "--to", "region-b", "--yes", "--set", "holdFor=0s", "--set", "probeInterval=10ms"};

        CliRun.Result refused = gafail(cutOff, failover);
        assertEquals(3, refused.code(), refused.toString());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().startsWith("gafail: cannot take the lock: the state bucket did not answer:"
                + " s3://gafail-state/team/locks/orders-api-"), refused.err());
        assertTrue(refused.err().strip().endsWith("run again with --state local, then later: gafail state push ID"),
                refused.err());
        assertEquals("region-a", aws.writer(), "nothing was changed");

        CliRun.Result local = gafail(cutOff, with(failover, "--state", "local"));
        assertEquals(0, local.code(), local.toString());
        assertTrue((local.out() + local.err()).contains("WARNING: --state local: this execution's lock and journal"
                + " stay on this machine, not in s3://gafail-state/team/"), local.toString());
        assertEquals("region-b", aws.writer());
        Path executions = home.resolve("gafail-home").resolve("executions");
        String id;
        try (var ids = Files.list(executions)) {
            id = ids.findFirst().orElseThrow().getFileName().toString();
        }

        Path answering = topology("answering", s3.url().toString());
        CliRun.Result pushed = gafail(answering, "state", "push", id);
        assertEquals(0, pushed.code(), pushed.toString());
        assertTrue(pushed.out().startsWith("pushed execution " + id + " ("), pushed.out());
        assertTrue(pushed.out().strip().endsWith(" events) to s3://gafail-state/team/"), pushed.out());

        JsonNode history = Json.MAPPER.readTree(gafail(answering, "history", "--output", "json").out());
        assertEquals(id, history.get(0).path("id").asString(), history.toString());
        assertEquals("succeeded", history.get(0).path("status").asString(), history.toString());
        CliRun.Result shown = gafail(answering, "show", id);
        assertEquals(0, shown.code(), shown.toString());
        assertTrue(shown.out().contains("notice: WARNING: --state local"), shown.out());

        CliRun.Result again = gafail(answering, "state", "push", id);
        assertEquals(2, again.code(), again.toString());
        assertEquals("gafail: execution " + id + " is already in s3://gafail-state/team/; nothing was pushed",
                again.err().strip());
    }

    /** The journal in the bucket names the lost region; the resume builds its AWS clients knowing it. */
    @Test
    void anUnplannedFailoverStoppedPartWayIsResumedFromTheBucket() throws Exception {
        Path shared = topology("shared", s3.url().toString());
        aws.failRollout("region-b", "tasks failed to start");
        CliRun.Result stopped = gafail(shared, "failover", "--to", "region-b", "--mode", "unplanned",
                "--allow-data-loss", "--yes", "--set", "probeInterval=10ms");
        assertEquals(1, stopped.code(), stopped.toString());
        assertTrue(stopped.err().contains("gafail resume "), stopped.toString());
        JsonNode history = Json.MAPPER.readTree(gafail(shared, "history", "--output", "json").out());
        String id = history.get(0).path("id").asString();

        // The stub's rollout stays failed, so the step fails again: what matters is that the resume, reading the
        // bucket before it knows the lost region, still builds its AWS clients knowing it, and runs the step.
        CliRun.Result resumed = gafail(shared, "resume", id, "--yes");
        assertTrue(resumed.out().contains("resuming failover-unplanned  execution " + id), resumed.toString());
        assertTrue(resumed.err().contains("step 'scale-target' failed: region-b deployment"), resumed.toString());
        assertFalse(resumed.err().contains("internal error"), resumed.toString());
    }

    private static String[] with(String[] args, String... more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }
}
