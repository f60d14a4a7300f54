package dev.gafail.cli;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Journal;
import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.Journals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Journals as crashes, full disks and broken filesystems leave them: a torn last line, a journal with
 * no start, a corrupt line. Each is reported in one line, and none stops the others from being listed.
 */
class JournalDamageTest {

    /** An id as gafail makes them, for executions put in place by hand. */
    private static final String ID = "20261124-031502-9f3a";

    @TempDir
    Path dir;

    private final String stops = resource("journals/stops.yaml").toString();

    private Path home() {
        return dir.resolve("home");
    }

    private CliRun gafail() {
        return CliRun.in(home());
    }

    private Path journal(String id) {
        return home().resolve("executions").resolve(id).resolve("journal.jsonl");
    }

    /** How the journal's last line may end up torn: cut by a full disk, or replaced by what a crashed filesystem leaves. */
    static Stream<String> tears() throws IOException {
        try (Stream<Path> files = Files.list(resource("journals/torn-tails"))) {
            return Stream.concat(Stream.of("cut-in-half", "cut-before-its-newline"),
                    files.map(f -> f.getFileName().toString()).sorted().toList().stream());
        }
    }

    /** Tears the journal's last line as {@code tear} says; returns the torn bytes left behind. */
    private static byte[] tear(Path journal, String tear) throws IOException {
        byte[] bytes = Files.readAllBytes(journal);
        int end = bytes.length - 1;
        int start = end;
        while (start > 0 && bytes[start - 1] != '\n') {
            start--;
        }
        byte[] torn = switch (tear) {
            case "cut-in-half" -> Arrays.copyOfRange(bytes, start, start + (end - start) / 2);
            case "cut-before-its-newline" -> Arrays.copyOfRange(bytes, start, end);
            default -> Files.readAllBytes(resource("journals/torn-tails/" + tear));
        };
        byte[] damaged = Arrays.copyOf(bytes, start + torn.length);
        System.arraycopy(torn, 0, damaged, start, torn.length);
        Files.write(journal, damaged);
        return torn;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tears")
    void aTornLastLineIsSetAsideOnResumeAndHistoryShowAndASecondResumeWork(String tear) throws Exception {
        // A real process stops on the failed check and exits; then its last line is torn, as a full disk does.
        GafailProcess run = GafailProcess.start(home(), "run", stops, "--yes");
        assertEquals(1, run.exitCode(), run.err());
        String id = Journals.only(home());
        byte[] torn = tear(journal(id), tear);

        CliRun.Result before = gafail().run("show", id);
        assertEquals(0, before.code(), before.toString());
        assertTrue(before.out().contains("the journal's last line was torn (" + torn.length + " bytes;"), before.out());

        CliRun.Result first = gafail().run("resume", id, "--yes");
        assertEquals(1, first.code(), first.toString());
        assertTrue(first.err().contains("step 'check' failed: not ok yet; stopped."), first.err());
        Journal.Contents contents = Journal.read(journal(id));
        assertEquals(0, contents.tornBytes(), "the torn line is out of the journal");
        Event notice = contents.events().stream().filter(e -> e.type() == EventType.NOTICE).findFirst().orElseThrow();
        String aside = notice.text("setAsideIn");
        assertEquals("the journal's last line was torn (" + torn.length + " bytes) and was set aside in " + aside,
                notice.message());
        assertArrayEquals(torn, Files.readAllBytes(journal(id).resolveSibling(aside)), "and kept beside it");

        CliRun.Result history = gafail().run("history", "--output", "json");
        assertEquals(0, history.code(), history.toString());
        JsonNode listed = Json.MAPPER.readTree(history.out());
        assertEquals(id, listed.get(0).get("id").asString());
        assertEquals("failed", listed.get(0).get("status").asString());

        CliRun.Result show = gafail().run("show", id);
        assertEquals(0, show.code(), show.toString());
        assertTrue(show.out().contains("notice: the journal's last line was torn (" + torn.length + " bytes) and was"
                + " set aside in " + aside), show.out());

        CliRun.Result second = gafail().run("resume", id, "--set", "ok=true", "--yes");
        assertEquals(0, second.code(), second.toString());
        List<Event> events = Journals.events(home(), id);
        int lastResume = 0;
        for (int i = 0; i < events.size(); i++) {
            lastResume = events.get(i).type() == EventType.EXECUTION_RESUMED ? i : lastResume;
        }
        assertTrue(events.subList(lastResume, events.size()).stream().noneMatch(e -> "one".equals(e.step())),
                "the step completed before the tear is not redone");
        assertEquals("succeeded", events.get(events.size() - 1).text("status"));
    }

    @ParameterizedTest(name = "file size limit {0} KiB")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3, 4, 5})
    void aFullDiskStopsTheExecutionInOneLineAndLeavesOnlyWholeLines(int kib) throws Exception {
        String waits = resource("runbooks/engine/waits.yaml").toString();
        GafailProcess run = GafailProcess.startWithFileSizeLimit(home(), kib, "run", waits, "--set", "each=1ms",
                "--yes");

        assertEquals(1, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().matches("gafail: cannot write (journal|the audit log) .*: File too large .*\\s*"),
                run.err());
        String id = Journals.only(home());
        byte[] bytes = Files.readAllBytes(journal(id));
        assertEquals('\n', bytes[bytes.length - 1], "the line the full disk cut was cut back out");
        assertEquals(0, Journal.read(journal(id)).tornBytes());

        CliRun.Result resumed = gafail().run("resume", id, "--yes");
        assertEquals(0, resumed.code(), resumed.toString());
        assertEquals(0, gafail().run("history").code());
        assertEquals(0, gafail().run("show", id).code());
    }

    /** Folders as a start-up killed at each of its moments leaves them, by this gafail or an older one. */
    static Stream<String> startsThatNeverReachedTheJournal() {
        return Stream.of("empty folder", "runbook copy only", "journal not yet renamed", "empty journal",
                "journal of one torn line");
    }

    private void notStarted(String state) throws IOException {
        Path folder = Files.createDirectories(home().resolve("executions").resolve(ID));
        if (!state.equals("empty folder")) {
            Files.copy(Path.of(stops), folder.resolve("runbook.yaml"));
        }
        switch (state) {
            case "journal not yet renamed" -> Files.writeString(folder.resolve("journal.jsonl.new"),
                    "{\"type\":\"execution-started\",\"time\":\"2026-11-24T03:15:02Z\",\"execution\":\"" + ID + "\"}\n");
            case "empty journal" -> Files.createFile(folder.resolve("journal.jsonl"));
            case "journal of one torn line" -> Files.write(folder.resolve("journal.jsonl"),
                    Files.readAllBytes(resource("journals/torn-tails/nul-bytes.bin")));
            default -> { }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("startsThatNeverReachedTheJournal")
    void anExecutionWhoseStartWasNeverJournalledIsListedShownAndRefusedInOneLine(String state) throws IOException {
        notStarted(state);

        CliRun.Result history = gafail().run("history");
        assertEquals(0, history.code(), history.toString());
        assertTrue(history.out().lines().anyMatch(l -> l.startsWith(ID) && l.contains("did-not-start")), history.out());

        CliRun.Result show = gafail().run("show", ID);
        assertEquals(0, show.code(), show.toString());
        assertEquals("execution " + ID + " did not start: the process ended before the execution's start was"
                + " journalled, so nothing was done", show.out().strip());

        CliRun.Result resume = gafail().run("resume", ID, "--yes");
        assertEquals(2, resume.code(), resume.toString());
        assertEquals("gafail: execution " + ID + " did not start: the process ended before the execution's start was"
                + " journalled, so nothing was done; there is nothing to resume: start it again", resume.err().strip());
    }

    static Stream<String> corruptLines() throws IOException {
        try (Stream<Path> files = Files.list(resource("journals/corrupt-lines"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptLines")
    void aCorruptJournalIsNamedInOneLineAndTheOthersAreStillListed(String line) throws Exception {
        String waits = resource("runbooks/engine/waits.yaml").toString();
        assertEquals(0, gafail().run("run", waits, "--set", "each=1ms", "--yes").code());
        assertEquals(0, gafail().run("run", waits, "--set", "each=1ms", "--yes").code());
        List<String> good = Journals.ids(home());
        notStarted("empty journal");
        String broken = "20261124-031503-dead";
        Path corrupt = Files.createDirectories(home().resolve("executions").resolve(broken)).resolve("journal.jsonl");
        Files.write(corrupt, Files.readAllLines(journal(good.get(0))).subList(0, 2));
        Files.write(corrupt, Files.readAllBytes(resource("journals/corrupt-lines/" + line)), StandardOpenOption.APPEND);
        Files.write(corrupt, Files.readAllLines(journal(good.get(0))).subList(2, 4), StandardOpenOption.APPEND);
        byte[] written = Files.readAllBytes(corrupt);

        CliRun.Result history = gafail().run("history");

        assertEquals(1, history.code(), history.toString());
        for (String id : good) {
            assertTrue(history.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("succeeded")), history.out());
        }
        assertTrue(history.out().contains(ID), "the one that did not start is listed too: " + history.out());
        assertFalse(history.out().contains(broken), history.out());
        assertEquals(1, history.err().lines().count(), history.err());
        assertTrue(history.err().startsWith("gafail: cannot read the journal of " + broken + ": " + corrupt
                + ":3: journal line is not "), history.err());

        for (CliRun.Result refused : List.of(gafail().run("show", broken), gafail().run("resume", broken, "--yes"))) {
            assertEquals(1, refused.code(), refused.toString());
            assertEquals(1, refused.err().lines().count(), refused.err());
            assertTrue(refused.err().startsWith("gafail: cannot read the journal of " + broken + ": "), refused.err());
        }
        assertArrayEquals(written, Files.readAllBytes(corrupt), "nothing was written to it");
    }

    @Test
    void aRunningExecutionsHalfWrittenLineIsNotCalledTorn() throws IOException {
        String waits = resource("runbooks/engine/waits.yaml").toString();
        assertEquals(0, gafail().run("run", waits, "--set", "each=1ms", "--yes").code());
        String id = Journals.only(home());
        // As a reader sees it while the writer (this live process) is mid-line: no end written yet.
        List<String> lines = Files.readAllLines(journal(id));
        Files.write(journal(id), lines.subList(0, lines.size() - 1));
        Files.writeString(journal(id), lines.get(lines.size() - 1).substring(0, 20), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        CliRun.Result show = gafail().run("show", id);

        assertEquals(0, show.code(), show.toString());
        assertTrue(show.out().contains(" running "), show.out());
        assertFalse(show.out().contains("torn"), show.out());
    }
}
