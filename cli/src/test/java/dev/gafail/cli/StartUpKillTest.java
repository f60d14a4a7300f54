package dev.gafail.cli;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.Journals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the start-up window: a real gafail killed just as its execution's folder appears, and a
 * little later each time. Wherever the kill lands, the execution is listed, shown and resumed (or
 * refused) in one line, and its journal, if there is one, begins with its start.
 */
class StartUpKillTest {

    /** Milliseconds between the folder appearing and the kill: the first land in the window, the last past it. */
    private static final List<Integer> DELAYS = List.of(0, 0, 10, 30, 100, 200, 400, 800);

    @TempDir
    Path dir;

    @Test
    void killedAtAnyMomentOfItsStartAnExecutionIsListedShownAndResumedOrRefusedInOneLine() throws Exception {
        String runbook = resource("journals/stops.yaml").toString();
        Map<String, Integer> landed = new TreeMap<>();
        for (int i = 0; i < DELAYS.size(); i++) {
            Path home = dir.resolve("home-" + i);
            try (GafailProcess run = GafailProcess.start(home, "run", runbook, "--set", "ok=true", "--yes")) {
                awaitFolder(home.resolve("executions"));
                TimeUnit.MILLISECONDS.sleep(DELAYS.get(i));
                run.kill();
            }
            List<String> ids = Journals.ids(home);
            if (ids.isEmpty()) {
                landed.merge("before the folder", 1, Integer::sum);
                continue;
            }
            String id = ids.get(0);
            Path journal = home.resolve("executions").resolve(id).resolve("journal.jsonl");
            assertTrue(!Files.exists(journal) || Files.size(journal) > 0, "a journal is never empty");

            CliRun gafail = CliRun.in(home);
            CliRun.Result history = gafail.run("history");
            assertEquals(0, history.code(), history.toString());
            String listed = history.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow(
                    () -> new AssertionError("execution " + id + " is not listed:\n" + history));
            String status = listed.split("\\s+")[1];
            landed.merge(status, 1, Integer::sum);

            CliRun.Result show = gafail.run("show", id);
            assertEquals(0, show.code(), show.toString());
            assertClean(show);

            CliRun.Result resume = gafail.run("resume", id, "--set", "ok=true", "--yes");
            assertClean(resume);
            if (status.equals("did-not-start")) {
                assertEquals(2, resume.code(), resume.toString());
                assertTrue(resume.err().strip().endsWith("there is nothing to resume: start it again"), resume.err());
            } else if (status.equals("interrupted")) {
                assertEquals(0, resume.code(), resume.toString());
            }
        }
        System.out.println("start-up kills landed: " + landed);
    }

    private static void assertClean(CliRun.Result result) {
        assertFalse(result.err().contains("internal error") || result.err().contains("Exception"), result.toString());
        assertTrue(result.err().lines().filter(l -> l.startsWith("gafail: ")).count() <= 1, result.toString());
    }

    private static void awaitFolder(Path executions) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(end)) {
            if (Files.isDirectory(executions)) {
                return;
            }
            Thread.sleep(1); // not a spin: the child JVM needs both cores to start
        }
        throw new AssertionError("no execution folder within 30 s");
    }
}
