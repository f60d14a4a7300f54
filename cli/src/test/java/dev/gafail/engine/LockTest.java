package dev.gafail.engine;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
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
            assertTrue(result.err().contains("is held by live process"), result.err());
        }
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
