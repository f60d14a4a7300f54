package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code gafail} command line as picocli runs it: exit codes and error handling, the one place
 * exceptions become exit codes. A {@link GafailException} becomes its lines on stderr and its exit code;
 * anything else is one line (a stack trace only with {@code -v}) and exit 1. A word it does not know,
 * even followed by {@code --help}, is a usage error (exit 2).
 */
final class GafailCommandLine {

    private GafailCommandLine() {
    }

    static CommandLine create(CliContext context, ConsoleMask mask) {
        CommandLine line = new CommandLine(new Gafail(context, mask));
        line.setOut(context.out());
        line.setErr(context.err());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setUsageHelpAutoWidth(true);
        line.setParameterExceptionHandler(GafailCommandLine::usageError);
        line.setExecutionStrategy(GafailCommandLine::execute);
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (e instanceof ParameterException usage) {
                return usageError(usage, new String[0]);
            }
            return report(failed.getCommandSpec().root().commandLine().getCommand(), e);
        });
        return line;
    }

    /**
     * Runs the command parsed, after what picocli lets pass when {@code --help} is given: a word no
     * command knows (so that {@code gafail nosuch --help} is exit 2, not the root's help and 0), and
     * {@code --output markdown} for a command that prints no table.
     */
    private static int execute(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        Gafail root = parsed.commandSpec().commandLine().getCommand();
        colors(root, parsed.commandSpec().commandLine());
        ParseResult last = parsed;
        while (last.subcommand() != null) {
            last = last.subcommand();
        }
        if (root.global().output == OutputFormat.MARKDOWN && !(last.commandSpec().userObject() instanceof Tables)
                && !last.isUsageHelpRequested() && !last.isVersionHelpRequested()) {
            return report(root, new GafailException(ExitCode.USAGE, "--output markdown: '"
                    + last.commandSpec().qualifiedName(" ") + "' prints no table; use text or json (markdown:"
                    + " status, history, show)"));
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** One line naming what is wrong (for an unknown command, the closest ones), then where the usage is. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.isUnknownOption()
                && failed.getCommandSpec().positionalParameters().isEmpty() && !failed.getSubcommands().isEmpty()) {
            List<String> close = unmatched.getSuggestions();
            message = "'" + unmatched.getUnmatched().get(0) + "' is not a command of "
                    + failed.getCommandSpec().qualifiedName(" ")
                    + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close.stream()
                    .map(c -> "'" + c + "'").toList()) + "?");
        }
        failed.getErr().println("gafail: " + message);
        failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName(" ") + " --help' for usage.");
        failed.getErr().flush();
        return ExitCode.USAGE.code();
    }

    /** picocli's help in colour only where {@link Gafail#style()} paints. */
    private static void colors(Gafail root, CommandLine line) {
        Help.ColorScheme scheme = Help.defaultColorScheme(root.style().color() ? Help.Ansi.ON : Help.Ansi.OFF);
        line.setColorScheme(scheme);
    }

    private static int report(Gafail root, Exception e) {
        CliContext context = root.context();
        if (e instanceof GafailException g) {
            if (root.json() && !g.problems().isEmpty()) {
                context.out().println(Json.MAPPER.writeValueAsString(Map.of("problems",
                        g.problems().stream().map(ProblemJson::of).toList())));
                context.out().flush();
            }
            g.lines().forEach(l -> context.err().println(l.matches("^\\S+:\\d+:\\d+: .*") ? l : "gafail: " + l));
            context.err().flush();
            return g.exitCode().code();
        }
        boolean verbose = root.global().verbose;
        // A file gafail cannot read or write is the operator's to fix, not a bug.
        String what = e instanceof UncheckedIOException io ? io.getMessage() : "internal error: " + e;
        context.err().println("gafail: " + what + (verbose ? "" : " (rerun with -v for details)"));
        if (verbose) {
            e.printStackTrace(context.err());
        }
        context.err().flush();
        return ExitCode.STEP_FAILED.code();
    }
}
