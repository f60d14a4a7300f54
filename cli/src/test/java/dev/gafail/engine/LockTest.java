package dev.gafail.engine;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.Journals;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One execution per runbook at a time; a dead holder never blocks; forcing is audited. */
@SuppressWarnings("try") // locks and sockets held open for a block
class LockTest {

    @TempDir
    Path home;

    private final String waits = resource("runbooks/engine/waits.yaml").toString();
    private final String scope = ExecutionService.lockScope(waits);

    private CliRun.Result run(String... extra) {
        String[] args = new String[5 + extra.length];
        System.arraycopy(new String[] {"run", waits, "--set", "each=10ms", "--yes"}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return CliRun.in(home).run(args);
    }

    /** Lock-file contents a crash, a full disk or an editor may leave: none of them may decide who holds the lock. */
    private List<byte[]> garbled() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        others.add(other);
        return List.of(new byte[0], new byte[] {(byte) 0xff, 0, (byte) 0xfe, 7, '{'}, "{\"scope\":".getBytes(),
                Json.MAPPER.writeValueAsBytes(holder(Actor.hostName(), Long.MAX_VALUE / 2)),
                Json.MAPPER.writeValueAsBytes(holder(Actor.hostName(), other.pid())));
    }

    private final List<Process> others = new ArrayList<>();

    @AfterEach
    void stopOthers() {
        others.forEach(Process::destroyForcibly);
    }

    private ExecutionLock.Holder holder(String host, long pid) {
        return new ExecutionLock.Holder(scope, "alice", host, pid, null, Instant.parse("2026-11-24T03:00:00Z"), "x-1");
    }

    @Test
    void aHeldLockRefusesWithExit5AndNamesTheHolder() {
        try (ExecutionLock ignored = ExecutionLock.acquire(home.resolve("locks"), holder(Actor.hostName(), 4242))) {
            CliRun.Result result = run();

            assertEquals(5, result.code(), result.toString());
            assertTrue(result.err().contains("another execution holds the lock for " + scope
                    + ": alice@" + Actor.hostName() + " pid 4242 since 2026-11-24T03:00:00Z (execution x-1)"),
                    result.err());
        }
        assertEquals(0, run().code(), "released when its holder closes it");
    }

    @Test
    void aLockLeftByADeadProcessIsTakenOverAndAudited() throws Exception {
        Path file = ExecutionLock.fileFor(home.resolve("locks"), scope);
        Files.createDirectories(file.getParent());
        Files.write(file, Json.MAPPER.writeValueAsBytes(holder(Actor.hostName(), Long.MAX_VALUE / 2)));

        CliRun.Result result = run();

        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("took over the lock of alice@"), result.out());
        assertTrue(Files.readString(home.resolve("audit.jsonl")).contains("\"event\":\"stale-lock-released\""));
    }

    @Test
    void forceUnlockRefusesALiveHolderOnThisHost() {
        Actor me = Actor.current();
        ExecutionLock.Holder live = new ExecutionLock.Holder(scope, me.user(), me.host(), me.pid(), me.processStart(),
                Instant.now(), "x-2");
        try (ExecutionLock ignored = ExecutionLock.acquire(home.resolve("locks"), live)) {
            CliRun.Result result = run("--force-unlock");

            assertEquals(5, result.code(), result.toString());
            assertTrue(result.err().contains("is held by a running process (its lock file names " + me.user() + "@"),
                    result.err());
        }
    }

    @Test
    void forceUnlockRefusesWhileAnotherProcessHoldsTheLockWhateverItsFileSays() throws Exception {
        Path file = ExecutionLock.fileFor(home.resolve("locks"), scope);
        try (GafailProcess holder = GafailProcess.start(home, "run", waits, "--set", "each=60s", "--yes")) {
            Journals.awaitEvent(home, e -> e.type() == EventType.STEP_STARTED, Duration.ofSeconds(30));
            for (byte[] content : garbled()) {
                Files.write(file, content);

                CliRun.Result forced = run("--force-unlock");

                String shown = new String(content, StandardCharsets.UTF_8);
                assertEquals(5, forced.code(), shown + ": " + forced);
                assertTrue(forced.err().startsWith("gafail: the lock for " + scope + " is held by a running process ("),
                        shown + ": " + forced.err());
                assertEquals(1, forced.err().lines().count(), forced.err());
                assertEquals(5, run().code(), shown + ": the lock still holds after the refusal");
            }
            assertTrue(holder.isAlive());
            assertEquals(1, Journals.ids(home).size(), "no second execution ran beside the first");
            assertFalse(Files.exists(home.resolve("audit.jsonl"))
                    && Files.readString(home.resolve("audit.jsonl")).contains("lock-forced"), "nothing was forced");
        }
    }

    @Test
    void everyForcedUnlockIsAuditedWhetherOrNotItsFileNamesAHolder() throws Exception {
        Path file = ExecutionLock.fileFor(home.resolve("locks"), scope);
        Files.createDirectories(file.getParent());
        List<byte[]> contents = garbled();
        for (byte[] content : contents) {
            Files.write(file, content);

            CliRun.Result forced = run("--force-unlock", "--reason", "holder gone");

            assertEquals(0, forced.code(), new String(content, StandardCharsets.UTF_8) + ": " + forced);
        }
        List<JsonNode> records = Files.readAllLines(home.resolve("audit.jsonl")).stream().map(Json.MAPPER::readTree)
                .filter(r -> r.path("event").asString().equals("lock-forced")).toList();
        assertEquals(contents.size(), records.size(), records.toString());
        assertEquals(List.of("empty", "5 bytes that name no holder", "9 bytes that name no holder"),
                records.subList(0, 3).stream().map(r -> r.path("lockFile").asString()).toList());
        assertEquals(Long.MAX_VALUE / 2, records.get(3).path("previousHolder").path("pid").asLong());
        assertTrue(records.stream().allMatch(r -> r.path("reason").asString().equals("holder gone")));
        assertEquals(0, Files.size(file), "emptied, not deleted: a process that opened it keeps the same lock");
    }

    @Test
    void forceUnlockOfAHolderElsewhereIsAudited() throws Exception {
        Path file = ExecutionLock.fileFor(home.resolve("locks"), scope);
        Files.createDirectories(file.getParent());
        Files.write(file, Json.MAPPER.writeValueAsBytes(holder("bastion-2", 777)));

        CliRun.Result result = run("--force-unlock", "--reason", "bastion-2 is gone");

        assertEquals(0, result.code(), result.toString());
        String audit = Files.readString(home.resolve("audit.jsonl"));
        assertTrue(audit.contains("\"event\":\"lock-forced\""), audit);
        assertTrue(audit.contains("\"host\":\"bastion-2\""), audit);
        assertTrue(audit.contains("bastion-2 is gone"), audit);
    }
}
