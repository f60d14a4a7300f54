package dev.gafail.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static Event event(EventType type) {
        return Event.ofExecution(type, "x", Instant.parse("2026-11-24T03:00:00Z"), null, Map.of("k", "v"));
    }

    @Test
    void eventsReadBackAsWritten() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        try (Journal journal = Journal.open(file)) {
            journal.on(event(EventType.EXECUTION_STARTED));
            journal.on(event(EventType.PROGRESS));
            journal.on(event(EventType.EXECUTION_FINISHED));
        }

        assertEquals(List.of(event(EventType.EXECUTION_STARTED), event(EventType.EXECUTION_FINISHED)),
                Journal.read(file), "progress lines are not journalled");
    }

    @Test
    void aLineTornByACrashIsIgnoredAtTheEndOnly() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        try (Journal journal = Journal.open(file)) {
            journal.on(event(EventType.EXECUTION_STARTED));
        }
        Files.writeString(file, "{\"type\":\"step-star", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertEquals(1, Journal.read(file).size());

        Files.writeString(file, "\n" + Files.readAllLines(file).get(0) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> Journal.read(file));
        assertEquals(file + ":2: journal line is not a valid event", e.getMessage());
    }
}
