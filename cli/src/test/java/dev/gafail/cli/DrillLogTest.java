package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionStatus;
import dev.gafail.engine.Phase;
import dev.gafail.testing.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill log's row as a drill's journal tells it, and its append to a real Markdown file: once per
 * execution, into the section's table or a new section at the end, every other byte left as it was.
 */
class DrillLogTest {

    private static final String ID = "20261130-161042-ab12";
    private static final String ARN = "arn:aws:sts::111122223333:assumed-role/gafail-operator/oncall";

    @TempDir
    Path dir;

    private static Event started(String id, Map<String, Object> more) {
        Map<String, Object> data = new LinkedHashMap<>(Map.of("user", "oncall", "host", "laptop",
                "params", Map.of("scenario", "dependency-timeout", "region", "region-a")));
        data.putAll(more);
        return Event.ofExecution(EventType.EXECUTION_STARTED, id, Instant.parse("2026-11-30T16:10:42Z"), null, data);
    }

    private static Event verdict(String step, String verdict, List<Map<String, Object>> targets) {
        return new Event(EventType.STEP_SUCCEEDED, Instant.parse("2026-11-30T16:12:40Z"), ID, Phase.STEP, step,
                "verdict", 1, null, Map.of("outputs", Map.of("verdict", verdict, "passed", verdict.equals("pass"),
                "targets", targets, "figures", Map.of())));
    }

    private static Map<String, Object> target(String name, String measured, String bound, boolean held) {
        return Map.of("name", name, "measured", measured, "target", bound, "held", held);
    }

    private static DrillLogRow row(String id) {
        return DrillLogRow.of(List.of(started(id, Map.of()), verdict("verdict", "pass", List.of(
                target("RTO", "37.3s", "≤ 2m", true), target("RPO", "0ms", "≤ 0s", true)))),
                ExecutionStatus.SUCCEEDED).orElseThrow();
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void theRowSaysWhenWhatWhoRtoAndRpoAgainstTargetTheVerdictAndTheReportOfItsExecution() {
        DrillLogRow row = DrillLogRow.of(List.of(started(ID, Map.of("identity", Map.of("account", "111122223333",
                        "arn", ARN))), verdict("steady-state", "pass", List.of()), verdict("verdict", "fail", List.of(
                        target("time to detect", "2s", "≤ 3m", true), target("RTO", "2m31s", "≤ 2m", false),
                        target("RPO", "0ms", "≤ 0s", true), target("final: p95", "1s480ms", "≤ 1s200ms", false)))),
                ExecutionStatus.VERDICT_FAILED).orElseThrow();

        assertEquals("| 2026-11-30 16:10 | dependency-timeout | oncall@laptop (" + ARN + ") | 2m31s (≤ 2m)"
                + " | 0ms (≤ 0s) | fail: RTO, final: p95 | `gafail report " + ID + "` | — |", row.markdown(),
                "the last verdict's");
    }

    @Test
    void aBarOrLineBreakInACellDoesNotBreakTheTable() {
        DrillLogRow row = DrillLogRow.of(List.of(started(ID, Map.of()), verdict("verdict", "fail", List.of(
                target("RTO", "not measured: step 'recovered' failed: a | b\nc", "≤ 2m", false)))),
                ExecutionStatus.VERDICT_FAILED).orElseThrow();

        assertTrue(row.markdown().contains("| not measured: step 'recovered' failed: a \\| b c (≤ 2m) |"),
                row.markdown());
    }

    @Test
    void aDrillThatEndedBeforeItsVerdictHasNoRowAndOneThatEndedOnItsSteadyStateMeasuredNoRto() {
        List<Event> steadyOnly = List.of(started(ID, Map.of()), verdict("steady-state", "fail", List.of(
                target("steady: p95", "9ms", "≤ 1ms", false))));

        assertTrue(DrillLogRow.of(steadyOnly, ExecutionStatus.FAILED).isEmpty(), "failed on the way: no verdict");
        assertTrue(DrillLogRow.of(steadyOnly, ExecutionStatus.INTERRUPTED).isEmpty());
        DrillLogRow row = DrillLogRow.of(steadyOnly, ExecutionStatus.VERDICT_FAILED).orElseThrow();
        assertEquals("not measured", row.rto());
        assertEquals("fail: steady: p95", row.verdict());
    }

    @Test
    void aFileWithoutTheSectionGetsItAtItsEndWithTheTableAndTheRow() throws IOException {
        String before = "# Operating\n\nSome text.\n";
        Path file = file("OPERATIONS.md", before);

        assertTrue(new DrillLog(file).append(row(ID)));

        assertEquals(before + "\n## Drill log\n\n" + DrillLog.INTRO + "\n\n" + DrillLogRow.header("\n")
                + row(ID).markdown() + "\n", Files.readString(file));
    }

    @Test
    void aRowGoesAfterTheLastRowOfTheSectionsTableAndEveryOtherByteStays() throws IOException {
        String table = DrillLogRow.header("\r\n") + row("20260901-090000-0001").markdown() + "\r\n";
        String head = "# Ops\r\n\r\n## Drill log\r\n\r\n```\r\n## not a heading\r\n| not the table |\r\n```\r\n\r\n"
                + table;
        String tail = "\r\n## After\r\n\r\n| other | table |\r\n|---|---|\r\n";
        Path file = file("OPERATIONS.md", head + tail);

        assertTrue(new DrillLog(file).append(row(ID)));

        assertEquals(head + row(ID).markdown() + "\r\n" + tail, Files.readString(file),
                "the row after the table's last, with the file's line breaks; the fenced block and the next section"
                        + " untouched");
    }

    @Test
    void aSectionWhoseTableWasRemovedGetsTheTableAfterItsLastLine() throws IOException {
        Path file = file("LOG.md", "## Drill log\n\nRows below.\n\n## Next\n");

        assertTrue(new DrillLog(file).append(row(ID)));

        assertEquals("## Drill log\n\nRows below.\n\n" + DrillLogRow.header("\n") + row(ID).markdown()
                + "\n\n## Next\n", Files.readString(file));
    }

    @Test
    void theRowOfAnExecutionAlreadyInTheLogIsNeverAddedAgain() throws IOException {
        Path file = file("OPERATIONS.md", "# Ops\n");
        assertTrue(new DrillLog(file).append(row(ID)));
        byte[] once = Files.readAllBytes(file);

        assertFalse(new DrillLog(file).append(row(ID)));

        assertEquals(new String(once, StandardCharsets.UTF_8), Files.readString(file));
    }

    @Test
    void theRepositorysOperationsGuideTakesTheRowInItsDrillLogTableAndIsOtherwiseUnchanged() throws IOException {
        String guide = Files.readString(Resources.repository().resolve("docs/OPERATIONS.md"));
        int table = guide.indexOf("\n" + DrillLogRow.header("\n"));
        assertTrue(table > 0, "docs/OPERATIONS.md has the drill log's table");
        Path file = file("OPERATIONS.md", guide);

        assertTrue(new DrillLog(file).append(row(ID)));

        int at = table + 1 + DrillLogRow.header("\n").length();
        assertEquals(guide.substring(0, at) + row(ID).markdown() + "\n" + guide.substring(at), Files.readString(file));
    }

    @Test
    void aFileRowsCannotBeAddedToIsAProblemNamingIt() throws IOException {
        Path missing = dir.resolve("docs/OPERATIONS.md");
        Path binary = Files.write(dir.resolve("log.md"), new byte[] {'#', ' ', (byte) 0xff, '\n'});

        assertEquals("no such file or folder: " + missing, new DrillLog(missing).problem().orElseThrow());
        assertEquals("not a regular file: " + dir, new DrillLog(dir).problem().orElseThrow());
        assertEquals("not UTF-8 text", new DrillLog(binary).problem().orElseThrow());
        assertTrue(new DrillLog(file("fine.md", "")).problem().isEmpty());
    }
}
