package dev.gafail.cli;

import dev.gafail.app.StepTypes;
import dev.gafail.engine.StopSignal;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Everything a command reads from its surroundings, passed in so that tests run commands
 * in-process: the streams, whether a person is at a terminal, the environment, the clock, the
 * working directory (where ./gafail.yaml is looked for), the step types, and the stop signal that Ctrl-C and SIGTERM raise.
 *
 * @param interactive whether a person answers questions, on {@code in}
 * @param questions   where questions go: the terminal, even when stdout and stderr are piped ({@code | tee})
 * @param styled      whether stdout is a terminal, which escape codes may colour
 */
public record CliContext(PrintWriter out, PrintWriter err, InputStream in, boolean interactive,
                         Map<String, String> env, Path workingDirectory, Clock clock, StepTypes actions,
                         StopSignal stop, List<String> argv, PrintWriter questions, boolean styled) {

    public CliContext {
        env = Map.copyOf(env);
        argv = List.copyOf(argv);
    }

    /** Questions on stderr, and stdout a terminal whenever a person answers: a test's stand-in for one. */
    public CliContext(PrintWriter out, PrintWriter err, InputStream in, boolean interactive, Map<String, String> env,
                      Path workingDirectory, Clock clock, StepTypes actions, StopSignal stop, List<String> argv) {
        this(out, err, in, interactive, env, workingDirectory, clock, actions, stop, argv, err, interactive);
    }

    /** This context for a command line {@code args}, its stdout and stderr behind {@code mask}. */
    CliContext behind(ConsoleMask mask, List<String> args) {
        PrintWriter maskedErr = mask.writer(err);
        return new CliContext(mask.writer(out), maskedErr, in, interactive, env, workingDirectory, clock,
                actions, stop, args, questions == err ? maskedErr : mask.writer(questions), styled);
    }
}
