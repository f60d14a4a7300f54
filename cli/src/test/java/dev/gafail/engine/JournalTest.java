package dev.gafail.engine;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JournalTest {

    @TempDir
    Path dir;

    private static Event event(EventType type) {
        return Event.ofExecution(type, "x", Instant.parse("2026-11-24T03:00:00Z"), null, Map.of("k", "v"));
    }

    /** A journal with a start and one more event, as a process leaves it. */
    private Path journal() {
        Path file = dir.resolve("journal.jsonl");
        try (Journal journal = Journal.create(file)) {
            journal.on(event(EventType.EXECUTION_STARTED));
            journal.on(event(EventType.STEP_STARTED));
        }
        return file;
    }

    /** Tails a dying writer or a crashed filesystem leaves: one file each under journals/torn-tails. */
    static Stream<String> tornTails() throws IOException {
        return names("journals/torn-tails");
    }

    /** Whole lines that are not events: one file each under journals/corrupt-lines. */
    static Stream<String> corruptLines() throws IOException {
        return names("journals/corrupt-lines");
    }

    private static Stream<String> names(String folder) throws IOException {
        try (Stream<Path> files = Files.list(resource(folder))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void eventsReadBackAsWritten() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        try (Journal journal = Journal.create(file)) {
            journal.on(event(EventType.EXECUTION_STARTED));
            journal.on(event(EventType.PROGRESS));
            journal.on(event(EventType.EXECUTION_FINISHED));
        }

        assertEquals(List.of(event(EventType.EXECUTION_STARTED), event(EventType.EXECUTION_FINISHED)),
                Journal.read(file).events(), "progress lines are not journalled");
    }

    @Test
    void aNewJournalAppearsOnlyWithItsFirstEventInIt() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        try (Journal journal = Journal.create(file)) {
            assertFalse(Files.exists(file), "killed now, the execution has no journal rather than an empty one");

            journal.on(event(EventType.EXECUTION_STARTED));

            assertEquals(List.of(event(EventType.EXECUTION_STARTED)), Journal.read(file).events());
            journal.on(event(EventType.STEP_STARTED));
        }
        assertEquals(2, Journal.read(file).events().size());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tornTails")
    void aTornLastLineIsLeftOutAndMeasured(String tail) throws IOException {
        Path file = journal();
        byte[] torn = Files.readAllBytes(resource("journals/torn-tails/" + tail));
        Files.write(file, torn, StandardOpenOption.APPEND);

        Journal.Contents contents = Journal.read(file);

        assertEquals(List.of(event(EventType.EXECUTION_STARTED), event(EventType.STEP_STARTED)), contents.events());
        assertEquals(torn.length, contents.tornBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tornTails")
    void appendingSetsATornLineAsideAndStartsOnAFreshLine(String tail) throws IOException {
        Path file = journal();
        long whole = Files.size(file);
        byte[] torn = Files.readAllBytes(resource("journals/torn-tails/" + tail));
        Files.write(file, torn, StandardOpenOption.APPEND);

        try (Journal journal = Journal.append(file)) {
            Journal.SetAside aside = journal.setAside().orElseThrow();
            assertEquals(new Journal.SetAside(torn.length, "journal.jsonl.torn-at-" + whole), aside);
            assertArrayEquals(torn, Files.readAllBytes(dir.resolve(aside.file())), "the torn bytes are kept");
            journal.on(event(EventType.EXECUTION_RESUMED));
        }

        Journal.Contents contents = Journal.read(file);
        assertEquals(List.of(event(EventType.EXECUTION_STARTED), event(EventType.STEP_STARTED),
                event(EventType.EXECUTION_RESUMED)), contents.events(), "never fused with the torn line");
        assertEquals(0, contents.tornBytes());
    }

    @Test
    void appendingToAWholeJournalSetsNothingAside() throws IOException {
        Path file = journal();

        try (Journal journal = Journal.append(file)) {
            assertTrue(journal.setAside().isEmpty());
            journal.on(event(EventType.EXECUTION_RESUMED));
        }

        assertEquals(3, Journal.read(file).events().size());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tornTails")
    void aJournalOfOnlyATornLineHoldsNoEvent(String tail) throws IOException {
        Path file = dir.resolve("journal.jsonl");
        byte[] torn = Files.readAllBytes(resource("journals/torn-tails/" + tail));
        Files.write(file, torn);

        assertEquals(new Journal.Contents(List.of(), torn.length), Journal.read(file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptLines")
    void aWholeLineThatIsNotAnEventIsRefusedWithItsLineNumber(String line) throws IOException {
        Path file = journal();
        List<String> first = Files.readAllLines(file).subList(0, 1);
        Files.write(file, Files.readAllBytes(resource("journals/corrupt-lines/" + line)), StandardOpenOption.APPEND);
        Files.write(file, first, StandardOpenOption.APPEND);

        IOException e = assertThrows(IOException.class, () -> Journal.read(file));

        assertTrue(e.getMessage().startsWith(file + ":3: journal line is not "), e.getMessage());
    }
}
