package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gafail.testing.CliRun;
import dev.gafail.testing.Journals;
import dev.gafail.testing.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --set}: each parameter once, NAME=VALUE, and no value echoed back in a complaint. */
class ParameterOptionsTest {

    @TempDir
    Path home;

    private final String example = Resources.repository().resolve("runbooks/example.yaml").toString();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "run|--set to=region-b --set to=region-a|to",
            "run|--set to=region-b --set to=region-b|to",
            "run|--set=to=region-b --set to=region-a|to",
            "run|--set holdFor=1s --set to=region-b --set holdFor=2s --set holdFor=3s|holdFor",
            "plan|--set to=region-b --set to=region-a|to",
            "resume|--set token=s3cr3t-one --set token=s3cr3t-two|token"})
    void aParameterGivenTwiceIsOneLineNamingItAndExit2(String command, String sets, String name) {
        List<String> args = new ArrayList<>(List.of(command, command.equals("resume") ? "20260101-000000-abcd"
                : example, "--yes"));
        args.addAll(List.of(sets.split(" ")));
        if (command.equals("plan")) {
            args.remove("--yes");
        }
        CliRun.Result result = CliRun.in(home).run(args.toArray(String[]::new));

        assertEquals(2, result.code(), result.toString());
        assertEquals("gafail: --set " + name + " is given more than once; give each parameter once\n", result.err());
        assertEquals(List.of(), Journals.ids(home), "nothing ran");
        assertFalse(result.err().contains("s3cr3t"), result.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3cr3t-without-a-name", "=s3cr3t-without-a-name", ""})
    void aPairWithoutANameIsExit2WithoutEchoingIt(String pair) {
        CliRun.Result result = CliRun.in(home).run("run", example, "--set", "to=region-b", "--set", pair, "--yes");

        assertEquals(2, result.code(), result.toString());
        assertEquals("gafail: --set number 2 has no " + (pair.startsWith("=") ? "name before '='" : "'='")
                + ": write --set NAME=VALUE\n", result.err());
        assertFalse(result.err().contains("s3cr3t"), result.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--to region-b --set to=region-a|to|--to",
            "--to region-b --mode unplanned --allow-data-loss --set allowDataLoss=false|allowDataLoss|--mode unplanned"})
    void failoverRefusesASetOfWhatItsOwnOptionsSay(String options, String name, String option) throws Exception {
        CliRun.Result example = CliRun.in(home).run("topology", "example");
        Path topology = home.resolve("gafail.yaml");
        Files.writeString(topology, example.out());
        List<String> args = new ArrayList<>(List.of("--topology", topology.toString(), "failover", "--yes"));
        args.addAll(List.of(options.split(" ")));
        CliRun.Result result = CliRun.in(home).run(args.toArray(String[]::new));

        assertEquals(2, result.code(), result.toString());
        assertEquals("gafail: --set " + name + ": failover sets it from " + option + "; give it there only\n",
                result.err());
        assertEquals(List.of(), Journals.ids(home), "nothing ran");
    }
}
