package dev.gafail.engine;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.Journals;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A {@code verdict} step: every target held, or the execution ends there with exit 8 naming each one missed. */
class VerdictTest {

    @TempDir
    Path home;

    private final String runbook = resource("runbooks/engine/verdict.yaml").toString();

    private List<Event> journal() {
        return Journals.events(home, Journals.only(home));
    }

    @Test
    void everyTargetHeldPassesAndTheRunGoesOn() {
        CliRun.Result result = CliRun.in(home).run("run", runbook, "--yes");

        assertEquals(0, result.code(), result.toString());
        Event judged = journal().stream().filter(e -> e.type() == EventType.STEP_SUCCEEDED
                && "judge".equals(e.step())).findFirst().orElseThrow();
        JsonNode outputs = Json.MAPPER.valueToTree(judged.get("outputs"));
        assertEquals("pass", outputs.path("verdict").asString());
        assertEquals(5, outputs.path("targets").size(), outputs.toString());
        assertEquals("300ms", outputs.at("/figures/p95").asString());
        assertEquals("5ms", outputs.at("/figures/waited").asString(), "a figure read from a step's outputs");
        assertTrue(journal().stream().anyMatch(e -> e.type() == EventType.STEP_SUCCEEDED && "after".equals(e.step())));
    }

    @Test
    void aMissedTargetEndsTheExecutionWithExit8NamingWhatWasMeasuredAndTheTargetAndRollsNothingBack() {
        CliRun.Result result = CliRun.in(home).run("run", runbook, "--set", "p95=1480ms", "--set", "holds=false",
                "--yes");

        assertEquals(8, result.code(), result.toString());
        assertTrue(result.err().contains("verdict of step 'judge': fail: steady: failed: steady state did not hold;"
                + " p95: 1s480ms (target ≤ 1s); checked: not measured: step 'steady' failed: steady state did not"
                + " hold (target ≥ 1)"), result.err());
        assertFalse(result.err().contains("lost writes"), "a target that held is not named: " + result.err());
        assertTrue(journal().stream().noneMatch(e -> e.type() == EventType.STEP_STARTED && "after".equals(e.step())),
                "the execution ends at the verdict");
        assertTrue(journal().stream().noneMatch(e -> e.type() == EventType.ROLLBACK_STARTED));
        JsonNode history = Json.MAPPER.readTree(CliRun.in(home).run("history", "--output", "json").out());
        assertEquals("verdict-failed", history.at("/0/status").asString());
        CliRun.Result resumed = CliRun.in(home).run("resume", Journals.only(home), "--yes");
        assertEquals(2, resumed.code(), "a verdict is not resumed: " + resumed);
    }

    @Test
    void aVerdictThatCannotBeReachedFailsWithExit8AndRollsNothingBack() {
        CliRun.Result result = CliRun.in(home).run("run", runbook, "--set", "errors=several", "--yes");

        assertEquals(8, result.code(), result.toString());
        assertTrue(result.err().contains("verdict of step 'judge': fail: the verdict could not be reached: target"
                + " 'lost writes': 'several' is neither a number nor a duration"), result.err());
        assertTrue(journal().stream().noneMatch(e -> e.type() == EventType.ROLLBACK_STARTED));
    }
}
