package dev.gafail.engine;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.actions.BuiltinActions;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeChange;
import dev.gafail.testing.FakeWorld;
import dev.gafail.testing.Journals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's safety properties, through the gafail command, with test step types that record every call. */
class EngineTest {

    @TempDir
    Path home;

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

    /** The newest execution's status, as {@code gafail history} says it. */
    private String status() {
        return Json.MAPPER.readTree(gafail().run("history", "--output", "json").out()).at("/0/status").asString();
    }

    @Test
    void aStepWhoseRegionDoesNotAnswerIsDeferredWithWhatReadsItAndReconcileCompletesThem() {
        CliRun.Result result = gafail().run("run", runbook("deferred"), "--yes");

        assertEquals(6, result.code(), result.toString());
        assertTrue(world.present("a") && world.present("d") && !world.present("b"), world.calls().toString());
        String id = Journals.only(home);
        List<Event> deferred = journal().stream().filter(e -> e.type() == EventType.STEP_DEFERRED).toList();
        assertEquals(List.of("b", "c"), deferred.stream().map(Event::step).toList());
        assertEquals("the test's region", deferred.get(0).text("unreachable"));
        assertTrue(deferred.get(1).message().contains("waits for deferred step 'b'"), deferred.get(1).message());
        assertTrue(result.err().contains("with 2 deferred step(s): b, c. Once the test's region answer again:"
                + " gafail reconcile " + id), result.err());

        CliRun.Result reconciled = gafail().run("reconcile", "--yes");
        assertEquals(0, reconciled.code(), reconciled.toString());
        assertTrue(world.present("b") && world.present("b-c"), world.calls().toString());
        assertEquals(1, world.calls().stream().filter("apply:a"::equals).count(), "done steps are not redone");
        assertEquals("succeeded", status());
    }

    @Test
    void aCheckThatReadsADeferredStepsOutputsFailsRatherThanPassWithoutRunning() {
        CliRun.Result result = gafail().run("run", runbook("deferred-verify"), "--yes");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("step 'b-done' failed: reads the outputs of deferred step 'b', which has"
                + " not run yet"), result.err());
    }

    @Test
    void aDeferredStepThatFailsInReconcileStaysOwedUntilAReconcileCompletesIt() {
        assertEquals(6, gafail().run("run", runbook("deferred"), "--yes", "--set", "failAfter=1").code());
        String id = Journals.only(home);

        CliRun.Result failed = gafail().run("reconcile", id, "--yes");
        assertEquals(1, failed.code(), failed.toString());
        assertTrue(failed.err().contains("deferred step 'b' failed: injected failure 1 of b. Fix the cause, then:"
                + " gafail reconcile " + id), failed.err());
        assertEquals("succeeded-with-deferred", status());

        CliRun.Result again = gafail().run("reconcile", id, "--yes");
        assertEquals(0, again.code(), again.toString());
        assertTrue(world.present("b") && world.present("b-c"));
    }

    @Test
    void dryRunMakesNoMutatingCall() {
        CliRun.Result result = gafail().run("run", runbook("changes"), "--dry-run");

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of(), world.mutations());
        assertEquals(List.of("plan:a", "plan:b", "plan:c"), world.calls());
        assertTrue(result.out().contains("plan  c (test.change)  absent → present"), result.out());
        assertEquals(List.of(), Journals.ids(home), "a dry run leaves no execution behind");
    }

    @Test
    void aStepWhoseWhenIsFalseIsSkippedInThePlanAndInTheRunAndOneWhoseWhenReadsOutputsIsKnownAfterApply()
            throws Exception {
        Path fixed = home.resolve("when.yaml");
        Files.writeString(fixed, Files.readString(Path.of(runbook("when"))).lines()
                .filter(line -> !line.contains("id: typo")).collect(java.util.stream.Collectors.joining("\n")));
        CliRun.Result planned = gafail().run("run", fixed.toString(), "--dry-run");
        assertEquals(0, planned.code(), planned.toString());
        assertTrue(planned.out().contains("plan  unplanned (test.change)  skipped: its 'when' is false"), planned.out());
        assertTrue(planned.out().contains("plan  reads (test.change)  known after apply (reads steps.always.outputs.key)"),
                planned.out());

        CliRun.Result ran = gafail().run("run", fixed.toString(), "--yes");
        assertEquals(0, ran.code(), ran.toString());
        assertEquals(List.of("apply:always", "apply:planned", "apply:reads"), world.mutations());
        assertTrue(journal().stream().anyMatch(e -> e.type() == EventType.STEP_SKIPPED && "unplanned".equals(e.step())
                && "skipped: its 'when' is false".equals(e.message())), journal().toString());

        FakeWorld other = new FakeWorld();
        assertEquals(0, CliRun.in(home.resolve("other")).actions(target -> BuiltinActions.registry(target,
                new FakeChange(other))).run("run", fixed.toString(), "--set", "scenario=region-loss", "--yes").code());
        assertEquals(List.of("apply:always", "apply:unplanned", "apply:reads"), other.mutations());
    }

    @Test
    void aWhenThatNamesAnUnknownStepIsRefusedWithItsPosition() {
        CliRun.Result result = gafail().run("validate", runbook("when"));

        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().contains("when.yaml:11:47: "), result.err());
        assertTrue(result.err().contains("'alway'"), result.err());
    }

    @Test
    void planCommandIsTheDryRun() {
        CliRun.Result result = gafail().run("plan", runbook("changes"));

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of(), world.mutations());
    }

    @Test
    void failingPreconditionChangesNothingAndExits3() {
        CliRun.Result result = gafail().run("run", runbook("changes"), "--set", "failAt=precondition", "--yes");

        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("precondition 'ready' not met: the world is not ready; nothing was changed"),
                result.err());
        assertEquals(List.of(), world.calls(), "not even planned");
    }

    @Test
    void dryRunReportsPreconditionsThatWouldFail() {
        CliRun.Result result = gafail().run("plan", runbook("changes"), "--set", "failAt=precondition");

        assertEquals(3, result.code(), result.toString());
        assertEquals(List.of(), world.mutations());
    }

    @Test
    void failingStepRollsBackCompletedStepsInReverseOrder() {
        CliRun.Result result = gafail().run("run", runbook("changes"), "--set", "failAt=c", "--yes");

        assertEquals(1, result.code(), result.toString());
        assertEquals(List.of("apply:a", "apply:b", "apply:c",
                        "rollback:c", "rollback:b", "apply:b-undone", "rollback:a", "apply:cleanup"),
                world.mutations());
        assertTrue(result.err().contains("step 'c' failed: injected failure 1 of c; rolled back 3 step(s)"),
                result.err());
        assertEquals(ExecutionStatus.ROLLED_BACK, summary().status());
    }

    @Test
    void successfulRunAppliesEachStepOnceAndVerifies() {
        CliRun.Result result = gafail().run("run", runbook("changes"), "--yes");

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("apply:a", "apply:b", "apply:c"), world.mutations());
        assertTrue(result.out().contains("✓ verify all-there (control.assert)"), result.out());
        assertEquals(ExecutionStatus.SUCCEEDED, summary().status());
    }

    @Test
    void eachChangeIsInTheJournalBeforeItIsMade() {
        List<String> lastJournalledAtApply = new java.util.ArrayList<>();
        world.onApply(key -> {
            List<Event> events = journal();
            Event last = events.get(events.size() - 1);
            lastJournalledAtApply.add(last.type().wire() + ":" + last.step());
        });

        CliRun.Result result = gafail().run("run", runbook("changes"), "--yes");

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("step-applying:a", "step-applying:b", "step-applying:c"), lastJournalledAtApply);
    }

    @Test
    void onlyRetryableErrorsAreRetried() {
        CliRun.Result result = gafail().run("run", runbook("retry"), "--yes");

        assertEquals(1, result.code(), result.toString());
        assertEquals(3, world.calls().stream().filter("apply:flaky"::equals).count(), "retryable: 3 attempts");
        assertEquals(1, world.calls().stream().filter("apply:broken"::equals).count(), "not retryable: 1 attempt");
        assertEquals(2, journal().stream().filter(e -> e.type() == EventType.STEP_RETRYING).count());
        assertTrue(result.out().contains("flaky (test.change): attempt 1 failed: injected failure 1 of flaky"),
                result.out());
    }

    @Test
    void aCompensationIsRetriedByItsStepsPolicyAndSaysHowOftenWhenItGivesUp() {
        CliRun.Result recovered = gafail().run("run", runbook("compensation-retry"), "--set", "rollbackFailures=2",
                "--yes");
        assertEquals(1, recovered.code(), recovered.toString());
        assertEquals(3, world.calls().stream().filter("rollback:a"::equals).count(), "two failures, then undone");
        assertFalse(world.present("a"), "rolled back in the end");
        assertEquals(ExecutionStatus.ROLLED_BACK, summary().status());

        CliRun.Result stuck = gafail().run("run", runbook("compensation-retry"), "--set", "rollbackFailures=9",
                "--yes");
        assertEquals(1, stuck.code(), stuck.toString());
        assertEquals(6, world.calls().stream().filter("rollback:a"::equals).count(), "attempts: 3, then it gives up");
        assertTrue(stuck.out().contains("injected failure 5 of the rollback of a (after 3 attempts)"), stuck.toString());
    }

    @Test
    void aResumedRollbackGetsTheOutputsOfTheStepItUndoesTypedAsApplyReturnedThem() {
        CliRun.Result stuck = gafail().run("run", runbook("compensation-retry"), "--set", "rollbackFailures=9",
                "--yes");
        assertEquals(1, stuck.code(), stuck.toString());
        assertEquals(List.of(Optional.empty()), world.rollbackOutputs("b"), "b's apply never returned");

        CliRun.Result resumed = gafail().run("resume", Journals.only(home), "--set", "rollbackFailures=0", "--yes");

        assertEquals(1, resumed.code(), resumed.toString());
        assertEquals(ExecutionStatus.ROLLED_BACK, summary().status());
        List<Optional<FakeChange.Outputs>> a = world.rollbackOutputs("a");
        assertEquals(4, a.size(), "three attempts, then the resumed one: " + a);
        assertEquals(Optional.of(new FakeChange.Outputs("a")), a.get(3), "read back from the journal as the record");
    }

    @Test
    void aRollbackCountsOnlyTheStepsItUndid() {
        CliRun.Result result = gafail().run("run", runbook("rollback"), "--set", "failAt=c", "--yes");

        assertEquals(1, result.code(), result.toString());
        assertEquals(List.of("apply:a", "apply:b", "apply:c", "rollback:c", "rollback:b", "apply:b-undone",
                "rollback:a"), world.mutations());
        assertTrue(result.err().contains("step 'c' failed: injected failure 1 of c; rolled back 3 step(s)"),
                "the wait and the check changed nothing and are not counted: " + result.err());
    }

    @Test
    void aRollbackWithNothingChangedSaysSo() {
        CliRun.Result result = gafail().run("run", runbook("rollback"), "--set", "failAt=sane", "--yes");

        assertEquals(1, result.code(), result.toString());
        assertEquals(List.of(), world.mutations());
        assertTrue(result.err().contains("; nothing to roll back: no step had changed anything"), result.err());
        assertEquals(ExecutionStatus.ROLLED_BACK, summary().status());
    }

    @Test
    void eachCompensationIsInTheJournalBeforeItActs() {
        List<String> lastJournalledAtRollback = new java.util.ArrayList<>();
        world.onApply(key -> {
            if (key.startsWith("rollback:")) {
                List<Event> events = journal();
                Event last = events.get(events.size() - 1);
                lastJournalledAtRollback.add(last.type().wire() + ":" + last.text("for"));
            }
        });

        CliRun.Result result = gafail().run("run", runbook("rollback"), "--set", "failAt=c", "--yes");

        assertEquals(1, result.code(), result.toString());
        assertEquals(List.of("rollback-applying:c", "rollback-applying:b", "rollback-applying:a"),
                lastJournalledAtRollback);
        assertEquals(3, journal().stream().filter(e -> e.type() == EventType.ROLLBACK_APPLIED).count());
    }

    @Test
    void aResumedRollbackRunsOnlyTheCompensationsThatHadNotRun() {
        CliRun.Result failed = gafail().run("run", runbook("rollback"), "--set", "failAt=c", "--set",
                "undoFailures=99", "--yes");
        assertEquals(1, failed.code(), failed.toString());
        assertTrue(failed.err().contains("rollback incomplete (b failed)"), failed.err());
        int before = world.mutations().size();

        CliRun.Result resumed = gafail().run("resume", Journals.only(home), "--set", "undoFailures=0", "--yes");

        assertEquals(1, resumed.code(), resumed.toString());
        assertEquals(List.of("apply:b-undone"), world.mutations().subList(before, world.mutations().size()),
                "b's own compensation had run and is not repeated");
        assertTrue(resumed.err().contains("resuming the rollback; rolled back 3 step(s)"), resumed.err());
        assertEquals(ExecutionStatus.ROLLED_BACK, summary().status());
    }

    @Test
    void aRollbackKilledRightAfterACompensationResumesWithoutRepeatingIt() throws Exception {
        gafail().run("run", runbook("rollback"), "--set", "failAt=c", "--yes");
        killedAfter(e -> e.type() == EventType.ROLLBACK_APPLIED && "b".equals(e.text("for")));
        int before = world.mutations().size();

        CliRun.Result resumed = gafail().run("resume", Journals.only(home), "--yes");

        assertEquals(1, resumed.code(), resumed.toString());
        assertEquals(List.of("rollback:a"), world.mutations().subList(before, world.mutations().size()),
                "c and b were compensated before the kill; b's rollback entry finds its work done");
        assertEquals(ExecutionStatus.ROLLED_BACK, summary().status());
    }

    @Test
    void aRollbackKilledDuringACompensationRedoesThatOneAsAStepIsRedone() throws Exception {
        gafail().run("run", runbook("rollback"), "--set", "failAt=c", "--yes");
        killedAfter(e -> e.type() == EventType.ROLLBACK_APPLYING && "b".equals(e.text("for")));
        int before = world.mutations().size();

        CliRun.Result resumed = gafail().run("resume", Journals.only(home), "--yes");

        assertEquals(1, resumed.code(), resumed.toString());
        assertEquals(List.of("rollback:b", "rollback:a"), world.mutations().subList(before, world.mutations().size()),
                "b's compensation may not have finished: it is made again (convergent)");
    }

    /**
     * Leaves the journal as a SIGKILL right after the first event that {@code last} matches would have:
     * cut there, and its writer a process that is gone (another start time under the same pid).
     */
    private void killedAfter(java.util.function.Predicate<Event> last) throws java.io.IOException {
        Path file = home.resolve("executions").resolve(Journals.only(home)).resolve(LocalState.JOURNAL);
        List<String> kept = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            kept.add(line.replaceAll("\"processStart\":\"[^\"]*\"", "\"processStart\":\"2001-01-01T00:00:00Z\""));
            if (last.test(Json.MAPPER.readValue(line, Event.class))) {
                break;
            }
        }
        Files.write(file, kept);
    }

    @Test
    void stepTimeoutHolds() {
        Instant start = Instant.now();
        CliRun.Result result = gafail().run("run", runbook("timeout"), "--yes");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("step 'slow' failed: timed out after 300ms"), result.err());
        assertTrue(Duration.between(start, Instant.now()).toSeconds() < 30, "the hanging step was cut off");
        assertEquals(List.of("apply:quick", "apply:slow", "rollback:slow", "rollback:quick"), world.mutations());
    }

    @Test
    void overallTimeoutHolds() {
        CliRun.Result result = gafail().run("run", resource("runbooks/engine/waits.yaml").toString(),
                "--set", "each=20s", "--timeout", "500ms", "--yes");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("step 'one' failed: the execution's timeout ran out"), result.err());
    }

    @Test
    void compensationsRunEvenWhenTheExecutionsTimeoutRanOut() {
        // 2 s for the execution, 30 s for the hanging step: the execution's runs out first, while the start's
        // fsyncs and the quick step fit well inside it on a loaded machine.
        CliRun.Result result = gafail().run("run", runbook("execution-timeout"), "--timeout", "2s", "--yes");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("step 'slow' failed: the execution's timeout ran out; rolled back 2 step(s)"),
                result.err());
        assertEquals(List.of("apply:quick", "apply:slow", "rollback:slow", "rollback:quick"), world.mutations());
    }

    @Test
    void parallelGroupRunsItsStepsConcurrently() {
        // Each step waits at a two-party barrier, which only opens if both run at once.
        CliRun.Result result = gafail().run("run", runbook("parallel"), "--yes");

        assertEquals(0, result.code(), result.toString());
        assertTrue(world.present("left") && world.present("right") && world.present("after"));
    }

    @Test
    void failureInParallelGroupCancelsSiblings() {
        CliRun.Result result = gafail().run("run", runbook("parallel-failure"), "--yes");

        assertEquals(1, result.code(), result.toString());
        Event cancelled = journal().stream()
                .filter(e -> e.type() == EventType.STEP_FAILED && "hanging".equals(e.step())).findFirst().orElseThrow();
        assertEquals("cancelled because step 'bad' failed", cancelled.message());
        assertEquals(List.of("apply:bad", "apply:hanging", "rollback:bad", "rollback:hanging"),
                world.mutations().stream().sorted().toList(), "never is not applied; both started are compensated");
    }

    @Test
    void stopLeavesAResumableExecutionThatSkipsCompletedSteps() {
        CliRun.Result failed = gafail().run("run", runbook("stop"), "--set", "failAt=b", "--yes");
        assertEquals(1, failed.code(), failed.toString());
        String id = Journals.only(home);
        assertTrue(failed.err().contains("stopped. Fix the cause, then: gafail resume " + id), failed.err());
        assertEquals(List.of("apply:a", "apply:b"), world.mutations(), "stopped: no rollback");

        CliRun.Result resumed = gafail().run("resume", id, "--set", "failAt=none", "--yes");

        assertEquals(0, resumed.code(), resumed.toString());
        assertEquals(List.of("apply:a", "apply:b", "apply:b", "apply:c"), world.mutations());
        assertEquals(ExecutionStatus.SUCCEEDED, summary().status());
    }

    @Test
    void continueRecordsTheFailureAndGoesOn() {
        CliRun.Result result = gafail().run("run", runbook("continue"), "--yes");

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("apply:optional", "apply:b"), world.mutations());
        assertTrue(result.out().contains("✗ optional (test.change)  injected failure 1 of optional"), result.out());
    }

    @Test
    void secretsNeverReachOutputJournalOrAudit() throws Exception {
        String token = "s3cr3t-t0ken-value";
        CliRun.Result result = gafail().run("run", runbook("secret"), "--set", "token=" + token, "--yes",
                "--reason", "drill");

        assertEquals(1, result.code(), result.toString());
        assertTrue(world.calls().contains("apply:" + token), "the step itself received the real value");
        assertFalse(result.out().contains(token), result.out());
        assertFalse(result.err().contains(token), result.err());
        assertTrue(result.err().contains("token *** refused"), result.err());
        String journal = Files.readString(home.resolve("executions").resolve(Journals.only(home))
                .resolve("journal.jsonl"));
        assertTrue(journal.contains("***"));
        assertFalse(journal.contains(token), journal);
        assertFalse(Files.readString(home.resolve("audit.jsonl")).contains(token));
    }

    @Test
    void preconditionsMayOnlyUseReadOnlySteps() {
        CliRun.Result result = gafail().run("validate", runbook("mutating-precondition"));

        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().contains(":5:26: 'test.change' changes things; preconditions may only use read-only"
                + " checks (at /preconditions/0/action)"), result.err());
    }

    @Test
    void withoutTerminalOrYesNothingRunsAndExit4() {
        CliRun.Result result = gafail().run("run", runbook("approve"));

        assertEquals(4, result.code(), result.toString());
        assertTrue(result.err().contains("pass --yes to approve non-interactively; nothing was changed"), result.err());
        assertEquals(List.of(), world.mutations());
        assertEquals(ExecutionStatus.ABORTED, summary().status());
    }

    @Test
    void operatorApprovesThePlanAndEachGateAtTheTerminal() {
        CliRun.Result result = gafail().terminal("y\nyes\n").run("run", runbook("approve"));

        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("apply:a", "apply:b"), world.mutations());
        assertTrue(result.err().contains("go on to b? [y/N]"), result.err());
    }

    @Test
    void operatorDecliningAGateStopsResumably() {
        CliRun.Result result = gafail().terminal("y\nn\n").run("run", runbook("approve"));

        assertEquals(4, result.code(), result.toString());
        assertEquals(List.of("apply:a"), world.mutations());
        assertTrue(result.err().contains("declined by"), result.err());
        assertEquals(ExecutionStatus.ABORTED, summary().status());
    }

    @Test
    void stopSignalInterruptsAtASafePointAndResumeFinishes() throws Exception {
        StopSignal stop = new StopSignal();
        String waits = resource("runbooks/engine/waits.yaml").toString();
        Thread operator = new Thread(() -> {
            try {
                Journals.awaitEvent(home, e -> e.type() == EventType.STEP_STARTED && "two".equals(e.step()),
                        Duration.ofSeconds(20));
                stop.request("SIGINT");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        operator.start();
        CliRun.Result interrupted = CliRun.in(home).stop(stop).run("run", waits, "--set", "each=1s", "--yes");
        operator.join();

        assertEquals(4, interrupted.code(), interrupted.toString());
        String id = Journals.only(home);
        assertTrue(interrupted.err().contains("to finish: gafail resume " + id), interrupted.err());
        assertEquals(ExecutionStatus.INTERRUPTED, summary().status());

        CliRun.Result resumed = CliRun.in(home).run("resume", id, "--yes");

        assertEquals(0, resumed.code(), resumed.toString());
        List<Event> events = journal();
        int resumedAt = indexOf(events, EventType.EXECUTION_RESUMED);
        assertTrue(events.subList(resumedAt, events.size()).stream()
                .noneMatch(e -> e.type() == EventType.STEP_STARTED && "one".equals(e.step())), "one is not redone");
        assertTrue(events.subList(resumedAt, events.size()).stream()
                .anyMatch(e -> e.type() == EventType.STEP_SUCCEEDED && "four".equals(e.step())));
    }

    @Test
    void resumingAFinishedExecutionIsAUsageError() {
        gafail().run("run", runbook("changes"), "--yes");

        CliRun.Result again = gafail().run("resume", Journals.only(home), "--yes");

        assertEquals(2, again.code(), again.toString());
        assertTrue(again.err().contains("succeeded; there is nothing to resume"), again.err());
    }

    private ExecutionSummary summary() {
        String id = Journals.only(home);
        return ExecutionStore.local(home).load(id, java.time.Clock.systemUTC()).summary();
    }

    private static int indexOf(List<Event> events, EventType type) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type() == type) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " in " + events);
    }
}
