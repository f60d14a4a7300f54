package dev.gafail.cli;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.EventType;
import dev.gafail.engine.StopSignal;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.Journals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gafail drill --record FILE} as an operator meets it, with a drill that acts on nothing (so that it
 * needs neither a lab nor AWS): a file rows cannot be added to stops it before anything runs; a drill that
 * ends on its verdict adds one row; a drill stopped on the way adds none, and the resume that ends it, in
 * another directory, adds the row there, once.
 */
class DrillRecordTest {

    private static final String LOG = "# Operating\n\nText the team wrote.\n";

    @TempDir
    Path home;

    /** Where the operator runs gafail. */
    @TempDir
    Path work;

    private final String drill = resource("runbooks/cli/recorded-drill.yaml").toString();
    private Path topology;

    @BeforeEach
    void write() throws IOException {
        topology = Files.copy(resource("dev/gafail/topology/example.gafail.yaml"), home.resolve("gafail.yaml"));
        Files.writeString(work.resolve("OPERATIONS.md"), LOG);
    }

    private CliRun gafail(Path directory) {
        return CliRun.in(home).env("GAFAIL_TOPOLOGY", topology.toString()).workingDirectory(directory);
    }

    private CliRun.Result drill(CliRun gafail, String... more) {
        List<String> args = new ArrayList<>(List.of("drill", "--region", "region-a", "--runbook", drill,
                "--yes"));
        args.addAll(List.of(more));
        return gafail.run(args.toArray(String[]::new));
    }

    /** The lines of {@code file} that are rows of execution {@code id}. */
    private static List<String> rows(Path file, String id) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.contains("`gafail report " + id + "`")).toList();
    }

    @Test
    void aRecordFileInAMissingDirectoryIsExit2NamingItBeforeAnythingRuns() {
        CliRun.Result result = drill(gafail(work), "--record", "missing/OPERATIONS.md");

        assertEquals(2, result.code(), result.toString());
        assertEquals("gafail: --record missing/OPERATIONS.md: no such file or folder: "
                + work.resolve("missing/OPERATIONS.md") + "; nothing was run", result.err().strip());
        assertEquals(List.of(), Journals.ids(home), "no execution");
    }

    @Test
    void aDrillThatEndsOnItsVerdictAddsOneRowEachPassOrFail() throws IOException {
        CliRun.Result passed = drill(gafail(work), "--record", "OPERATIONS.md");

        assertEquals(0, passed.code(), passed.toString());
        assertTrue(passed.out().contains("verdict (verdict): pass") && passed.out().contains("≤ 2m"), passed.out());
        String id = Journals.only(home);
        Path log = work.resolve("OPERATIONS.md");
        List<String> rows = rows(log, id);
        assertEquals(1, rows.size(), Files.readString(log));
        assertTrue(rows.get(0).contains("| drain | " + System.getProperty("user.name") + "@"), rows.get(0));
        assertTrue(rows.get(0).contains(" | 40s (≤ 2m) | 0ms (≤ 0s) | pass | "), rows.get(0));
        assertTrue(Files.readString(log).startsWith(LOG + "\n" + DrillLog.HEADING + "\n"), Files.readString(log));
        assertTrue(passed.err().contains("drill log: added the row of " + id + " to " + log), passed.err());

        CliRun.Result failed = drill(gafail(work), "--record", "OPERATIONS.md", "--set", "rto=3m");

        assertEquals(8, failed.code(), failed.toString());
        // Ids sort by the second they began in, then at random: within one second, either may come first.
        String second = Journals.ids(home).stream().filter(other -> !other.equals(id)).findFirst().orElseThrow();
        assertTrue(rows(log, second).get(0).contains(" | 3m (≤ 2m) | 0ms (≤ 0s) | fail: RTO | "),
                Files.readString(log));
        assertEquals(1, rows(log, id).size());
    }

    @Test
    void aDrillStoppedOnTheWayAddsNoRowAndTheResumeThatEndsItAddsItOnceWhereItRuns() throws Exception {
        StopSignal stop = new StopSignal();
        Thread operator = new Thread(() -> {
            try {
                Journals.awaitEvent(home, e -> e.type() == EventType.STEP_STARTED && "degrade".equals(e.step()),
                        Duration.ofSeconds(20));
                stop.request("SIGINT");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        operator.start();
        CliRun.Result stopped = drill(gafail(work).stop(stop), "--record", "OPERATIONS.md", "--set", "fault=1m");
        operator.join();

        assertEquals(4, stopped.code(), stopped.toString());
        assertEquals(LOG, Files.readString(work.resolve("OPERATIONS.md")), "no verdict, no row");
        String id = Journals.only(home);
        Path elsewhere = Files.createDirectory(home.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("OPERATIONS.md"), LOG);

        CliRun.Result resumed = gafail(elsewhere).run("resume", id, "--set", "fault=1ms", "--yes");

        assertEquals(0, resumed.code(), resumed.toString());
        List<String> rows = rows(elsewhere.resolve("OPERATIONS.md"), id);
        assertEquals(1, rows.size(), "the relative path, where the resume runs");
        String startedAt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC)
                .format(Journals.events(home, id).get(0).time());
        assertTrue(rows.get(0).startsWith("| " + startedAt + " | drain | "), "dated when it started: " + rows.get(0));
        assertEquals(LOG, Files.readString(work.resolve("OPERATIONS.md")));

        CliRun.Result again = gafail(elsewhere).run("resume", id, "--yes");

        assertEquals(2, again.code(), again.toString());
        assertEquals(rows, rows(elsewhere.resolve("OPERATIONS.md"), id), "never twice");
    }
}
