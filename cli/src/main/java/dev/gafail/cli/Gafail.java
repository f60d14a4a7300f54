package dev.gafail.cli;

import dev.gafail.app.RunRequest;
import dev.gafail.app.Session;
import dev.gafail.engine.EventListener;
import dev.gafail.engine.ExecutionResult;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.UncheckedIOException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code gafail} command: its global options, the {@link Session} the subcommands work with
 * (closed when the command ends), and the console they render to. {@link #commandLine} wires exit
 * codes and error handling, the one place exceptions become exit codes: a {@link GafailException}
 * becomes its lines on stderr and its exit code; anything else is one line (a stack trace only with
 * {@code -v}) and exit 1.
 */
@Command(name = "gafail", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = VersionCommand.Provider.class,
        usageHelpAutoWidth = true, sortOptions = false,
        description = "Failover orchestration for an API in two AWS regions behind Global Accelerator.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0 success", "  1 a step failed (rolled back or stopped; the message says how to resume);"
                + " status could not read everything; history, show or resume could not read a journal;"
                + " audit verify found tampering",
                "  2 usage or validation error (nothing executed)", "  3 preconditions not met (nothing changed)",
                "  4 aborted by the operator (or interrupted; resumable)", "  5 another execution holds the lock",
                "  6 succeeded with deferred steps (a region or control plane did not answer): gafail reconcile"
                        + " completes them when it answers again",
                "  7 incomplete plan: a dry run in which some step could not be planned"},
        subcommands = {FailoverCommand.class, StatusCommand.class, DemoCommand.class, RunCommand.class, PlanCommand.class, ValidateCommand.class, ResumeCommand.class, ReconcileCommand.class,
                HistoryCommand.class, ShowCommand.class, AuditCommand.class, IamPolicyCommand.class, TopologyCommand.class, LabCommand.class, SchemaCommand.class,
                VersionCommand.class, AutoComplete.GenerateCompletion.class, TrainCommand.class})
public final class Gafail implements Runnable {

    private final CliContext context;
    private final ConsoleMask mask;
    private BufferedReader answers;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandLine.Model.CommandSpec spec;

    private Session session;

    Gafail(CliContext context, ConsoleMask mask) {
        this.context = context;
        this.mask = mask;
    }

    static CommandLine commandLine(CliContext context, ConsoleMask mask) {
        CommandLine line = new CommandLine(new Gafail(context, mask));
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
        String what = e instanceof UncheckedIOException io ? io.getMessage() : "internal error: " + e;
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

    /** What this command works with (loader, topology, AWS clients, state), built on first use. */
    Session session() {
        if (session == null) {
            if (global.verbose) {
                // Read once, when the first library logger is made: the SDK's are made with its clients.
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            }
            session = new Session(new Session.Settings(context.env(), context.workingDirectory(), context.clock(),
                    context.stop(), context.argv(), context.actions(), global.topology, global.profile,
                    user -> new ConsoleOperator(user, context.err(), answers(), context.interactive(),
                            context.stop(), terminal()),
                    VersionCommand.number(), mask::add));
        }
        return session;
    }

    /** The terminal behind stdin, or null (tests, pipes). */
    private Console terminal() {
        return context.in() == System.in ? System.console() : null;
    }

    /** Every answer of the command, through one reader: a secret read from the terminal shares its buffer. */
    private BufferedReader answers() {
        if (answers == null) {
            answers = terminal() != null ? new BufferedReader(terminal().reader())
                    : ConsoleOperator.reader(context.in());
        }
        return answers;
    }

    /** Closes what the command opened. */
    void close() {
        if (session != null) {
            session.close();
        }
    }

    EventListener console() {
        return global.output == OutputFormat.JSON ? new JsonRenderer(context.out())
                : new TextRenderer(context.out(), style(), context.interactive(), global.verbose);
    }

    /** Runs (or plans) what {@code request} asks, shows it on the console, and returns the exit code. */
    int run(RunRequest request) {
        return finish(session().execute(request, console()));
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
