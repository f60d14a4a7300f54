package dev.gafail.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example workflows a team copies: valid GitHub Actions workflows, and running no gafail command that
 * .ci/run does not run, so that what they run is proven here.
 */
class WorkflowsTest {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{.*?}}");

    /** What .ci/run uses where a workflow's command has a GitHub expression. */
    private static final Map<String, String> CI_VALUES = Map.of(
            "${{ inputs.scenario || 'dependency-timeout' }}", "dependency-timeout",
            "${{ inputs.scenario == 'region-loss' && '--allow-data-loss' || '' }}", "");

    /** Where .ci/run writes what a workflow writes into its checkout: its own folder, leaving the clone as it was. */
    private static final Map<String, String> CI_FILES = Map.of(
            "--record docs/OPERATIONS.md", "--record \"$GAFAIL_HOME/OPERATIONS.md\"",
            "--out drill-report.html", "--out \"$GAFAIL_HOME/drill-report.html\"");

    static List<Path> workflows() throws Exception {
        return Workflows.files();
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void isAValidGitHubActionsWorkflow(Path workflow) throws Exception {
        GafailCli.Result result = ActionValidator.validate(workflow);
        assertEquals(0, result.code(), workflow.getFileName() + ": " + result.err());
    }

    @ParameterizedTest
    @CsvSource({
        "'    runs-on: ubuntu-latest', '    run-on: ubuntu-latest', /jobs/drill",
        "'type: choice', 'type: menu', /on/workflow_dispatch/inputs/scenario/type"})
    void aBrokenWorkflowIsRefusedWhereItIsBroken(String from, String to, String pointer, @TempDir Path dir)
            throws Exception {
        String drill = Files.readString(Workflows.FOLDER.resolve("drill.yml"));
        assertTrue(drill.contains(from), from);
        Path broken = Files.writeString(dir.resolve("drill.yml"), drill.replace(from, to));
        GafailCli.Result result = ActionValidator.validate(broken);
        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("\"path\": \"" + pointer + "\""), result.err());
    }

    @ParameterizedTest
    @MethodSource("workflows")
    void runsOnlyGafailCommandsThatCiRunRuns(Path workflow) throws Exception {
        String text = Files.readString(workflow);
        assertFalse(Workflows.runScripts(text).stream().map(Workflows::gafailCommands).allMatch(List::isEmpty),
                workflow.getFileName() + " runs no gafail command");
        assertEquals(List.of(), notInCiRun(text), workflow.getFileName() + ": commands .ci/run does not run");
    }

    @Test
    void aCommandThatCiRunDoesNotRunIsNamed() throws Exception {
        String drill = Files.readString(Workflows.FOLDER.resolve("drill.yml"));
        assertTrue(drill.contains("run: ./gafail lab up\n"));
        assertEquals(List.of("./gafail lab up --instances 3"),
                notInCiRun(drill.replace("run: ./gafail lab up\n", "run: ./gafail lab up --instances 3\n")));
        AssertionError unknown = assertThrows(AssertionError.class, () -> notInCiRun(drill.replace(
                "--record docs/OPERATIONS.md", "--record ${{ github.ref_name }}.md")));
        assertTrue(unknown.getMessage().contains("${{ github.ref_name }}"), unknown.getMessage());
    }

    /** The workflow's gafail commands, as .ci/run would write them, that .ci/run does not run. */
    private static List<String> notInCiRun(String workflow) throws Exception {
        Set<String> ci = Set.copyOf(Workflows.gafailCommands(Files.readString(Workflows.CI_RUN)));
        return Workflows.runScripts(workflow).stream().flatMap(run -> Workflows.gafailCommands(run).stream())
                .map(WorkflowsTest::asCiRunWritesIt).filter(command -> !ci.contains(command))
                .toList();
    }

    private static String asCiRunWritesIt(String command) {
        Matcher m = EXPRESSION.matcher(command);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = CI_VALUES.get(m.group());
            if (value == null) {
                throw new AssertionError("no value .ci/run uses for " + m.group() + " in `" + command
                        + "`: add one to CI_VALUES");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String ci = out.toString().replaceAll("\\s+", " ").strip();
        for (Map.Entry<String, String> file : CI_FILES.entrySet()) {
            ci = ci.replace(file.getKey(), file.getValue());
        }
        return ci;
    }
}
