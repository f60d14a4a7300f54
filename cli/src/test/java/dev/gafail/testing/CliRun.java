package dev.gafail.testing;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.app.StepTypes;
import dev.gafail.cli.CliContext;
import dev.gafail.cli.Main;
import dev.gafail.engine.StopSignal;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the gafail command in-process, as a user would type it, and captures what it says. */
public final class CliRun {

    /** Exit code, stdout and stderr of one command. */
    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path home;
    private StepTypes actions = BuiltinActions::registry;
    private final Map<String, String> env = new HashMap<>();
    private Path workingDirectory;
    private boolean interactive;
    private String input = "";
    private StopSignal stop = new StopSignal();

    private CliRun(Path home) {
        this.home = home;
    }

    /** Commands whose state lives in {@code home} (as GAFAIL_HOME). */
    public static CliRun in(Path home) {
        return new CliRun(home);
    }

    public CliRun actions(StepTypes types) {
        this.actions = types;
        return this;
    }

    /** An environment variable the command sees (GAFAIL_HOME is always set). */
    public CliRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Where {@code ./gafail.yaml} is looked for; default: {@code home}. */
    public CliRun workingDirectory(Path directory) {
        this.workingDirectory = directory;
        return this;
    }

    /** As if a person sat at a terminal and typed {@code typed}. */
    public CliRun terminal(String typed) {
        this.interactive = true;
        this.input = typed;
        return this;
    }

    public CliRun stop(StopSignal signal) {
        this.stop = signal;
        return this;
    }

    private Map<String, String> environment() {
        Map<String, String> all = new HashMap<>(env);
        all.put("GAFAIL_HOME", home.toString());
        // Nothing a developer's shell says about AWS may reach a test.
        all.put("HOME", home.toString());
        return all;
    }

    /**
     * {@code gafail resume ID}, tried again while it finds the lock held (exit 5), for up to 30 s: until the
     * lease of a holder that was killed has run out (a class's topology sets it short).
     */
    public Result resumedOnceTheLeaseEnds(String id) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(30);
        while (true) {
            Result result = run("resume", id, "--yes");
            if (result.code() != 5 || Instant.now().isAfter(end)) {
                return result;
            }
            Thread.sleep(1000);
        }
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), interactive,
                environment(), workingDirectory == null ? home : workingDirectory, Clock.systemUTC(), actions, stop,
                List.of());
        int code = Main.run(context, args);
        return new Result(code, out.toString(), err.toString());
    }
}
