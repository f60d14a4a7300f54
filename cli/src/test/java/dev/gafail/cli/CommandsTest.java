package dev.gafail.cli;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.Journals;
import dev.gafail.testing.Resources;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The command line as an operator meets it: help, global options, history, show, usage errors. */
class CommandsTest {

    @TempDir
    Path home;

    private final String waits = resource("runbooks/engine/waits.yaml").toString();

    private CliRun gafail() {
        return CliRun.in(home);
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        CliRun.Result result = gafail().run("--help");

        assertEquals(0, result.code());
        for (String command : List.of("run", "plan", "validate", "resume", "history", "show", "audit", "version",
                "generate-completion")) {
            assertTrue(result.out().contains("\n  " + command + " "), command + " in:\n" + result.out());
        }
        assertTrue(result.out().contains("5 another execution holds the lock"), result.out());
    }

    /** Every error says "Try 'gafail X --help'", so every subcommand must answer --help. */
    @Test
    void everySubcommandAnswersHelp() {
        for (String[] command : List.of(new String[] {"run", "--help"}, new String[] {"lab", "fail", "--help"},
                new String[] {"topology", "validate", "--help"}, new String[] {"failover", "--help"})) {
            CliRun.Result result = gafail().run(command);
            String name = String.join(" ", List.of(command).subList(0, command.length - 1));
            assertEquals(0, result.code(), result.toString());
            assertTrue(result.out().startsWith("Usage: gafail " + name + " "), result.out());
        }
    }

    @Test
    void bundledRunbooksValidate() {
        Path example = Resources.repository().resolve("runbooks/example.yaml");

        CliRun.Result result = gafail().run("validate", example.toString());

        assertEquals(0, result.code(), result.toString());
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand() {
        gafail().run("run", waits, "--set", "each=10ms", "--yes");

        JsonNode before = Json.MAPPER.readTree(gafail().run("--output", "json", "history").out());
        JsonNode after = Json.MAPPER.readTree(gafail().run("history", "--output=json").out());

        assertEquals(before, after);
        assertEquals(1, after.size());
    }

    @Test
    void historyJsonNamesEachExecutionNewestFirst() {
        gafail().run("run", waits, "--set", "each=10ms", "--yes", "--reason", "quarterly drill");
        gafail().run("run", waits, "--set", "each=10ms");

        JsonNode history = Json.MAPPER.readTree(gafail().run("history", "--output", "json").out());

        assertEquals(2, history.size());
        assertEquals("aborted", history.get(0).get("status").asString());
        JsonNode first = history.get(1);
        assertEquals("succeeded", first.get("status").asString());
        assertEquals("waits", first.get("runbook").asString());
        assertEquals("quarterly drill", first.get("reason").asString());
        assertTrue(first.get("durationMs").asLong() >= 40, first.toString());
        assertTrue(first.get("id").asString().matches("\\d{8}-\\d{6}-[0-9a-f]{4}"), first.toString());
        assertTrue(first.has("startedAt"));
    }

    @Test
    void runWithJsonOutputPrintsOneEventPerLine() {
        CliRun.Result result = gafail().run("run", waits, "--set", "each=10ms", "--yes", "--output", "json");

        assertEquals(0, result.code(), result.toString());
        List<String> lines = result.out().lines().toList();
        assertEquals("execution-started", Json.MAPPER.readTree(lines.get(0)).get("type").asString());
        assertEquals("execution-finished", Json.MAPPER.readTree(lines.get(lines.size() - 1)).get("type").asString());
        lines.forEach(line -> assertTrue(Json.MAPPER.readTree(line).has("time"), line));
    }

    @Test
    void showPrintsTheTimeline() {
        gafail().run("run", waits, "--set", "each=10ms", "--yes", "--reason", "drill");
        String id = Journals.only(home);

        CliRun.Result result = gafail().run("show", id.substring(0, 15));

        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().startsWith("execution " + id + " · runbook waits · succeeded"), result.out());
        assertTrue(result.out().contains("reason: drill"), result.out());
        for (String step : List.of("one", "two", "three", "four")) {
            assertTrue(result.out().contains(step + " succeeded in "), result.out());
        }
    }

    @Test
    void unknownOptionIsOneLineAndExit2() {
        CliRun.Result result = gafail().run("run", waits, "--yess");

        assertEquals(2, result.code());
        assertEquals(List.of("gafail: Unknown option: '--yess'", "Try 'gafail run --help' for usage."),
                result.err().lines().toList());
    }

    @Test
    void badParameterValuesAreUsageErrorsNamingTheSetting() {
        CliRun.Result result = gafail().run("run", waits, "--set", "each=soon", "--set", "eahc=1s", "--yes");

        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().contains("gafail: --set eahc: runbook 'waits' has no parameter 'eahc' (did you mean"
                + " 'each'?)"), result.err());
        assertTrue(result.err().contains("gafail: --set each=soon: not a duration"), result.err());
        assertEquals(List.of(), Journals.ids(home));
    }

    @Test
    void missingRunbookFileIsAUsageError() {
        CliRun.Result result = gafail().run("run", home.resolve("nope.yaml").toString());

        assertEquals(2, result.code());
        assertTrue(result.err().endsWith("nope.yaml:1:1: no such file\n"), result.err());
    }

    @Test
    void unknownExecutionIsAUsageError() {
        CliRun.Result result = gafail().run("show", "19700101");

        assertEquals(2, result.code());
        assertTrue(result.err().startsWith("gafail: no execution '19700101'"), result.err());
    }

    @Test
    void validateJsonReportsEveryProblemWithItsPosition() {
        String bad = resource("runbooks/invalid/schema-unknown-step-field.yaml").toString();

        CliRun.Result result = gafail().run("validate", "--output", "json", bad);

        assertEquals(2, result.code());
        JsonNode problem = Json.MAPPER.readTree(result.out()).get(0).get("problems").get(0);
        assertEquals(8, problem.get("line").asInt());
        assertEquals(5, problem.get("column").asInt());
        assertEquals("/steps/0/timout", problem.get("pointer").asString());
    }

    @Test
    void versionAndSchemaAndCompletion() {
        assertTrue(gafail().run("version").out().startsWith("gafail "));
        assertTrue(gafail().run("--version").out().startsWith("gafail "));
        assertTrue(gafail().run("schema").out().contains("\"with.control.wait\""));
        CliRun.Result completion = gafail().run("generate-completion");
        assertEquals(0, completion.code());
        assertTrue(completion.out().contains("complete -o filenames -F _gafail gafail"), completion.out());
    }

    @Test
    void noStackTraceReachesTheUser() {
        CliRun.Result result = gafail().run("history", "--limit", "many");

        assertEquals(2, result.code());
        assertFalse(result.err().contains("\tat "), result.err());
    }
}
