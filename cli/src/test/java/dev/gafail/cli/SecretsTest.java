package dev.gafail.cli;

import static dev.gafail.testing.Resources.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gafail.testing.CliRun;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.Journals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets never reach a sink: after runs that fail in every way found so far, every spelling of every
 * secret is looked for in stdout, stderr (where loggers and libraries write too), every journal and the
 * audit log. Only the runbook copies are left out: they are the operator's own file.
 */
class SecretsTest {

    /** Long (Jackson shortens long values in its messages), with a quote, a backslash and a space. */
    private static final String TOKEN = "Zt" + "9f3kQ".repeat(130) + "\"qu o\\te";
    private static final String HOLD = "1300ms";
    private static final String PIN = "987654";
    private static final String ZONE = "zone-q7x";
    /** Every way gafail spells them: as typed, ISO-8601, runbook syntax and for people; JSON- and URL-escaped. */
    private static final List<String> SPELLINGS = List.of(HOLD, "PT1.3S", "1s300ms", "1.3s", PIN, ZONE,
            "qu o\\te", "qu o\\\\te", "9f3kQ\\\"qu", "qu+o%5Cte", "qu%20o%5Cte");

    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve("home");
    }

    private CliRun gafail() {
        return CliRun.in(home());
    }

    private static String runbook(String name) {
        return resource("runbooks/secrets/" + name + ".yaml").toString();
    }

    @Test
    void aFailingStepThatNamesEverySecretLeavesNoneInAnySink() {
        CliRun.Result result = gafail().run("run", runbook("fails"), "--set", "token=" + TOKEN, "--set",
                "hold=" + HOLD, "--set", "pin=" + PIN, "--set", "zone=" + ZONE, "--yes", "--output", "json");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("token *** hold *** pin *** zone ***"), result.err());
        assertNoSecret(result.out(), result.err());
    }

    @Test
    void aFailingStepInAChildProcessWithEveryLogOnLeavesNoSecretInItsOutputOrLogs() throws Exception {
        GafailProcess run = GafailProcess.start(home(), List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=trace"),
                "run", runbook("fails"), "--set", "token=" + TOKEN, "--set", "hold=" + HOLD, "--set", "pin=" + PIN,
                "--set", "zone=" + ZONE, "--yes");

        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("token *** hold *** pin *** zone ***"), run.err());
        assertNoSecret(run.out(), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong-type-duration", "wrong-type-bool"})
    void aSecretTextOfTheWrongTypeIsRefusedInGafailsWordsWithoutItsValue(String name) {
        CliRun.Result result = gafail().run("run", runbook(name), "--set", "token=" + TOKEN, "--yes");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("do not fit: "), result.err());
        assertNoSecret(result.out(), result.err());
    }

    @Test
    void aSecretNumberOfTheWrongTypeIsRefusedWithoutItsValue() {
        CliRun.Result result = gafail().run("run", runbook("wrong-type-int"), "--set", "pin=" + PIN, "--yes");

        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("parameters of control.wait do not fit: duration: expected a duration"),
                result.err());
        assertNoSecret(result.out(), result.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"int", "duration"})
    void aSecretThatIsNotOfItsParametersTypeIsNamedButNotShown(String type) {
        String value = type.equals("int") ? PIN + "x" : HOLD + "x";
        CliRun.Result result = gafail().run("run", runbook("fails"), "--set", "token=" + TOKEN, "--set",
                (type.equals("int") ? "hold=" + HOLD : "pin=" + PIN), "--set", (type.equals("int") ? "pin=" : "hold=")
                        + value, "--set", "zone=" + ZONE, "--yes");

        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().contains("=***: not "), result.err());
        assertNoSecret(result.out(), result.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab\"cd", "\"leading", "trailing\"", "a\"b\"c\"d"})
    void quotesInASecretReachNoLibraryWarning(String quoted) throws Exception {
        String token = TOKEN + quoted;
        GafailProcess run = GafailProcess.start(home(), "run", runbook("fails"), "--set", "token=" + token,
                "--set", "hold=" + HOLD, "--set", "pin=" + PIN, "--set", "zone=" + ZONE, "--yes");

        assertEquals(1, run.exitCode(), run.err());
        assertTrue(!run.err().contains("picocli"), run.err());
        assertNoSecret(List.of(quoted), run.out(), run.err());
    }

    @Test
    void aSetWithoutANameIsRefusedWithoutEchoingIt() throws Exception {
        GafailProcess run = GafailProcess.start(home(), "run", runbook("fails"), "--set", TOKEN, "--yes");

        assertEquals(2, run.exitCode(), run.err());
        assertEquals("gafail: --set number 1 has no '=': write --set NAME=VALUE\n", run.err());
        assertNoSecret(run.out(), run.err());
    }

    @Test
    void theApprovalPromptMasksTheSecretsInItsQuestion() {
        CliRun.Result result = gafail().terminal("y\nn\n").run("run", runbook("asks"), "--set", "token=" + TOKEN,
                "--set", "pin=" + PIN);

        assertEquals(4, result.code(), result.toString());
        assertTrue(result.err().contains("go on with token ***, hold ***, pin ***? [y/N]"), result.err());
        assertNoSecret(result.out(), result.err());
    }

    @Test
    void resumeAsksForEverySecretAgainAndNeverFallsBackToADefault() {
        CliRun.Result declined = gafail().terminal("y\nn\n").run("run", runbook("asks"), "--set", "token=" + TOKEN,
                "--set", "pin=" + PIN);
        assertEquals(4, declined.code(), declined.toString());
        String id = Journals.only(home());

        CliRun.Result unattended = gafail().run("resume", id, "--yes", "--set", "token=" + TOKEN, "--set",
                "pin=" + PIN);
        assertEquals(2, unattended.code(), unattended.toString());
        assertEquals("gafail: execution " + id + " began with secret parameter 'hold', which its journal does not"
                + " keep: give it again with --set hold=...\n", unattended.err());
        CliRun.Result none = gafail().run("resume", id, "--yes");
        assertEquals(2, none.code(), none.toString());
        assertEquals("gafail: execution " + id + " began with secret parameters 'hold', 'pin', 'token', which its"
                + " journal does not keep: give them again with --set hold=... --set pin=... --set token=...\n",
                none.err());

        CliRun.Result asked = gafail().terminal(HOLD + "\n" + PIN + "\n" + TOKEN + "\ny\ny\n").run("resume", id);
        assertEquals(0, asked.code(), asked.toString());
        assertTrue(asked.err().contains("secret parameter 'hold' of execution " + id
                + " (not kept in its journal): "), asked.err());
        assertTrue(asked.err().contains("go on with token ***, hold ***, pin ***? [y/N]"), asked.err());
        assertNoSecret(declined.out(), declined.err(), unattended.out(), unattended.err(), asked.out(), asked.err());
    }

    @Test
    void resumeTakesTheSecretsFromSet() throws Exception {
        gafail().run("run", runbook("asks"), "--set", "token=" + TOKEN, "--set", "pin=" + PIN);
        String id = Journals.only(home());

        GafailProcess resumed = GafailProcess.start(home(), "resume", id, "--yes", "--set", "token=" + TOKEN,
                "--set", "hold=" + HOLD, "--set", "pin=" + PIN);

        assertEquals(0, resumed.exitCode(), resumed.err());
        assertNoSecret(resumed.out(), resumed.err());
    }

    private void assertNoSecret(String... console) {
        assertNoSecret(List.of(), console);
    }

    /** No spelling, and no 16 characters in a row of the long token, in {@code console} or any state file. */
    private void assertNoSecret(List<String> more, String... console) {
        List<String> sinks = new ArrayList<>(List.of(console));
        sinks.addAll(stateFiles());
        List<String> needles = new ArrayList<>(SPELLINGS);
        needles.addAll(more);
        for (int i = 0; i + 16 <= TOKEN.length(); i += 8) {
            needles.add(TOKEN.substring(i, i + 16));
        }
        for (String sink : sinks) {
            for (String needle : needles) {
                if (sink.contains(needle)) {
                    fail("a secret spelt '" + needle + "' reached a sink:\n" + sink);
                }
            }
        }
        assertTrue(sinks.size() > console.length || !Files.exists(home()), "the state files were read");
    }

    private List<String> stateFiles() {
        if (!Files.exists(home())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(home())) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals("runbook.yaml"))
                    .map(SecretsTest::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
