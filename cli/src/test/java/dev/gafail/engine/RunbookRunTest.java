package dev.gafail.engine;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.actions.BuiltinActions;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeChange;
import dev.gafail.testing.FakeWorld;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.Journals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook.run}: a child runbook runs as a part of its parent's execution, under its lock, in its journal. */
class RunbookRunTest {

    @TempDir
    Path home;

    @TempDir
    Path books;

    private final FakeWorld world = new FakeWorld();

    private CliRun gafail() {
        return CliRun.in(home).actions(target -> BuiltinActions.registry(target, new FakeChange(world)));
    }

    private static String runbook(String name) {
        return resource("runbooks/engine/" + name + ".yaml").toString();
    }

    private List<Event> journal() {
        return Journals.events(home, Journals.only(home));
    }

    private static List<String> steps(List<Event> events, EventType type) {
        return events.stream().filter(e -> e.type() == type).map(Event::step).toList();
    }

    @Test
    void aChildRunsItsStepsInTheParentsJournalBelowItsStepAndThenTheParentReadsItsOutputs() {
        CliRun.Result result = gafail().run("run", runbook("parent-changes"), "--yes");

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("apply:a", "apply:inner-x", "apply:inner-y", "apply:inner-y-b"), world.mutations());
        assertEquals(List.of("a", "inner/x", "inner/y", "inner", "b"), steps(journal(), EventType.STEP_SUCCEEDED));
        assertEquals(1, journal().stream().filter(e -> e.type() == EventType.EXECUTION_FINISHED).count(),
                "the child's end is its step's, not the execution's");
    }

    @Test
    void aChildThatFailsRollsBackItsOwnStepsAndThenTheParentRollsBackItsOwn() {
        CliRun.Result result = gafail().run("run", runbook("parent-changes"), "--set", "failApplies=1", "--yes");

        assertEquals(1, result.code(), result.toString());
        assertEquals(List.of("apply:a", "apply:inner-x", "apply:inner-y", "rollback:inner-y", "rollback:inner-x",
                "rollback:a"), world.mutations());
        assertTrue(result.err().contains("step 'inner' failed: runbook 'child-changes': step 'y' failed: "),
                result.err());
        assertEquals(List.of("inner/y", "inner/x", "inner", "a"), steps(journal(), EventType.ROLLBACK_SUCCEEDED),
                "the child's own rollback, then the parent's (the child's step finds nothing left to undo)");
        assertEquals("rolled-back", status());
    }

    @Test
    void aLaterFailureOfTheParentCompensatesACompletedChildNewestFirst() {
        CliRun.Result result = gafail().run("run", runbook("parent-changes"), "--set", "failAfter=1", "--yes");

        assertEquals(1, result.code(), result.toString());
        assertEquals(List.of("apply:a", "apply:inner-x", "apply:inner-y", "apply:inner-y-b", "rollback:inner-y-b",
                "rollback:inner-y", "rollback:inner-x", "rollback:a"), world.mutations());
        assertEquals("rolled-back", status());
    }

    @Test
    void aChildsDeferredStepsAreCompletedWhereTheParentReconcilesThem() {
        CliRun.Result result = gafail().run("run", runbook("parent-reconciles"), "--yes");

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("apply:x", "apply:fence", "apply:between", "apply:fence", "apply:after"),
                world.mutations(), "the fence waited for its region, and was done before the step after");
        List<Event> events = journal();
        assertEquals(List.of("inner/fence", "inner"), steps(events, EventType.STEP_DEFERRED));
        assertEquals(List.of("inner/x", "between", "inner/fence", "inner", "fenced", "after"),
                steps(events, EventType.STEP_SUCCEEDED));
        assertEquals("succeeded", status(), "nothing is left for gafail reconcile");
    }

    @Test
    void aReconcileWhoseRegionStillDoesNotAnswerFailsNamingIt() {
        CliRun.Result result = gafail().run("run", runbook("parent-reconciles"), "--set", "unreachable=2", "--yes");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("step 'fenced' failed: 'inner' still waits: "), result.err());
        assertFalse(world.mutations().contains("apply:after"), world.mutations().toString());
    }

    @Test
    void aChildThatRolledItselfBackRunsAnewWhenItsStoppedParentIsResumed() {
        CliRun.Result stopped = gafail().run("run", runbook("parent-stops"), "--set", "failApplies=1", "--yes");
        assertEquals(1, stopped.code(), stopped.toString());
        String id = Journals.only(home);
        assertTrue(stopped.err().contains("gafail resume " + id), stopped.err());

        CliRun.Result resumed = gafail().run("resume", id, "--yes");

        assertEquals(0, resumed.code(), resumed.toString());
        assertEquals(List.of("apply:a", "apply:inner-x", "apply:inner-y", "rollback:inner-y", "rollback:inner-x",
                "apply:inner-x", "apply:inner-y"), world.mutations(), "the child undid its first run, then ran whole");
        assertEquals("succeeded", status());
    }

    @Test
    void aDryRunPlansTheChildsStepsAndChangesNothing() {
        CliRun.Result result = gafail().run("run", runbook("parent-changes"), "--dry-run");

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of(), world.mutations());
        assertEquals(List.of("plan:a", "plan:inner-x", "plan:inner-y"), world.calls());
        assertTrue(result.out().contains("inner/x (test.change)  absent → present"), result.out());
        assertTrue(result.out().contains("inner (runbook.run)  runbook 'child-changes' not run → runbook"
                + " 'child-changes': 2 of 2 steps would act"), result.out());
        assertEquals(List.of(), Journals.ids(home), "a dry run leaves no execution behind");
    }

    @Test
    void theChildRunsUnderTheParentsLockAndAResumeAfterAKillContinuesInsideItWithTheRunbooksItBeganWith()
            throws Exception {
        Path parent = books.resolve("parent.yaml");
        Files.copy(Path.of(runbook("parent")), parent);
        Files.copy(Path.of(runbook("child")), books.resolve("child.yaml"));
        String id;
        try (GafailProcess holder = GafailProcess.start(home, "run", parent.toString(), "--set", "each=2s", "--yes")) {
            id = Journals.awaitEvent(home, e -> e.type() == EventType.STEP_SUCCEEDED && "inner/one".equals(e.step()),
                    Duration.ofSeconds(60));

            CliRun.Result other = CliRun.in(home).run("run", parent.toString(), "--set", "each=10ms", "--yes");
            assertEquals(5, other.code(), other.toString());
            assertTrue(other.err().contains("(execution " + id + ")"), other.err());
            holder.kill();
        }
        // What resumes is what began: the child's file changed since does not count.
        Files.writeString(books.resolve("child.yaml"), "not: a runbook\n");

        CliRun.Result resumed = CliRun.in(home).run("resume", id, "--yes");

        assertEquals(0, resumed.code(), resumed.toString());
        List<Event> events = Journals.events(home, id);
        List<String> started = steps(events, EventType.STEP_STARTED);
        assertEquals(1, started.stream().filter("inner/one"::equals).count(), "done inside the child, not redone: "
                + events.stream().map(e -> e.type().wire() + " " + e.step()).toList());
        assertEquals(List.of("before", "inner/one", "inner/two", "inner/three", "inner", "after"),
                steps(events, EventType.STEP_SUCCEEDED));
    }

    @Test
    void aChildThatIsMissingRunsItselfOrIsGivenParametersItDoesNotDeclareIsRefusedWithItsPosition() {
        CliRun.Result cycle = gafail().run("validate", runbook("runs-itself"));
        assertEquals(2, cycle.code(), cycle.toString());
        assertTrue(cycle.err().contains("runs-itself.yaml:7:21: runbook 'runs-itself.yaml' would run itself: "),
                cycle.err());

        CliRun.Result mistakes = gafail().run("validate", runbook("child-mistakes"));
        assertEquals(2, mistakes.code(), mistakes.toString());
        String err = mistakes.err();
        assertTrue(err.contains("child-mistakes.yaml:7:21: no runbook 'no-such-runbook.yaml' to run"), err);
        assertTrue(err.contains("child-mistakes.yaml:10:52: runbook 'child' has no parameter 'eahc' (did you mean"
                + " 'each'?)"), err);
        assertTrue(err.contains("child-mistakes.yaml:13:11: runbook 'child' needs parameter 'each'"), err);
        assertFalse(err.contains("Exception"), err);
    }

    private String status() {
        return Json.MAPPER.readTree(gafail().run("history", "--output", "json").out()).at("/0/status").asString();
    }
}
