package dev.gafail.runbook;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of malformed runbooks, one file per kind of mistake: each is rejected with exit 2,
 * its first problem at the expected line and column with the expected words, and no stack trace.
 */
class MalformedRunbooksTest {

    private static final Path CORPUS = resource("runbooks/invalid");

    @TempDir
    Path home;

    /** name -> {line:column, message fragment}, from expectations.tsv. */
    static Map<String, String[]> expectations() throws IOException {
        Map<String, String[]> out = new TreeMap<>();
        for (String line : Files.readAllLines(CORPUS.resolve("expectations.tsv"))) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] cells = line.split("\t");
                out.put(cells[0], new String[] {cells[1], cells[2]});
            }
        }
        return out;
    }

    static Stream<String> corpus() throws IOException {
        return expectations().keySet().stream();
    }

    @Test
    void corpusCoversAtLeastFortyMistakesAndEveryFileHasAnExpectation() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(CORPUS)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        assertEquals(files, List.copyOf(expectations().keySet()));
        assertTrue(files.size() >= 40, files.size() + " files");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rejectedWithPositionAndNoStackTrace(String name) throws IOException {
        String[] expected = expectations().get(name);
        String file = CORPUS.resolve(name).toString();

        CliRun.Result result = CliRun.in(home).run("validate", file);

        assertEquals(2, result.code(), result.toString());
        String first = result.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith(file + ":" + expected[0] + ": "), "first problem at " + expected[0] + ":\n"
                + result.err());
        assertTrue(first.contains(expected[1]), "message has '" + expected[1] + "':\n" + result.err());
        for (String line : result.err().lines().toList()) {
            assertTrue(line.matches("^" + java.util.regex.Pattern.quote(file) + ":\\d+:\\d+: .+"),
                    "every line is FILE:LINE:COLUMN: message, got: " + line);
        }
        assertFalse(result.err().contains("Exception") || result.err().contains("\tat "), result.err());
        assertEquals("", result.out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void runRefusesThemToo(String name) {
        CliRun.Result result = CliRun.in(home).run("run", CORPUS.resolve(name).toString(), "--yes");

        assertEquals(2, result.code(), result.toString());
        assertFalse(Files.exists(home.resolve("executions")), "nothing ran");
    }
}
