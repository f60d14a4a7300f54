package dev.gafail.cli;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.Journals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** gafail as separate processes: killed, signalled, racing each other. */
class ProcessTest {

    @TempDir
    Path dir;

    private final String waits = resource("runbooks/engine/waits.yaml").toString();

    private Path home() {
        return dir.resolve("home");
    }

    @Test
    void killedMidStepThenResumedFinishesWithoutRedoingCompletedSteps() throws Exception {
        try (GafailProcess run = GafailProcess.start(home(), "run", waits, "--yes")) {
            Journals.awaitEvent(home(), e -> e.type() == EventType.STEP_STARTED && "two".equals(e.step()),
                    Duration.ofSeconds(30));
            run.kill();
        }
        String id = Journals.only(home());
        Set<String> completedBeforeKill = completed(Journals.events(home(), id));
        assertTrue(completedBeforeKill.contains("one"), completedBeforeKill.toString());
        JsonNode history = Json.MAPPER.readTree(CliRun.in(home()).run("history", "--output", "json").out());
        assertEquals("interrupted", history.get(0).get("status").asString(), "a dead process shows as interrupted");

        GafailProcess resume = GafailProcess.start(home(), "resume", id, "--yes");
        assertEquals(0, resume.exitCode(), resume.err());

        List<Event> events = Journals.events(home(), id);
        List<Event> afterResume = events.subList(indexOf(events, EventType.EXECUTION_RESUMED), events.size());
        for (String step : completedBeforeKill) {
            assertTrue(afterResume.stream().noneMatch(e -> step.equals(e.step()) && e.type() == EventType.STEP_STARTED),
                    step + " was completed before the kill and must not run again");
        }
        assertEquals(Set.of("one", "two", "three", "four"), completed(events));
        assertEquals(EventType.EXECUTION_FINISHED, events.get(events.size() - 1).type());
        assertEquals("succeeded", events.get(events.size() - 1).text("status"));
    }

    /** In the local folder too, {@code abort} from another process stops the holder at its next safe point. */
    @Test
    void abortFromAnotherProcessStopsTheHolderAtASafePointResumably() throws Exception {
        try (GafailProcess run = GafailProcess.start(home(), "run", waits, "--yes", "--set", "each=3s")) {
            Journals.awaitEvent(home(), e -> e.type() == EventType.STEP_STARTED && "one".equals(e.step()),
                    Duration.ofSeconds(30));
            String id = Journals.only(home());
            CliRun.Result asked = CliRun.in(home()).run("abort", id, "--reason", "drill over");
            assertEquals(0, asked.code(), asked.toString());
            assertEquals(4, run.exitCode(), run.err());
            assertTrue(run.err().contains("stopped at a safe point (aborted by "), run.err());
            assertTrue(run.err().contains("(drill over)); to finish: gafail resume " + id), run.err());
            CliRun.Result again = CliRun.in(home()).run("abort", id);
            assertEquals(2, again.code(), again.toString());
            assertTrue(again.err().contains("is interrupted, not running"), again.err());
            assertTrue(Files.readString(home().resolve("audit.jsonl")).contains("\"event\":\"abort-requested\""));
        }
    }

    @Test
    void twoRunsRaceForOneRunbookAndTheSecondExits5NamingTheHolder() throws Exception {
        try (GafailProcess first = GafailProcess.start(home(), "run", waits, "--yes", "--set", "each=2s");
             GafailProcess second = GafailProcess.start(home(), "run", waits, "--yes", "--set", "each=1s")) {
            int a = first.exitCode();
            int b = second.exitCode();

            assertEquals(List.of(0, 5), List.of(Math.min(a, b), Math.max(a, b)), first.err() + second.err());
            GafailProcess winner = a == 0 ? first : second;
            GafailProcess loser = a == 0 ? second : first;
            String user = System.getProperty("user.name");
            assertTrue(loser.err().matches("(?s)gafail: another execution holds the lock for runbook:.*waits\\.yaml: "
                    + user + "@\\S+ pid " + winner.pid() + " since \\S+ \\(execution \\S+\\).*"), loser.err());
        }
        assertEquals(1, Journals.ids(home()).size(), "the loser started no execution");
    }

    @Test
    void sigtermStopsAtASafePointPrintsTheResumeCommandAndExits4() throws Exception {
        try (GafailProcess run = GafailProcess.start(home(), "run", waits, "--yes", "--set", "each=20s")) {
            String id = Journals.awaitEvent(home(), e -> e.type() == EventType.STEP_STARTED,
                    Duration.ofSeconds(30));
            run.terminate();

            assertEquals(4, run.exitCode(), run.err());
            assertTrue(run.err().contains("gafail resume " + id), run.err());
            List<Event> events = Journals.events(home(), id);
            assertEquals(EventType.EXECUTION_INTERRUPTED, events.get(events.size() - 1).type());
        }
    }

    private static Set<String> completed(List<Event> events) {
        return events.stream().filter(e -> e.type() == EventType.STEP_SUCCEEDED).map(Event::step)
                .collect(Collectors.toSet());
    }

    private static int indexOf(List<Event> events, EventType type) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type() == type) {
                return i;
            }
        }
        throw new AssertionError("no " + type);
    }
}
