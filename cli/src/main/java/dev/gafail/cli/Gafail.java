package dev.gafail.cli;

import dev.gafail.engine.Actor;
import dev.gafail.engine.Engine;
import dev.gafail.engine.EventListener;
import dev.gafail.engine.ExecutionResult;
import dev.gafail.engine.ExecutionService;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Operator;
import dev.gafail.engine.Redactor;
import dev.gafail.engine.RunOptions;
import dev.gafail.runbook.Durations;
import dev.gafail.runbook.Expressions;
import dev.gafail.runbook.InvalidFileException;
import dev.gafail.runbook.ParameterValues;
import dev.gafail.runbook.Problem;
import dev.gafail.runbook.Runbook;
import dev.gafail.runbook.RunbookLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The {@code gafail} command, and the one place that builds what the subcommands share: the
 * runbook loader, the execution service, the console. {@link #commandLine} wires exit codes and
 * error handling: a {@link GafailException} becomes its lines on stderr and its exit code; anything
 * else is one line (a stack trace only with {@code -v}) and exit 1.
 */
@Command(name = "gafail", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        usageHelpAutoWidth = true, sortOptions = false,
        description = "Failover orchestration for an API in two AWS regions behind Global Accelerator.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0 success", "  1 a step failed (rolled back or stopped; the message says how to resume)",
                "  2 usage or validation error (nothing executed)", "  3 preconditions not met (nothing changed)",
                "  4 aborted by the operator (or interrupted; resumable)", "  5 another execution holds the lock"},
        subcommands = {RunCommand.class, PlanCommand.class, ValidateCommand.class, ResumeCommand.class,
                HistoryCommand.class, ShowCommand.class, AuditCommand.class, SchemaCommand.class,
                VersionCommand.class, AutoComplete.GenerateCompletion.class})
public final class Gafail implements Runnable {

    private final CliContext context;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandLine.Model.CommandSpec spec;

    private RunbookLoader loader;

    Gafail(CliContext context) {
        this.context = context;
    }

    public static CommandLine commandLine(CliContext context) {
        CommandLine line = new CommandLine(new Gafail(context));
        line.setOut(context.out());
        line.setErr(context.err());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setUsageHelpAutoWidth(true);
        line.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        line.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("gafail: " + e.getMessage());
            failed.getErr().println("Try 'gafail " + qualifiedName(failed) + "--help' for usage.");
            failed.getErr().flush();
            return ExitCode.USAGE.code();
        });
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            Gafail root = failed.getCommandSpec().root().commandLine().getCommand();
            return root.report(e);
        });
        return line;
    }

    private static String qualifiedName(CommandLine line) {
        String name = line.getCommandSpec().qualifiedName(" ");
        return name.equals("gafail") ? "" : name.substring("gafail ".length()) + " ";
    }

    @Override
    public void run() {
        spec.commandLine().usage(context.out());
    }

    CliContext context() {
        return context;
    }

    GlobalOptions global() {
        return global;
    }

    int report(Exception e) {
        if (e instanceof GafailException g) {
            g.lines().forEach(l -> context.err().println(l.matches("^\\S+:\\d+:\\d+: .*") ? l : "gafail: " + l));
            context.err().flush();
            return g.exitCode().code();
        }
        // A file gafail cannot read or write is the operator's to fix, not a bug.
        String what = e instanceof java.io.UncheckedIOException io ? io.getMessage() : "internal error: " + e;
        context.err().println("gafail: " + what + (global.verbose ? "" : " (rerun with -v for details)"));
        if (global.verbose) {
            e.printStackTrace(context.err());
        }
        context.err().flush();
        return ExitCode.STEP_FAILED.code();
    }

    Style style() {
        return new Style(context.interactive() && !global.noColor && !context.env().containsKey("NO_COLOR")
                && global.output == OutputFormat.TEXT);
    }

    RunbookLoader loader() {
        if (loader == null) {
            loader = new RunbookLoader(context.actions(), new Expressions());
        }
        return loader;
    }

    /** The runbook at {@code file}, or exit 2 with every problem in it, one per line. */
    Runbook load(Path file) {
        try {
            return loader().load(file);
        } catch (InvalidFileException e) {
            throw new GafailException(ExitCode.USAGE, e.problems().stream().map(Problem::format).toList());
        }
    }

    static Map<String, Object> bind(Runbook runbook, Map<String, String> values) {
        try {
            return ParameterValues.bind(runbook, values);
        } catch (ParameterValues.InvalidParameters e) {
            throw new GafailException(ExitCode.USAGE, e.lines());
        }
    }

    ExecutionStore store() {
        return new ExecutionStore(ExecutionStore.defaultHome(context.env()));
    }

    ExecutionService service() {
        return new ExecutionService(new Engine(context.actions(), new Expressions(), context.clock()), store(),
                context.clock(), Actor.current());
    }

    EventListener console() {
        return global.output == OutputFormat.JSON ? new JsonRenderer(context.out())
                : new TextRenderer(context.out(), style(), context.interactive(), global.verbose);
    }

    RunOptions options(Runbook runbook, Map<String, Object> params, ChangeOptions change) {
        Duration timeout = null;
        if (change.timeout != null) {
            timeout = Durations.parse(change.timeout).orElseThrow(() -> new GafailException(ExitCode.USAGE,
                    "--timeout " + change.timeout + ": not a duration (" + Durations.EXAMPLES + ")"));
        }
        String user = Actor.current().user();
        Operator operator = change.yes ? Operator.preApproved(user + " (--yes)")
                : new ConsoleOperator(user, context.err(), context.in(), context.interactive(), context.stop());
        List<String> secrets = ParameterValues.secrets(runbook, params);
        String command = new Redactor(secrets).text("gafail " + String.join(" ", context.argv()));
        return new RunOptions(operator, context.stop(), change.reason, command, timeout, secrets);
    }

    /** Prints how an execution ended (stdout on success, stderr otherwise) and returns its exit code. */
    int finish(ExecutionResult result) {
        if (global.output == OutputFormat.TEXT && result.exitCode() == ExitCode.OK) {
            context.out().println(style().green("✓ ") + result.message());
            context.out().flush();
        } else if (result.exitCode() != ExitCode.OK) {
            context.err().println("gafail: " + result.message());
            context.err().flush();
        }
        return result.exitCode().code();
    }
}
