package dev.gafail.cli;

import dev.gafail.actions.Target;
import dev.gafail.actions.TargetedAction;
import dev.gafail.app.BundledRunbooks;
import dev.gafail.aws.AwsClients;
import dev.gafail.aws.AwsSettings;
import dev.gafail.aws.CallerIdentity;
import dev.gafail.engine.Action;
import dev.gafail.engine.ActionRegistry;
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
import dev.gafail.engine.StepFailure;
import dev.gafail.lab.LabControl;
import dev.gafail.runbook.Expressions;
import dev.gafail.runbook.ParameterValues;
import dev.gafail.runbook.Runbook;
import dev.gafail.runbook.RunbookLoader;
import dev.gafail.runbook.StepSpec;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import dev.gafail.topology.TopologyLocator;
import dev.gafail.yaml.Durations;
import dev.gafail.yaml.InvalidFileException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code gafail} command, and the one place that builds what the subcommands share: the
 * runbook loader, the execution service, the console. {@link #commandLine} wires exit codes and
 * error handling: a {@link GafailException} becomes its lines on stderr and its exit code; anything
 * else is one line (a stack trace only with {@code -v}) and exit 1.
 */
@Command(name = "gafail", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = VersionCommand.Provider.class,
        usageHelpAutoWidth = true, sortOptions = false,
        description = "Failover orchestration for an API in two AWS regions behind Global Accelerator.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0 success", "  1 a step failed (rolled back or stopped; the message says how to resume)",
                "  2 usage or validation error (nothing executed)", "  3 preconditions not met (nothing changed)",
                "  4 aborted by the operator (or interrupted; resumable)", "  5 another execution holds the lock"},
        subcommands = {FailoverCommand.class, StatusCommand.class, DemoCommand.class, RunCommand.class, PlanCommand.class, ValidateCommand.class, ResumeCommand.class,
                HistoryCommand.class, ShowCommand.class, AuditCommand.class, IamPolicyCommand.class, TopologyCommand.class, LabCommand.class, SchemaCommand.class,
                VersionCommand.class, AutoComplete.GenerateCompletion.class})
public final class Gafail implements Runnable {

    /** How often to poll a change in progress: at AWS, and on this machine (the lab, an emulator). */
    private static final Duration AWS_POLL = Duration.ofSeconds(5);
    private static final Duration LOCAL_POLL = Duration.ofMillis(200);

    private final CliContext context;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandLine.Model.CommandSpec spec;

    private RunbookLoader loader;
    private ActionRegistry stepTypes;
    private Path topologyFallback;
    private Topology topology;
    private Target target;

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

    RunbookLoader loader() {
        if (loader == null) {
            loader = new RunbookLoader(stepTypes(), new Expressions());
        }
        return loader;
    }

    /** The step types as validation sees them: they describe themselves and run nothing. */
    private ActionRegistry stepTypes() {
        if (stepTypes == null) {
            stepTypes = context.actions().registry(() -> {
                throw new IllegalStateException("validation runs no step");
            });
        }
        return stepTypes;
    }

    /** The IAM actions a step calls: its step type's, and those of the checks in its {@code abortIf}. */
    Set<String> iamActions(StepSpec step) {
        return stepTypes().iamActions(step);
    }

    /** The runbook at {@code file}, or exit 2 with every problem in it, one per line. */
    Runbook load(Path file) {
        try {
            return loader().load(file);
        } catch (InvalidFileException e) {
            throw GafailException.invalid(e);
        }
    }

    /** The parameters' values: {@code --set}, then the topology's {@code parameters} (a lab's short holds), then defaults. */
    Map<String, Object> bind(Runbook runbook, Map<String, String> values) {
        Optional<Topology> presets = needs(runbook, a -> true) ? optionalTopology() : Optional.empty();
        try {
            return ParameterValues.bind(runbook, values, presets.map(Topology::parameters).orElse(Map.of()),
                    presets.map(Topology::file).orElse(""));
        } catch (ParameterValues.InvalidParameters e) {
            throw new GafailException(ExitCode.USAGE, e.lines());
        }
    }

    ExecutionStore store() {
        return new ExecutionStore(ExecutionStore.defaultHome(context.env()));
    }

    ExecutionService service() {
        return new ExecutionService(new Engine(context.actions().registry(this::target), new Expressions(),
                context.clock()), store(),
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
        Optional<Topology> acted = needs(runbook, a -> true) ? Optional.of(topology()) : optionalTopology();
        Map<String, Object> facts = new LinkedHashMap<>();
        acted.ifPresent(t -> {
            facts.put("topology", t.name());
            facts.put("topologyFile", Path.of(t.file()).toAbsolutePath().normalize().toString());
        });
        if (needs(runbook, a -> !a.iamActions().isEmpty())) {
            facts.put("identity", identity().fields());
        }
        return new RunOptions(operator, context.stop(), change.reason, command, timeout, secrets,
                acted.map(Topology::lockScope).orElse(null), acted.map(Topology::variables).orElse(null), facts);
    }

    /** Whether a step of {@code runbook} acts on the topology through a step type that {@code test} accepts. */
    private boolean needs(Runbook runbook, Predicate<Action<?>> test) {
        ActionRegistry registry = stepTypes();
        return runbook.allSteps().stream().map(s -> registry.get(s.action()))
                .anyMatch(a -> a instanceof TargetedAction<?> && test.test(a));
    }

    /** The topology file to use when none is named (resume: the one the execution began with). */
    void topologyFallback(Path file) {
        topologyFallback = file;
    }

    /** The topology, or exit 2: with every problem in it, or with how to get one. */
    Topology topology() {
        return optionalTopology().orElseThrow(() -> new GafailException(ExitCode.USAGE, TopologyLocator.HOW_TO_GET_ONE));
    }

    Optional<Topology> optionalTopology() {
        if (topology == null) {
            Optional<Path> file = TopologyLocator.locate(global.topology != null ? global.topology : topologyFallback,
                    context.env(), context.workingDirectory(), () -> LabControl.runningTopology(labHome()));
            if (file.isEmpty()) {
                return Optional.empty();
            }
            try {
                topology = new TopologyLoader().load(file.get());
            } catch (InvalidFileException e) {
                throw GafailException.invalid(e);
            }
        }
        return Optional.of(topology);
    }

    /** The default lab folder: {@code lab} in gafail's state folder. */
    Path labHome() {
        return store().home().resolve("lab").toAbsolutePath().normalize();
    }

    /** What the AWS step types act on; built once per command, its clients on first use. */
    Target target() {
        if (target == null) {
            Topology t = topology();
            AwsClients aws = new AwsClients(new AwsSettings(global.profile, t.endpoints(), context.env(),
                    Path.of(context.env().getOrDefault("HOME", System.getProperty("user.home"))),
                    VersionCommand.number()));
            target = new Target(t, aws, aws.offline() ? LOCAL_POLL : AWS_POLL, context.clock());
        }
        return target;
    }

    /** Closes what the command opened: the AWS clients and their HTTP client, if it built them. */
    void close() {
        if (target != null) {
            target.aws().close();
        }
    }

    /** Who the credentials are, checked against the topology's account: the wrong profile stops here, exit 3. */
    CallerIdentity identity() {
        Target t = target();
        CallerIdentity identity;
        try {
            identity = CallerIdentity.of(t.aws(), t.topology());
        } catch (StepFailure e) {
            throw new GafailException(ExitCode.PRECONDITIONS_NOT_MET, "cannot tell which AWS identity gafail acts"
                    + " as: " + e.getMessage() + "; nothing was changed");
        }
        if (!identity.matches(t.topology())) {
            throw new GafailException(ExitCode.PRECONDITIONS_NOT_MET, "the AWS credentials are for account "
                    + identity.account() + " (" + identity.arn() + "), but topology " + t.topology().name()
                    + " is in account " + t.topology().account() + "; check --profile or AWS_PROFILE."
                    + " Nothing was changed");
        }
        return identity;
    }

    /** Runs {@code runbook} (or, with {@code dryRun}, plans it) and returns the exit code. */
    int execute(Runbook runbook, Map<String, String> values, ChangeOptions change, boolean dryRun) {
        Map<String, Object> params = bind(runbook, values);
        RunOptions options = options(runbook, params, change);
        ExecutionService service = service();
        if (dryRun) {
            return finish(service.plan(runbook, params, options, console()));
        }
        if (change.forceUnlock) {
            service.forceUnlock(runbook.file(), options);
        }
        context.stop().arm();
        return finish(service.start(runbook, params, options, console()));
    }

    /** A runbook that ships inside gafail ({@code runbooks/NAME} of the repository). */
    Runbook bundled(String name) {
        try {
            return BundledRunbooks.load(loader(), name);
        } catch (InvalidFileException e) {
            throw GafailException.invalid(e);
        }
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
