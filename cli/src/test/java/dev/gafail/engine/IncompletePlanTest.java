package dev.gafail.engine;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeChange;
import dev.gafail.testing.FakeWorld;
import dev.gafail.testing.Journals;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dry run in which a step cannot be planned is incomplete (exit 7), whichever command plans and
 * whatever makes the step unplannable; "known after apply" and steps the runbook continues past are not.
 */
class IncompletePlanTest {

    @TempDir
    Path home;

    private final FakeWorld world = new FakeWorld();
    private final String runbook = resource("runbooks/engine/unplannable.yaml").toString();

    private CliRun.Result gafail(String... args) {
        return CliRun.in(home).actions(target -> BuiltinActions.registry(target, new FakeChange(world))).run(args);
    }

    @Test
    void aCompletePlanIsASuccessfulDryRunEvenWithStepsKnownOnlyAfterApply() {
        CliRun.Result result = gafail("plan", runbook);

        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("after-first (control.wait)  known after apply (reads steps.first.outputs.key)"),
                result.out());
        assertTrue(result.out().contains("dry run: 4 of 4 steps would act"), result.out());
    }

    @ParameterizedTest(name = "wait={0}")
    @ValueSource(strings = {"9999999999999999999h", "721h", "soon", "-1s"})
    void aStepThatCannotBePlannedMakesThePlanIncomplete(String wait) {
        CliRun.Result result = gafail("plan", runbook, "--set", "wait=" + wait);

        assertEquals(7, result.code(), result.toString());
        assertTrue(result.out().contains("pause (control.wait)  cannot plan: "), result.out());
        assertTrue(result.err().contains("incomplete plan: 1 step(s) could not be planned (pause); a run would fail"
                + " there. Nothing was changed"), result.err());
        assertTrue(world.mutations().isEmpty(), world.mutations().toString());
    }

    @Test
    void everyWayToDryRunSaysSo() {
        for (List<String> command : List.of(List.of("plan", runbook), List.of("run", runbook, "--dry-run"))) {
            CliRun.Result result = gafail(concat(command, "--set", "wait=9999999999999999999h", "--set", "check=x"));

            assertEquals(7, result.code(), result.toString());
            assertTrue(result.err().contains("2 step(s) could not be planned (pause, settled)"), result.err());
        }
        assertEquals(List.of(), Journals.ids(home), "a dry run leaves no execution behind");
    }

    @Test
    void aStepTheRunbookContinuesPastDoesNotMakeThePlanIncomplete() {
        CliRun.Result result = gafail("plan", runbook, "--set", "tolerated=9999999999999999999h");

        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("optional (control.wait)  cannot plan: "), result.out());
    }

    private static String[] concat(List<String> head, String... tail) {
        String[] all = head.toArray(new String[head.size() + tail.length]);
        System.arraycopy(tail, 0, all, head.size(), tail.length);
        return all;
    }
}
