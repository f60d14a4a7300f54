package dev.gafail.testing;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.cli.CliContext;
import dev.gafail.cli.Main;
import dev.gafail.engine.ActionRegistry;
import dev.gafail.engine.StopSignal;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
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
    private ActionRegistry actions = BuiltinActions.registry();
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

    public CliRun actions(ActionRegistry registry) {
        this.actions = registry;
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

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), interactive,
                Map.of("GAFAIL_HOME", home.toString()), Clock.systemUTC(), actions, stop, List.of());
        int code = Main.run(context, args);
        return new Result(code, out.toString(), err.toString());
    }
}
