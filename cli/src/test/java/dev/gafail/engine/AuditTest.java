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

    @Test
    void aDeletedOrEmptiedLogIsNoticedFromTheHead() throws Exception {
        Files.delete(log);

        CliRun.Result deleted = verify();

        assertEquals(1, deleted.code(), deleted.toString());
        assertEquals(log + ": the log is missing, but audit.head says record 6 was written: the log was deleted\n",
                deleted.err());

        Files.write(log, new byte[0]);
        CliRun.Result emptied = verify();

        assertEquals(1, emptied.code(), emptied.toString());
        assertTrue(emptied.err().contains(":1: the log ends at record 0 but record 6 was written"), emptied.err());
    }

    @Test
    void aRecordWithAKeyTwiceIsRefused() throws Exception {
        List<String> original = Files.readAllLines(log);
        for (String duplicate : List.of("\"user\":\"eve\",", "\"event\":\"approval-declined\",",
                "\"seq\":99,", "\"reason\":\"none\",")) {
            List<String> records = new ArrayList<>(original);
            records.set(3, "{" + duplicate + records.get(3).substring(1));
            Files.write(log, records);

            CliRun.Result result = verify();

            assertEquals(1, result.code(), duplicate + ": " + result);
            assertTrue(result.err().startsWith(log + ":4: not a valid audit record (Duplicate"), result.err());
            assertTrue(result.err().endsWith("it was altered\n"), result.err());
        }
    }

    @Test
    void aGarbledHeadIsNamedWithoutAnInternalError() throws Exception {
        Path head = home.resolve("audit.head");
        String good = Files.readString(head).trim();
        for (byte[] garbage : List.of("garbage".getBytes(), new byte[0], "6".getBytes(), (good + " extra").getBytes(),
                "6 zzzz".getBytes(), "99999999999999999999999 00".getBytes(), new byte[] {(byte) 0xff, 0, 7})) {
            Files.write(head, garbage);

            CliRun.Result result = verify();

            assertEquals(1, result.code(), new String(garbage) + ": " + result);
            assertEquals(head + ": not a head record (NUMBER HASH): it was altered\n", result.err());
        }
    }

    @Test
    void aHeadThatNamesAnotherHashOrAnOlderRecordIsNamed() throws Exception {
        Path head = home.resolve("audit.head");
        List<String> records = Files.readAllLines(log);
        Files.writeString(head, "6 " + "ab".repeat(32) + "\n");

        CliRun.Result otherHash = verify();

        assertEquals(1, otherHash.code(), otherHash.toString());
        assertTrue(otherHash.err().contains("names record 6 with another hash"), otherHash.err());

        Files.writeString(head, "4 " + JsonRecord.of(records.get(3)).text("hash") + "\n");
        CliRun.Result older = verify();

        assertEquals(1, older.code(), older.toString());
        assertTrue(older.err().contains("names record 4, but the log goes on to record 6: an older head was put back"),
                older.err());
    }

    @Test
    void anInvalidUtf8ByteIsNamedWithItsLine() throws Exception {
        byte[] original = Files.readAllBytes(log);
        int secondLine = new String(original, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('\n') + 1;
        for (byte[] bad : List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xc0,
                (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})) {
            byte[] altered = new byte[original.length + bad.length];
            System.arraycopy(original, 0, altered, 0, secondLine + 20);
            System.arraycopy(bad, 0, altered, secondLine + 20, bad.length);
            System.arraycopy(original, secondLine + 20, altered, secondLine + 20 + bad.length,
                    original.length - secondLine - 20);
            Files.write(log, altered);

            CliRun.Result result = verify();

            assertEquals(1, result.code(), result.toString());
            assertEquals(log + ":2: not valid UTF-8: the line was altered\n", result.err());
        }
    }

    @Test
    void aHeadLeftBehindByAFullDiskIsToldApartFromRemoval() throws Exception {
        List<String> records = Files.readAllLines(log);
        Files.writeString(home.resolve("audit.head"), "5 " + JsonRecord.of(records.get(4)).text("hash") + "\n");

        CliRun.Result result = verify();

        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("intact, 6 records"), result.out());
        assertTrue(result.err().contains("the head is behind: it names record 5, the log ends at record 6; the last"
                + " write did not finish updating the head"), result.err());

        Files.delete(home.resolve("audit.head"));
        Files.write(log, records.subList(0, 1));
        CliRun.Result first = verify();

        assertEquals(0, first.code(), "the very first write lost its head: " + first);
        assertTrue(first.err().contains("the head is behind: it names record 0"), first.err());
    }

    @Test
    void aTornLastRecordIsAnUnfinishedWriteThatTheNextRecordReplaces() throws Exception {
        List<String> records = Files.readAllLines(log);
        String torn = records.get(0);
        for (int cut : List.of(1, 40, torn.length() - 1)) {
            Files.write(log, (String.join("\n", records) + "\n" + torn.substring(0, cut)).getBytes());

            CliRun.Result result = verify();

            assertEquals(0, result.code(), cut + ": " + result);
            assertTrue(result.err().contains("the last line is an unfinished write after record 6"), result.err());
        }

        CliRun.Result next = CliRun.in(home).run("run", resource("runbooks/engine/waits.yaml").toString(), "--set",
                "each=10ms", "--yes");
        assertEquals(0, next.code(), next.toString());
        CliRun.Result after = verify();

        assertEquals(0, after.code(), after.toString());
        assertTrue(after.out().contains("intact, 9 records"), after.out());
        assertEquals("", after.err());
    }

    @Test
    void aPartialLineTheHeadDoesNotVouchForIsTampering() throws Exception {
        List<String> records = Files.readAllLines(log);
        Files.write(log, (String.join("\n", records.subList(0, 5)) + "\n" + records.get(5).substring(0, 30))
                .getBytes());

        CliRun.Result result = verify();

        assertEquals(1, result.code(), result.toString());
        assertEquals(log + ":6: not a valid audit record\n", result.err());
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
