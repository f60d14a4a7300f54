package dev.gafail.cli;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The command line where scripts and shells meet it: help for every command, unknown words as usage
 * errors, markdown only for tables, no escape codes where they do not belong, manual pages, and
 * completion that knows the topology's regions.
 */
class CliSurfaceTest {

    @TempDir
    Path home;

    private CliRun gafail() {
        return CliRun.in(home);
    }

    private static String words(List<String> path) {
        return String.join(" ", path);
    }

    private static String[] args(List<String> path, String... more) {
        List<String> all = new ArrayList<>(path);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void helpNamesEveryCommandAndSubcommandAsItsHelpOptionDoes() {
        for (List<String> path : Commands.visible()) {
            CliRun.Result help = gafail().run(args(List.of("help"), path.toArray(String[]::new)));
            CliRun.Result option = gafail().run(args(path, "--help"));

            assertEquals(0, help.code(), path + ": " + help);
            assertTrue(help.out().startsWith("Usage: " + ("gafail " + words(path)).strip() + " "), help.out());
            assertEquals(option.out(), help.out(), path.toString());

            JsonNode json = Json.MAPPER.readTree(gafail().run(args(List.of("help", "-o", "json"),
                    path.toArray(String[]::new))).out());
            assertEquals(("gafail " + words(path)).strip(), json.path("command").asString(), json.toString());
            assertEquals(Commands.find(path).getSubcommands().values().stream()
                    .filter(c -> !c.getCommandSpec().usageMessage().hidden()).count(), json.path("subcommands").size());
        }
    }

    @Test
    void anUnknownCommandIsAUsageErrorEvenWithHelpAfterItAndNamesTheClosest() {
        for (List<String> group : Commands.visible().stream()
                .filter(p -> !Commands.find(p).getSubcommands().isEmpty()).toList()) {
            for (String[] typed : List.of(args(group, "nosuch", "--help"), args(group, "nosuch"),
                    args(List.of("help"), args(group, "nosuch")))) {
                CliRun.Result result = gafail().run(typed);

                assertEquals(2, result.code(), List.of(typed) + ": " + result);
                assertEquals("", result.out(), List.of(typed).toString());
                assertTrue(result.err().startsWith("gafail: 'nosuch' is not a command of "
                        + ("gafail " + words(group)).strip()), result.err());
            }
        }
        CliRun.Result typo = gafail().run("stauts", "--help");
        assertEquals(2, typo.code());
        assertTrue(typo.err().matches("(?s).*did you mean [^?]*'status'.*"), typo.err());
        CliRun.Result labTypo = gafail().run("lab", "staus");
        assertTrue(labTypo.err().contains("did you mean 'status'"), labTypo.err());
    }

    @Test
    void markdownIsForTablesAndRefusedElsewhere() {
        gafail().run("run", resource("runbooks/engine/waits.yaml").toString(), "--set", "each=10ms", "--yes");

        CliRun.Result history = gafail().run("history", "-o", "markdown");
        assertEquals(0, history.code(), history.toString());
        List<String> lines = history.out().lines().toList();
        assertTrue(lines.get(0).startsWith("| ID | STATUS | RUNBOOK |"), history.out());
        assertEquals("| --- | --- | --- | --- | --- | --- |", lines.get(1));
        assertTrue(lines.get(2).contains("| succeeded | waits |"), history.out());

        CliRun.Result run = gafail().run("run", resource("runbooks/engine/waits.yaml").toString(), "-o", "markdown");
        assertEquals(2, run.code(), run.toString());
        assertEquals("gafail: --output markdown: 'gafail run' prints no table; use text or json (markdown: status,"
                + " history, show)\n", run.err());
    }

    @Test
    void inJsonAnInvalidRunbooksProblemsAreDataOnStdoutAndLinesOnStderr() {
        String bad = resource("runbooks/invalid/schema-unknown-step-field.yaml").toString();

        CliRun.Result result = gafail().run("plan", bad, "-o", "json");

        assertEquals(2, result.code(), result.toString());
        JsonNode problem = Json.MAPPER.readTree(result.out()).path("problems").get(0);
        assertEquals(8, problem.path("line").asInt(), result.out());
        assertEquals("/steps/0/timout", problem.path("pointer").asString());
        assertTrue(result.err().startsWith(bad + ":8:5: "), result.err());
    }

    /** Colour at a terminal, as the control; none for TERM=dumb, NO_COLOR, --no-color or off a terminal. */
    @Test
    void noEscapeCodeReachesADumbTerminalNoColorOrAPipe() {
        String hold = resource("runbooks/cli/hold.yaml").toString();
        List<String[]> commands = List.of(new String[] {"--help"}, new String[] {"failover", "--help"},
                new String[] {"validate", hold}, new String[] {"run", hold, "--set", "hold=1200ms", "--yes"});
        for (String[] command : commands) {
            assertTrue(gafail().env("TERM", "xterm-256color").terminal("").run(command).out().contains("\u001b["),
                    "a terminal gets colours: " + List.of(command));
            List<CliRun.Result> plain = List.of(
                    gafail().env("TERM", "dumb").terminal("").run(command),
                    gafail().env("TERM", "xterm-256color").env("NO_COLOR", "1").terminal("").run(command),
                    gafail().env("TERM", "xterm-256color").terminal("").run(args(List.of("--no-color"), command)),
                    gafail().env("TERM", "xterm-256color").run(command));
            for (CliRun.Result result : plain) {
                assertFalse(result.out().contains("\u001b") || result.err().contains("\u001b"),
                        List.of(command) + ": " + result);
            }
        }
    }

    @Test
    void manShowsEachCommandsPageAndInstallsThemAll() {
        CliRun.Result page = gafail().run("man", "lab", "fail");
        assertEquals(0, page.code(), page.toString());
        assertTrue(page.out().contains(".TH \"GAFAIL\\-LAB\\-FAIL\" \"1\""), page.out());
        assertTrue(page.out().contains("hang (default): connections accepted, never answered"), page.out());

        CliRun.Result installed = gafail().run("man", "--install", "share/man", "-o", "json");
        assertEquals(0, installed.code(), installed.toString());
        for (List<String> path : Commands.visible()) {
            Path file = home.resolve("share/man/man1/" + ("gafail-" + String.join("-", path)).replaceAll("-$", "")
                    + ".1");
            assertTrue(Files.isRegularFile(file), file + " for " + path);
        }
        assertEquals(Commands.visible().size(), Json.MAPPER.readTree(installed.out()).path("installed").size());

        CliRun.Result unknown = gafail().run("man", "lab", "nosuch");
        assertEquals(2, unknown.code(), unknown.toString());
    }

    @Test
    void completionOffersTheTopologysRegionsAndTheBundledRunbooksQuietly() throws IOException {
        Path topology = home.resolve("gafail.yaml");
        Files.writeString(topology, gafail().run("topology", "example").out());

        CliRun.Result regions = gafail().run("__complete", "--", "failover", "--to", "");
        assertEquals(List.of("region-a", "region-b"), regions.out().lines().toList(), regions.toString());
        assertEquals("", regions.err());
        assertEquals(List.of("--to=region-a", "--to=region-b"),
                gafail().run("__complete", "--", "failover", "--to=").out().lines().toList());
        assertEquals(List.of("region-a", "region-b", "global-accelerator"),
                gafail().run("__complete", "--", "lab", "fail", "").out().lines().toList());
        assertEquals(List.of("bundled:example.yaml", "bundled:failover.yaml", "bundled:failover-unplanned.yaml",
                "bundled:drill.yaml", "bundled:restore-drill.yaml", Completions.FILES), gafail().run("__complete", "--", "run", "").out().lines()
                .toList());
        assertTrue(gafail().run("__complete", "--", "lab", "").out().lines().toList().containsAll(List.of("up",
                "fail", "heal", "down")));

        Files.writeString(topology, "not: [a topology");
        CliRun.Result broken = gafail().run("__complete", "--", "failover", "--to", "");
        assertEquals(0, broken.code(), broken.toString());
        assertEquals("", broken.out() + broken.err(), "a broken topology offers nothing and says nothing");
    }

    /** The bash script as bash runs it at a TAB: it asks a real gafail process and completes after a colon too. */
    @Test
    void bashCompletesRegionsAndBundledRunbooksThroughGafail() throws Exception {
        Path script = shellSetUp("bash");

        assertEquals(List.of("region-a", "region-b"), complete("bash", script, "COMP_LINE='gafail failover --to reg';"
                + " COMP_POINT=${#COMP_LINE}; _gafail; printf '%s\\n' \"${COMPREPLY[@]}\""));
        assertEquals(List.of("failover-unplanned.yaml", "failover.yaml"), complete("bash", script,
                "COMP_LINE='gafail run bundled:fa'; COMP_POINT=${#COMP_LINE}; _gafail; printf '%s\\n' \"${COMPREPLY[@]}\""));
        assertEquals(List.of("state", "status"), complete("bash", script, "COMP_LINE='gafail stat'; COMP_POINT=${#COMP_LINE};"
                + " _gafail; printf '%s\\n' \"${COMPREPLY[@]}\""));
    }

    /** The zsh script, where zsh is installed, with zsh's compadd and _files standing in as printers. */
    @Test
    void zshCompletesRegionsAndBundledRunbooksThroughGafail() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/zsh")) || Files.isExecutable(Path.of("/bin/zsh")), "no zsh");
        Path script = shellSetUp("zsh");
        String stand = "compadd() { [[ $1 == -a ]] && print -l -- \"${(@P)2}\"; }; _files() { print '<files>'; };";

        assertEquals(List.of("region-a", "region-b"), complete("zsh", script, stand
                + " words=(gafail failover --to ''); CURRENT=4; _gafail"));
        assertEquals(List.of("<files>", "bundled:drill.yaml", "bundled:example.yaml", "bundled:failover-unplanned.yaml",
                "bundled:failover.yaml", "bundled:restore-drill.yaml"), complete("zsh", script, stand + " words=(gafail run ''); CURRENT=3; _gafail"));
    }

    /** A topology, a gafail launcher on the PATH (this test's classes), and the completion script for {@code shell}. */
    private Path shellSetUp(String shell) throws IOException {
        Files.writeString(home.resolve("gafail.yaml"), gafail().run("topology", "example").out());
        Path launcher = Files.createDirectories(home.resolve("bin")).resolve("gafail");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path")
                + "' dev.gafail.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = home.resolve("gafail." + shell);
        Files.writeString(script, gafail().run("generate-completion", shell).out());
        return script;
    }

    /** What {@code shell} prints after sourcing {@code script} and running {@code commands}, sorted. */
    private List<String> complete(String shell, Path script, String commands) throws Exception {
        List<String> command = shell.equals("zsh") ? List.of("zsh", "-f", "-c", "compdef() { :; }; source '"
                + script + "'; " + commands) : List.of("bash", "-c", "source '" + script + "'; " + commands);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PATH", home.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("GAFAIL_HOME", home.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        try (Stream<String> lines = out.lines()) {
            return lines.filter(l -> !l.isEmpty()).sorted().toList();
        }
    }
}
