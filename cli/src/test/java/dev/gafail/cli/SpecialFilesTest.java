package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
import dev.gafail.yaml.UserFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file a user names is read by one reader: a device, a FIFO or a directory is refused before it
 * is opened, and a file over the limit is refused while it is read. One line naming the file, exit 2,
 * within seconds, whichever command reads it.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SpecialFilesTest {

    @TempDir
    Path home;

    private Path fifo;
    private Path large;

    @BeforeEach
    void files() throws Exception {
        fifo = home.resolve("pipe.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        large = home.resolve("large.yaml");
        Files.write(large, ("# " + "x".repeat(1000) + "\n").repeat(UserFiles.MAX_BYTES / 1000).getBytes());
    }

    /** Each hostile file, with the words its one line must carry. */
    static Stream<Arguments> hostile() {
        return Stream.of(Arguments.of("/dev/zero", "not a regular file"),
                Arguments.of("/dev/urandom", "not a regular file"),
                Arguments.of("pipe.yaml", "not a regular file"),
                Arguments.of(".", "is a directory"),
                Arguments.of("large.yaml", "larger than the limit of " + UserFiles.MAX_BYTES + " bytes"));
    }

    private List<List<String>> commands(String file) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("validate", file));
        out.add(List.of("plan", file));
        out.add(List.of("run", file, "--yes"));
        out.add(List.of("iam-policy", file));
        out.add(List.of("--topology", file, "topology", "validate"));
        out.add(List.of("--topology", file, "failover", "--to", "region-b", "--dry-run"));
        out.add(List.of("topology", "import", file, "--file", "out.yaml"));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusedInOneLineWithExit2ByEveryCommandThatReadsAFile(String name, String words) throws IOException {
        String file = name.startsWith("/") ? name : home.resolve(name).toString();
        for (List<String> command : commands(file)) {
            CliRun.Result result = CliRun.in(home).run(command.toArray(String[]::new));

            assertEquals(2, result.code(), command + ": " + result);
            assertTrue(result.err().contains(words), command + ": " + result);
            assertTrue(result.err().contains(name.equals(".") ? home.toString() : name), command + ": " + result);
            assertEquals(1, result.err().lines().count(), command + ": one line: " + result);
            assertFalse(result.err().contains("Exception") || result.err().contains("\tat "), result.err());
        }
        assertFalse(Files.exists(home.resolve("out.yaml")), "nothing written");
        assertFalse(Files.exists(home.resolve("executions")), "nothing ran");
    }
}
