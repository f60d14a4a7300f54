package dev.gafail.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gafail.servers.os.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running a command to its end, and waiting for a started server: what every server here relies on. */
class ChildProcessTest {

    @TempDir
    Path tmp;

    @Test
    void aCommandThatDoesNotEndIsKilledAtItsLimitAndSaysSo() throws Exception {
        ChildProcess.Finished finished = ChildProcess.run(List.of("sleep", "30"), Duration.ofMillis(200));
        assertFalse(finished.ended());
        assertFalse(finished.succeeded());
        assertEquals("no answer", finished.firstLine());
    }

    @Test
    void aFailedCommandGivesItsExitCodeAndFirstLine() throws Exception {
        ChildProcess.Finished finished = ChildProcess.run(List.of("sh", "-c", "echo; echo '  broken  ' >&2; exit 3"),
                Duration.ofSeconds(10));
        assertEquals(3, finished.exitCode());
        assertEquals("broken", finished.firstLine());
    }

    @Test
    void aServerThatExitsWhileAwaitedFailsAtOnceNamingItsLog() throws Exception {
        Path log = tmp.resolve("server.log");
        ChildProcess process = ChildProcess.start(List.of("sh", "-c", "exit 3"), Map.of(), log);
        IOException e = assertThrows(IOException.class, () -> process.awaitReady("server", "did not start",
                Duration.ofSeconds(30), Duration.ofMillis(20), () -> false));
        assertEquals("server exited with 3; see " + log, e.getMessage());
    }
}
