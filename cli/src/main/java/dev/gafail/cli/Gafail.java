package dev.gafail.cli;

import dev.gafail.app.RunRequest;
import dev.gafail.app.Session;
import dev.gafail.engine.EventListener;
import dev.gafail.engine.ExecutionResult;
import dev.gafail.engine.ExecutionStatus;
import dev.gafail.engine.ExitCode;
import java.io.BufferedReader;
import java.io.Console;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code gafail} command: its global options, the {@link Session} the subcommands work with
 * (closed when the command ends), and the console they render to. {@link GafailCommandLine} runs it.
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
                "  7 incomplete plan: a dry run in which some step could not be planned",
                "  8 a verdict failed: a drill missed a target (the message names each, measured and target), or"
                        + " check found a failing item"},
        subcommands = {FailoverCommand.class, DrillCommand.class, StatusCommand.class, CheckCommand.class, DemoCommand.class, RunCommand.class, PlanCommand.class, ValidateCommand.class, ResumeCommand.class, ReconcileCommand.class,
                HistoryCommand.class, ShowCommand.class, ReportCommand.class, AbortCommand.class, ApproveCommand.class, StateCommand.class, AuditCommand.class, IamPolicyCommand.class, TopologyCommand.class, LabCommand.class, SchemaCommand.class,
                VersionCommand.class, HelpCommand.class, ManCommand.class, CompletionCommand.class,
                CompleteCommand.class, TrainCommand.class})
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

    @Override
    public void run() {
        HelpCommand.show(this, spec.commandLine());
    }

    CliContext context() {
        return context;
    }

    GlobalOptions global() {
        return global;
    }

    /**
     * Colours only for a person at a terminal that understands escape codes (not {@code TERM=dumb}), not
     * with --no-color or NO_COLOR, and only in text.
     */
    Style style() {
        return new Style(escapes() && !global.noColor && !context.env().containsKey("NO_COLOR")
                && global.output == OutputFormat.TEXT);
    }

    /** Whether escape codes may be written: a terminal, and not a dumb one. */
    private boolean escapes() {
        return context.styled() && !"dumb".equals(context.env().get("TERM"));
    }

    boolean json() {
        return global.output == OutputFormat.JSON;
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
                    user -> new ConsoleOperator(user, context.questions(), answers(), context.interactive(),
                            context.stop(), terminal(), context.questions() == context.err()),
                    VersionCommand.number(), mask::add, global.state == GlobalOptions.StateChoice.local));
        }
        return session;
    }

    /** Whether a person is at this process's own terminal (not a test's stand-in), so a pager can take it. */
    boolean atTerminal() {
        return context.interactive() && terminal() != null;
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

    /**
     * How an execution shows: its events as text or JSON lines on stdout; while a step waits, a live
     * line on a terminal that takes escape codes, else a heartbeat line on stderr now and then.
     */
    EventListener console() {
        boolean live = escapes() && global.output == OutputFormat.TEXT;
        EventListener events = json() ? new JsonRenderer(context.out())
                : new TextRenderer(context.out(), style(), live, global.verbose);
        if (live) {
            return events;
        }
        Heartbeat heartbeat = new Heartbeat(context.err(), context.clock());
        return e -> {
            events.on(e);
            heartbeat.on(e);
        };
    }

    /**
     * Runs (or plans) what {@code request} asks, shows it on the console, keeps its report if it is a drill or a
     * failover, and returns the exit code.
     */
    int run(RunRequest request) {
        return run(request, e -> { });
    }

    /** As {@link #run(RunRequest)}, {@code also} hearing each event after the console. */
    int run(RunRequest request, EventListener also) {
        String[] execution = new String[1];
        EventListener console = console();
        ExecutionResult result = session().execute(request, e -> {
            console.on(e);
            execution[0] = e.execution();
            also.on(e);
        });
        return finish(result, request.dryRun() ? null : execution[0]);
    }

    /**
     * Keeps the report of {@code execution} (null: none began, as in a dry run) if it is a drill's or a
     * failover's, then does as {@link #finish(ExecutionResult)}, so that how it ended is the last line. An
     * execution interrupted here keeps none: it may have lost its lock, after which nothing more is written
     * (its resume, or {@code gafail report}, writes the report).
     */
    int finish(ExecutionResult result, String execution) {
        if (execution != null && result.status() != ExecutionStatus.INTERRUPTED) {
            Reports.keep(this, execution);
        }
        return finish(result);
    }

    /** Prints how an execution ended (stdout on success, stderr otherwise) and returns its exit code. */
    int finish(ExecutionResult result) {
        if (!json() && result.exitCode() == ExitCode.OK) {
            context.out().println(style().green("✓ ") + result.message());
            context.out().flush();
        } else if (result.exitCode() != ExitCode.OK) {
            context.err().println("gafail: " + result.message());
            context.err().flush();
        }
        return result.exitCode().code();
    }
}
