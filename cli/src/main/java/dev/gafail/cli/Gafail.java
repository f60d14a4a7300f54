package dev.gafail.cli;

import dev.gafail.app.BundledRunbooks;
import dev.gafail.app.RunRequest;
import dev.gafail.app.Session;
import dev.gafail.engine.EventListener;
import dev.gafail.engine.ExecutionResult;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.runbook.Runbook;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import dev.gafail.yaml.InvalidFileException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code gafail} command: its global options, the {@link Session} the subcommands work with
 * (closed when the command ends), and the console they render to. {@link #commandLine} wires exit
 * codes and error handling, the one place exceptions become exit codes: a {@link GafailException}
 * becomes its lines on stderr and its exit code; anything else is one line (a stack trace only with
 * {@code -v}) and exit 1. A word it does not know, even followed by {@code --help}, is a usage error (exit 2).
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

    static CommandLine commandLine(CliContext context, ConsoleMask mask) {
        CommandLine line = new CommandLine(new Gafail(context, mask));
        line.setOut(context.out());
        line.setErr(context.err());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setUsageHelpAutoWidth(true);
        line.setParameterExceptionHandler(Gafail::usageError);
        line.setExecutionStrategy(Gafail::execute);
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (e instanceof ParameterException usage) {
                return usageError(usage, new String[0]);
            }
            Gafail root = failed.getCommandSpec().root().commandLine().getCommand();
            return root.report(e);
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
        root.colors(parsed.commandSpec().commandLine());
        ParseResult last = parsed;
        while (last.subcommand() != null) {
            last = last.subcommand();
        }
        if (root.global.output == OutputFormat.MARKDOWN && !(last.commandSpec().userObject() instanceof Tables)
                && !last.isUsageHelpRequested() && !last.isVersionHelpRequested()) {
            return root.report(new GafailException(ExitCode.USAGE, "--output markdown: '"
                    + last.commandSpec().qualifiedName(" ") + "' prints no table; use text or json (markdown:"
                    + " status, history, show)"));
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** One line naming what is wrong (for an unknown command, the closest ones), then where the usage is. */
    static int usageError(ParameterException e, String[] args) {
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

    /** picocli's help in colour only where {@link #style()} paints. */
    private void colors(CommandLine line) {
        Help.ColorScheme scheme = Help.defaultColorScheme(style().color() ? Help.Ansi.ON : Help.Ansi.OFF);
        line.setColorScheme(scheme);
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

    int report(Exception e) {
        if (e instanceof GafailException g) {
            if (json() && !g.problems().isEmpty()) {
                context.out().println(Json.MAPPER.writeValueAsString(Map.of("problems",
                        g.problems().stream().map(ProblemJson::of).toList())));
                context.out().flush();
            }
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
        return context.interactive() && !"dumb".equals(context.env().get("TERM"));
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
                    user -> new ConsoleOperator(user, context.err(), answers(), context.interactive(),
                            context.stop(), terminal()),
                    VersionCommand.number(), mask::add));
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

    /** How a RUNBOOK argument names a runbook that ships inside gafail, as its problems name it too. */
    static final String BUNDLED = "bundled:";

    /** The runbook {@code file}, or the bundled one that {@code bundled:NAME} names; exit 2 if invalid. */
    Runbook runbook(Path file) {
        return bundledName(file).map(session()::bundled).orElseGet(() -> session().load(file));
    }

    /** The name of the bundled runbook that {@code file} names as {@code bundled:NAME}, if it does. */
    static Optional<String> bundledName(Path file) {
        String name = file.toString();
        return name.startsWith(BUNDLED) && BundledRunbooks.NAMES.contains(name.substring(BUNDLED.length()))
                ? Optional.of(name.substring(BUNDLED.length())) : Optional.empty();
    }

    /**
     * The topology for completing a command line: the file named on it, else the one gafail would use;
     * read from disk only, never from AWS. A file with problems is an exception (exit 2), as anywhere.
     */
    Optional<Topology> quietTopology(Optional<Path> named) {
        if (named.isEmpty()) {
            return session().optionalTopology();
        }
        try {
            return Optional.of(new TopologyLoader().load(context.workingDirectory().resolve(named.get())));
        } catch (InvalidFileException e) {
            throw GafailException.invalid(e);
        }
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
        Heartbeat heartbeat = new Heartbeat(context.err(), context.clock().getZone());
        return e -> {
            events.on(e);
            heartbeat.on(e);
        };
    }

    /** Runs (or plans) what {@code request} asks, shows it on the console, and returns the exit code. */
    int run(RunRequest request) {
        return finish(session().execute(request, console()));
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
