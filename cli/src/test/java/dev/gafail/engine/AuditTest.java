package dev.gafail.engine;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log is append-only and tamper-evident: verify names the first record altered or removed. */
class AuditTest {

    @TempDir
    Path home;

    private Path log;

    @BeforeEach
    void twoExecutions() {
        String waits = resource("runbooks/engine/waits.yaml").toString();
        for (String reason : List.of("drill", "incident 42")) {
            CliRun.Result result = CliRun.in(home).run("run", waits, "--set", "each=10ms", "--yes", "--reason",
                    reason);
            assertEquals(0, result.code(), result.toString());
        }
        log = home.resolve("audit.jsonl");
    }

    private CliRun.Result verify() {
        return CliRun.in(home).run("audit", "verify");
    }

    @Test
    void recordsWhoRanWhatWhenFromWhereAndWhy() throws Exception {
        List<String> records = Files.readAllLines(log);

        assertEquals(6, records.size(), "started, approved, finished for each execution");
        JsonRecord first = JsonRecord.of(records.get(0));
        assertEquals("execution-started", first.text("event"));
        assertEquals("drill", first.text("reason"));
        assertEquals(System.getProperty("user.name"), first.text("user"));
        assertTrue(first.text("command").startsWith("gafail run "), first.text("command"));
        assertTrue(first.has("host") && first.has("pid") && first.has("cwd") && first.has("time"));
        assertEquals(0, verify().code(), verify().toString());
    }

    @Test
    void anAlteredRecordIsNamed() throws Exception {
        List<String> records = new ArrayList<>(Files.readAllLines(log));
        records.set(3, records.get(3).replace("incident 42", "incident 43"));
        Files.write(log, records);

        CliRun.Result result = verify();

        assertEquals(1, result.code(), result.toString());
        assertEquals(log + ":4: record 4 was altered (its hash does not match its content)\n", result.err());
    }

    @Test
    void aRemovedRecordIsNamed() throws Exception {
        List<String> records = new ArrayList<>(Files.readAllLines(log));
        records.remove(2);
        Files.write(log, records);

        CliRun.Result result = verify();

        assertEquals(1, result.code());
        assertEquals(log + ":3: record 4 follows record 2: record(s) before it were removed\n", result.err());
    }

    @Test
    void aRemovedTailIsNoticed() throws Exception {
        List<String> records = Files.readAllLines(log);
        Files.write(log, records.subList(0, 5));

        CliRun.Result result = verify();

        assertEquals(1, result.code());
        assertTrue(result.err().contains(":6: the log ends at record 5 but record 6 was written"), result.err());
    }

    /** A record, read as a tree. */
    private record JsonRecord(tools.jackson.databind.JsonNode node) {
        static JsonRecord of(String line) {
            return new JsonRecord(Json.MAPPER.readTree(line));
        }

        String text(String field) {
            return node.path(field).asString();
        }

        boolean has(String field) {
            return node.has(field);
        }
    }
}
