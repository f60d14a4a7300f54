package dev.gafail.engine;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journals carry their format. The fixture was written by gafail before formats were recorded
 * (commit 9f54d72): `run journals/interrupted.yaml --yes`, stopped with SIGTERM during the second wait.
 */
class JournalFormatTest {

    private static final String FIXTURE = "20261129-174027-433e";

    @TempDir
    Path home;

    private Path install() throws IOException {
        Path dir = Files.createDirectories(home.resolve("executions").resolve(FIXTURE));
        for (String file : List.of("journal.jsonl", "runbook.yaml")) {
            Files.copy(resource("journals/format-1/" + FIXTURE + "/" + file), dir.resolve(file));
        }
        return dir.resolve("journal.jsonl");
    }

    private static List<Event> events(Path journal) throws IOException {
        return Journal.read(journal).events();
    }

    @Test
    void aJournalWrittenBeforeFormatsWereRecordedResumesWithoutRedoingItsCompletedSteps() throws IOException {
        Path journal = install();
        int before = events(journal).size();

        CliRun.Result resumed = CliRun.in(home).run("resume", FIXTURE, "--set", "hold=0s", "--yes");

        assertEquals(0, resumed.code(), resumed.toString());
        List<Event> after = events(journal).subList(before, events(journal).size());
        assertEquals(EventType.EXECUTION_RESUMED, after.get(0).type());
        assertEquals(Journal.FORMAT, ((Number) after.get(0).get("journalFormat")).intValue(),
                "what this gafail appended is recorded as its format");
        assertEquals(Journal.FORMAT, Journal.format(events(journal)));
        assertTrue(after.stream().noneMatch(e -> "first".equals(e.step())), "the completed step is not redone");
        assertTrue(after.stream().anyMatch(e -> e.type() == EventType.STEP_SUCCEEDED && "second".equals(e.step())),
                after.toString());
    }

    @Test
    void aJournalOfANewerFormatIsRefusedInOneLineAndLeftAsItWas() throws IOException {
        Path journal = install();
        List<String> lines = Files.readAllLines(journal);
        int newer = Journal.FORMAT + 1;
        lines.set(0, lines.get(0).replace("\"data\":{", "\"data\":{\"journalFormat\":" + newer + ","));
        Files.write(journal, lines);
        byte[] written = Files.readAllBytes(journal);

        CliRun.Result refused = CliRun.in(home).run("resume", FIXTURE, "--set", "hold=0s", "--yes");

        assertEquals(2, refused.code(), refused.toString());
        assertEquals("gafail: execution " + FIXTURE + " has a journal of format " + newer + ", newer than this gafail"
                + " reads (up to " + Journal.FORMAT + "): resume it with the gafail that started it; nothing was changed",
                refused.err().strip());
        assertTrue(Arrays.equals(written, Files.readAllBytes(journal)), "the journal is untouched");
    }

    @Test
    void aNewExecutionRecordsItsJournalsFormat() throws IOException {
        CliRun.Result run = CliRun.in(home).run("run", resource("journals/interrupted.yaml").toString(), "--set",
                "hold=0s", "--yes");

        assertEquals(0, run.code(), run.toString());
        try (var executions = Files.list(home.resolve("executions"))) {
            Path journal = executions.findFirst().orElseThrow().resolve("journal.jsonl");
            assertEquals(Journal.FORMAT, ((Number) events(journal).get(0).get("journalFormat")).intValue(),
                    "written in the start event, not inferred from its absence");
        }
    }
}
