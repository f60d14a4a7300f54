package dev.gafail.app;

import dev.gafail.actions.Target;
import dev.gafail.actions.TargetedAction;
import dev.gafail.actions.UserTokens;
import dev.gafail.aws.ApiLocations;
import dev.gafail.aws.AwsClients;
import dev.gafail.aws.AwsProfiles;
import dev.gafail.aws.AwsSettings;
import dev.gafail.aws.CallerIdentity;
import dev.gafail.aws.GlobalDatabase;
import dev.gafail.aws.IdentityProof;
import dev.gafail.aws.OperatorCredentials;
import dev.gafail.aws.Reachability;
import dev.gafail.aws.S3State;
import dev.gafail.check.Checklist;
import dev.gafail.engine.Action;
import dev.gafail.engine.ActionRegistry;
import dev.gafail.engine.Actor;
import dev.gafail.engine.Approval;
import dev.gafail.engine.ApprovalVerifier;
import dev.gafail.engine.AuditLog;
import dev.gafail.engine.Engine;
import dev.gafail.engine.Event;
import dev.gafail.engine.EventListener;
import dev.gafail.engine.ExecutionResult;
import dev.gafail.engine.ExecutionService;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.HeldLock;
import dev.gafail.engine.Journal;
import dev.gafail.engine.LocalState;
import dev.gafail.engine.Operator;
import dev.gafail.engine.Redactor;
import dev.gafail.engine.RunOptions;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.StopSignal;
import dev.gafail.lab.Lab;
import dev.gafail.lab.LabControl;
import dev.gafail.notify.NotificationSinks;
import dev.gafail.runbook.ApprovalPolicy;
import dev.gafail.runbook.Expressions;
import dev.gafail.runbook.KeptRunbooks;
import dev.gafail.runbook.ParameterSpec;
import dev.gafail.runbook.ParameterValues;
import dev.gafail.runbook.Runbook;
import dev.gafail.runbook.RunbookLoader;
import dev.gafail.runbook.StepSpec;
import dev.gafail.topology.Region;
import dev.gafail.topology.StateBucket;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import dev.gafail.topology.TopologyLocator;
import dev.gafail.yaml.Durations;
import dev.gafail.yaml.InvalidFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What one command works with, built on first use and closed when it ends: the runbook loader, the
 * topology, the AWS clients, the state folder; and the use cases that change something (run, plan,
 * resume). The commands parse, call and render; errors leave as {@link GafailException}s, which the
 * entry point maps to exit codes.
 */
public final class Session implements AutoCloseable {

    /** How often to poll a change in progress: at AWS, and on this machine (the lab, an emulator). */
    private static final Duration AWS_POLL = Duration.ofSeconds(5);
    private static final Duration LOCAL_POLL = Duration.ofMillis(200);
    /** The bundled failover's parameter that bounds the replication lag at its switch. */
    private static final String FAILOVER_MAX_LAG = "maxLag";
    /** How long a runbook without a timeout is taken to need its credentials for. */
    private static final Duration UNBOUNDED_RUN = Duration.ofMinutes(30);
    /** How long a token the lab signs for synthetic users lasts: longer than any drill. */
    private static final Duration LAB_TOKEN_VALIDITY = Duration.ofHours(12);

    /**
     * What a session reads from its surroundings.
     *
     * @param topologyFile  {@code --topology}, or null
     * @param profile       {@code --profile}, or null
     * @param askOperator   the operator who approves at a prompt, by user name (when not pre-approved)
     * @param version       gafail's version, for the AWS clients' user agent
     * @param masking       told the secrets of a run once they are known, so that the console masks them too
     * @param localState    {@code --state local}: the local folder, even when the topology names a state bucket
     */
    public record Settings(Map<String, String> env, Path workingDirectory, Clock clock, StopSignal stop,
                           List<String> argv, StepTypes stepTypes, Path topologyFile, String profile,
                           Function<String, Operator> askOperator, String version, Consumer<Redactor> masking,
                           boolean localState) {
    }

    private final Settings settings;
    private RunbookLoader loader;
    private ActionRegistry stepTypes;
    private Path topologyFallback;
    private Topology topology;
    private Target target;
    private AwsClients stateClients;
    private AwsClients notifyClients;
    private ExecutionStore store;
    /** The lease of the execution this session runs, which its AWS calls check. */
    private final HeldLock held = new HeldLock();
    private Set<String> lostRegions = Set.of();

    public Session(Settings settings) {
        this.settings = settings;
    }

    /** The clock everything in this session reads. */
    public Clock clock() {
        return settings.clock();
    }

    /** The operator's stop (Ctrl-C, SIGTERM): waits end early through {@link StopSignal#sleep}. */
    public StopSignal stop() {
        return settings.stop();
    }

    public RunbookLoader loader() {
        if (loader == null) {
            loader = new RunbookLoader(stepTypes(), new Expressions(), BundledRunbooks::child);
        }
        return loader;
    }

    /** The step types as validation sees them: they describe themselves and run nothing. */
    private ActionRegistry stepTypes() {
        if (stepTypes == null) {
            stepTypes = settings.stepTypes().registry(() -> {
                throw new IllegalStateException("validation runs no step");
            });
        }
        return stepTypes;
    }

    /** The IAM actions a step calls: its step type's, and those of the checks it runs while it works. */
    public Set<String> iamActions(StepSpec step) {
        return stepTypes().iamActions(step);
    }

    /**
     * The runbook at {@code file}, or the bundled one that {@code bundled:NAME} names; or exit 2 with every
     * problem in it, one per line.
     */
    public Runbook load(Path file) {
        try {
            return BundledRunbooks.fileOrBundled(loader(), file);
        } catch (InvalidFileException e) {
            throw GafailException.invalid(e);
        }
    }

    /** A runbook that ships inside gafail ({@code runbooks/NAME} of the repository). */
    public Runbook bundled(String name) {
        try {
            return BundledRunbooks.load(loader(), name);
        } catch (InvalidFileException e) {
            throw GafailException.invalid(e);
        }
    }

    /**
     * The parameters' values: {@code --set}, then the topology's {@code parameters} (a lab's short
     * holds), then defaults.
     */
    private Map<String, Object> bind(Runbook runbook, Map<String, String> values) {
        Optional<Topology> presets = needs(runbook, a -> true) ? optionalTopology() : Optional.empty();
        try {
            return ParameterValues.bind(runbook, values, presets.map(Topology::parameters).orElse(Map.of()),
                    presets.map(Topology::file).orElse(""));
        } catch (ParameterValues.InvalidParameters e) {
            throw new GafailException(ExitCode.USAGE, e.lines());
        }
    }

    /**
     * Where executions are kept: the topology's state bucket, unless {@code --state local} or it names
     * none; else the local folder ({@code $GAFAIL_HOME}, or {@code .gafail}).
     */
    public ExecutionStore store() {
        if (store == null) {
            Path home = ExecutionStore.defaultHome(settings.env());
            Optional<StateBucket> bucket = settings.localState() ? Optional.empty()
                    : optionalTopology().flatMap(Topology::stateBucket);
            store = bucket.map(b -> new ExecutionStore(new S3State(stateClients(b).s3(b.region()), b, b.lease(),
                    settings.clock()), home)).orElseGet(() -> ExecutionStore.local(home));
        }
        return store;
    }

    /** The audit log: where the executions are kept, the state bucket or the local folder. */
    public AuditLog auditLog() {
        return store().auditLog();
    }

    /**
     * The clients of the state bucket: the operator's credentials, with the short limits a lease needs,
     * an assumed role asked of STS in the bucket's own region (the third one, which outlives either of
     * the topology's). Apart from {@link #target()}'s, which a resume builds only once the journal has
     * said which regions were lost.
     */
    private AwsClients stateClients(StateBucket bucket) {
        if (stateClients == null) {
            stateClients = new AwsClients(awsSettings(topology()).pinnedTo(bucket.region()), AwsClients.Timeouts.STATE,
                    Reachability.none(), held);
            requireCredentials(stateClients);
        }
        return stateClients;
    }

    /** Where the topology's AWS APIs are, and the operator's profile and environment. */
    private AwsSettings awsSettings(Topology t) {
        ApiLocations apis = new ApiLocations(t.endpoints(), t.acceleratorRegion(),
                t.regions().values().stream().map(Region::awsRegion).collect(Collectors.toSet()));
        return new AwsSettings(AwsProfiles.load(settings.profile(), settings.env(),
                Path.of(settings.env().getOrDefault("HOME", System.getProperty("user.home")))), apis,
                settings.env(), settings.version());
    }

    /** The default lab folder: {@code lab} in gafail's local state folder. */
    public Path labHome() {
        return ExecutionStore.defaultHome(settings.env()).resolve("lab").toAbsolutePath().normalize();
    }

    /** The topology file to use when none is named (resume: the one the execution began with). */
    public void topologyFallback(Path file) {
        topologyFallback = file;
    }

    /** The topology, or exit 2: with every problem in it, or with how to get one. */
    public Topology topology() {
        return optionalTopology().orElseThrow(() -> new GafailException(ExitCode.USAGE,
                TopologyLocator.HOW_TO_GET_ONE));
    }

    public Optional<Topology> optionalTopology() {
        if (topology == null) {
            Optional<Path> file = TopologyLocator.locate(settings.topologyFile() != null ? settings.topologyFile()
                    : topologyFallback, settings.env(), settings.workingDirectory(),
                    () -> LabControl.runningTopology(labHome()));
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

    /**
     * The topology's regions the operator says are lost: their APIs, and the single-region control
     * plane of the accelerator, are tried once with short limits. Set before the first AWS call.
     */
    private void expectLost(Set<String> regions) {
        if (target != null && !regions.equals(lostRegions)) {
            throw new IllegalStateException("the AWS clients were built before the lost regions were known");
        }
        lostRegions = Set.copyOf(regions);
    }

    /**
     * {@code gafail check} of the topology: the operator must be allowed every action of the bundled
     * runbooks, and the replication lag must be within the bound the bundled failover starts at (the
     * topology's {@code maxLag} parameter, else the runbook's default).
     */
    public Checklist checklist(Duration maxDrillAge) {
        String lag = topology().parameters().get(FAILOVER_MAX_LAG);
        Duration maxLag;
        if (lag == null) {
            try {
                maxLag = (Duration) BundledRunbooks.load(loader(), "failover.yaml").parameters().get(FAILOVER_MAX_LAG)
                        .defaultValue();
            } catch (InvalidFileException e) {
                throw new IllegalStateException("the bundled failover runbook is invalid: " + e.getMessage(), e);
            }
        } else {
            maxLag = Durations.parse(lag).orElseThrow(() -> new GafailException(ExitCode.USAGE, topology().file()
                    + ": parameters." + FAILOVER_MAX_LAG + " '" + lag + "' is not a duration (" + Durations.EXAMPLES
                    + ")"));
        }
        return new Checklist(target(), store(), new Checklist.Settings(maxDrillAge, BundledRunbooks.iamActions(),
                maxLag));
    }

    /** What the AWS step types act on; built once per session, its clients on first use. */
    public Target target() {
        if (target == null) {
            Topology t = topology();
            Set<String> suspects = new HashSet<>();
            lostRegions.forEach(name -> t.region(name).ifPresent(r -> suspects.add(r.awsRegion())));
            if (!suspects.isEmpty()) {
                suspects.add(Reachability.ACCELERATOR);
            }
            Reachability reachability = new Reachability(t.regions().values().stream()
                    .collect(Collectors.toMap(Region::awsRegion, Region::name, (a, b) -> a)), suspects);
            AwsSettings aws = awsSettings(t);
            // A profile's STS (an assumed role) is asked in a surviving region, not the profile's own.
            Optional<String> survivor = survivingAwsRegions(t).stream().findFirst();
            AwsClients clients = new AwsClients(lostRegions.isEmpty() || survivor.isEmpty() ? aws
                    : aws.pinnedTo(survivor.get()), AwsClients.Timeouts.CHANGES, reachability, held);
            requireCredentials(clients);
            // Where the APIs are decides, not the credentials: a responder's own key pair on the lab polls it as often.
            target = new Target(t, clients, aws.allLoopback() ? LOCAL_POLL : AWS_POLL, settings.clock(),
                    userTokens(t));
        }
        return target;
    }

    /**
     * The region whose database writes now, as the global cluster says from the first region that answers;
     * exit 3 when none answers or no member writes (a drill starts from a steady state).
     */
    public String writerRegion() {
        Topology t = topology();
        try {
            GlobalDatabase.State state = target().database().describeFromAny(t.regions().values().stream()
                    .map(Region::awsRegion).toList());
            return state.writer().flatMap(arn -> t.regions().values().stream()
                    .filter(r -> r.dbClusterArn().equals(arn)).map(Region::name).findFirst())
                    .orElseThrow(() -> new GafailException(ExitCode.PRECONDITIONS_NOT_MET, "global database "
                            + t.globalDatabase() + " has no writer among the topology's regions; name the region"
                            + " with --region"));
        } catch (StepFailure e) {
            throw new GafailException(ExitCode.PRECONDITIONS_NOT_MET, "cannot tell which region writes: "
                    + e.getMessage() + "; name the region with --region");
        }
    }

    /**
     * Synthetic users' tokens: the environment variable a step names; else, for a lab's topology (in the lab's
     * folder, beside the secret its API checks tokens with), one the lab's secret signs, as {@code gafail demo}'s.
     */
    private UserTokens userTokens(Topology t) {
        Path folder = Path.of(t.file()).toAbsolutePath().getParent();
        return variable -> {
            String set = settings.env().get(variable);
            if (set != null && !set.isBlank()) {
                return Optional.of(set.strip());
            }
            if (folder == null || !Files.isRegularFile(folder.resolve(Lab.SECRET))) {
                return Optional.empty();
            }
            try {
                return Optional.of(Lab.token(folder, LAB_TOKEN_VALIDITY));
            } catch (IOException e) {
                return Optional.empty();
            }
        };
    }

    /**
     * The operator's credentials, had once before anything is called: an expired SSO session or a
     * failing credential process is one line here (exit 3), not a failure in every read.
     */
    private void requireCredentials(AwsClients clients) {
        try {
            clients.operatorCredentials().ifPresent(OperatorCredentials::require);
        } catch (GafailException e) {
            clients.close();
            throw e;
        }
    }

    /** What the operator is told, and the journal keeps, before the first step. */
    private List<String> notices(Runbook runbook, ChangeRequest change, Optional<Topology> acted) {
        List<String> notices = new ArrayList<>(credentialNotices(runbook, change));
        acted.flatMap(Topology::stateBucket).filter(b -> settings.localState()).ifPresent(b -> notices.add(
                "WARNING: --state local: this execution's lock and journal stay on this machine, not in " + b.url()
                        + "; nobody else sees it or is kept out by its lock. Once the bucket answers: gafail state"
                        + " push ID"));
        return notices;
    }

    /**
     * Asks the holder of running execution {@code id} (a unique prefix) to stop at its next safe point,
     * from any machine that shares the state; audited. Returns the execution and the holder asked.
     */
    public String abort(String id, String reason) {
        return new StateRequests(store(), settings.clock()).abort(id, reason);
    }

    /**
     * Approves, as this AWS identity, the plan execution {@code id} (a unique prefix) waits on, from any
     * machine that shares the state; {@code plan}, when given, must be the plan it waits on. Audited.
     * Returns what was approved and what the execution still needs.
     */
    public String approve(String id, Optional<String> plan, String reason, ChangeRequest change) {
        return new StateRequests(store(), settings.clock()).approve(id, () -> identity().arn(),
                this::identityProofs, plan, reason, operator(change));
    }

    /**
     * Proofs of this caller's identity for {@code audience}, one per AWS region of the topology (signing
     * sends nothing): whichever region a waiting execution still reaches, its STS can vouch.
     */
    private Map<String, Object> identityProofs(String audience) {
        Map<String, Object> proofs = new LinkedHashMap<>();
        topology().regions().values().forEach(r -> proofs.put(r.awsRegion(), target().aws()
                .identityProof(r.awsRegion(), audience, settings.clock()).fields()));
        return proofs;
    }

    /**
     * The identity the STS of a region not lost vouches for behind one of {@code approval}'s proofs (the
     * next region's when one does not answer); or why none does.
     */
    private ApprovalVerifier.Verified verify(Approval approval, String execution, String plan) {
        List<String> problems = new ArrayList<>();
        for (String region : survivingAwsRegions(topology())) {
            Optional<IdentityProof> proof = IdentityProof.of(approval.proof().get(region));
            if (proof.isPresent()) {
                ApprovalVerifier.Verified verified = target().aws().verify(proof.get(),
                        ApprovalVerifier.audience(execution, plan));
                if (verified.identity() != null) {
                    return verified;
                }
                problems.add(region + ": " + verified.problem());
            }
        }
        return ApprovalVerifier.Verified.not(problems.isEmpty() ? "it carries no proof of identity for a region"
                + " this execution reaches" : String.join("; ", problems));
    }

    /**
     * Uploads execution {@code id}, kept in the local folder with {@code --state local}, to the topology's
     * state bucket, refusing anything the bucket already holds of it. Returns what went where.
     */
    public String pushState(String id) {
        StateBucket bucket = topology().stateBucket().orElseThrow(() -> new GafailException(ExitCode.USAGE,
                "topology " + topology().name() + " names no state bucket (state.s3); there is nowhere to push to"));
        return new StateRequests(ExecutionStore.local(ExecutionStore.defaultHome(settings.env())), settings.clock())
                .push(id, new S3State(stateClients(bucket).s3(bucket.region()), bucket, bucket.lease(), settings.clock()));
    }

    /** A warning when the credentials end, unrenewed, before a run of {@code runbook} may. */
    private List<String> credentialNotices(Runbook runbook, ChangeRequest change) {
        if (!needs(runbook, a -> true)) {
            return List.of();
        }
        Duration needed = change.timeout() != null ? change.timeout()
                : runbook.timeout() != null ? runbook.timeout() : UNBOUNDED_RUN;
        return target().aws().operatorCredentials()
                .flatMap(credentials -> credentials.expiryWarning(settings.clock().instant(), needed)).stream().toList();
    }

    /** The AWS regions of the topology's regions not said to be lost, in the topology's order. */
    private List<String> survivingAwsRegions(Topology topology) {
        return topology.regions().values().stream().filter(r -> !lostRegions.contains(r.name()))
                .map(Region::awsRegion).toList();
    }

    /**
     * Who the credentials are, checked against the topology's account: the wrong profile stops here,
     * exit 3. Asked of the STS of a region not said to be lost, the next one if it does not answer.
     */
    private CallerIdentity identity() {
        Target t = target();
        CallerIdentity identity;
        try {
            identity = CallerIdentity.of(t.aws(), survivingAwsRegions(t.topology()));
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

    /** Runs the request's runbook (or, with {@code dryRun}, plans it), telling {@code console} as it goes. */
    public ExecutionResult execute(RunRequest request, EventListener console) {
        expectLost(request.lostRegions());
        Runbook runbook = request.runbook();
        Map<String, Object> params = bind(runbook, request.values());
        RunOptions options = options(runbook, params, request.change(), ApprovalPolicy.ONE, request.dryRun(),
                request.kept());
        ExecutionService service = service();
        if (request.dryRun()) {
            return service.plan(runbook, params, options, console);
        }
        requireSharedState(options);
        if (request.change().forceUnlock()) {
            service.forceUnlock(runbook.file(), options);
        }
        settings.stop().arm();
        return service.start(runbook, params, options, console);
    }

    /**
     * Finishes execution {@code id} (or a unique prefix) with the runbook and parameters it began with,
     * {@code values} overriding them (a secret, which the journal does not keep, is asked for again).
     */
    public ExecutionResult resume(String id, Map<String, String> values, ChangeRequest change,
                                  EventListener console) {
        TakenUp taken = takeUp(store().resolve(id), values, change, false, false);
        requireSharedState(taken.options());
        forceUnlock(taken, change);
        settings.stop().arm();
        return service().resume(taken.stored(), taken.runbook(), taken.params(), taken.options(), console);
    }

    /**
     * Completes the deferred steps of execution {@code id} (a unique prefix; null: the newest execution
     * that has them), or with {@code dryRun} plans them. Empty when there is none to complete.
     */
    public Optional<ExecutionResult> reconcile(String id, ChangeRequest change, boolean dryRun,
                                               EventListener console) {
        ExecutionStore store = store();
        Optional<String> execution = id != null ? Optional.of(store.resolve(id))
                : store.owing(optionalTopology().map(Topology::lockScope).orElse(null), settings.clock())
                .map(owing -> owing.execution().summary().id());
        if (execution.isEmpty()) {
            return Optional.empty();
        }
        TakenUp taken = takeUp(execution.get(), Map.of(), change, true, dryRun);
        if (dryRun) {
            return Optional.of(service().planReconcile(taken.stored(), taken.runbook(), taken.params(),
                    taken.options(), console));
        }
        forceUnlock(taken, change);
        settings.stop().arm();
        return Optional.of(service().reconcile(taken.stored(), taken.runbook(), taken.params(), taken.options(),
                console));
    }

    /** An execution read back to be continued: its journal, its runbook copy, its parameters, the options. */
    private record TakenUp(ExecutionStore.Stored stored, Runbook runbook, Map<String, Object> params,
                           RunOptions options) {
    }

    /**
     * Execution {@code execution} with the runbook and parameters it began with, {@code values} overriding
     * them (a secret, which the journal does not keep, is asked for again). Resumed,
     * the regions it began with as lost are still treated so; reconciled, they are expected back.
     */
    private TakenUp takeUp(String execution, Map<String, String> values, ChangeRequest change, boolean reconcile,
                           boolean dryRun) {
        ExecutionStore store = store();
        ExecutionStore.Stored journalled = store.load(execution, settings.clock());
        Event started = journalled.started();
        Journal.requireReadable(execution, journalled.events());
        if (started.text("topologyFile") != null) {
            topologyFallback(Path.of(started.text("topologyFile")));
        }
        if (!reconcile && started.get("lostRegions") instanceof List<?> lost) {
            expectLost(lost.stream().map(String::valueOf).collect(Collectors.toSet()));
        }
        Runbook runbook = runbookCopy(store, execution, started);
        Map<String, String> given = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        if (started.get("params") instanceof Map<?, ?> stored) {
            stored.forEach((k, v) -> {
                String name = String.valueOf(k);
                ParameterSpec spec = runbook.parameters().get(name);
                if (spec != null && spec.secret() && Redactor.MASK.equals(v)) {
                    secrets.add(name);
                } else {
                    given.put(name, String.valueOf(v));
                }
            });
        }
        given.putAll(values);
        // Never the default instead: the execution may have begun with another value.
        List<String> missing = secrets.stream().filter(name -> !values.containsKey(name)).sorted().toList();
        missing.forEach(name -> given.put(name, askSecret(execution, name, missing)));
        Map<String, Object> params = bind(runbook, given);
        return new TakenUp(journalled, runbook, params, options(runbook, params, change, begunWith(started), dryRun,
                Map.of()));
    }

    /**
     * The runbook execution {@code id} ran, and the child runbooks it ran, as its state keeps them; exit 2
     * with its problems if it no longer loads.
     */
    @SuppressWarnings("unchecked")
    private Runbook runbookCopy(ExecutionStore store, String id, Event started) {
        String text = store.backend().runbookCopy(id).orElseThrow(() -> new GafailException(ExitCode.USAGE,
                "execution " + id + " kept no copy of its runbook in " + store.backend().location()));
        String copy = store.backend().runbookCopyName(id);
        List<Map<String, String>> children = started.get("children") instanceof List<?> kept
                ? (List<Map<String, String>>) kept : List.of();
        try {
            return loader().with(new KeptRunbooks(children, copy)).parse(copy, text.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidFileException e) {
            throw GafailException.invalid(e);
        }
    }

    /** Clears the lock a dead holder left, with {@code --force-unlock}: never in a dry run, which changes nothing. */
    private void forceUnlock(TakenUp taken, ChangeRequest change) {
        if (change.forceUnlock()) {
            service().forceUnlock(taken.stored().started().text("runbookFile"), taken.options());
        }
    }

    /** Secret parameter {@code name} of {@code execution}, which its journal does not keep: asked at the terminal, or exit 2. */
    private String askSecret(String execution, String name, List<String> missing) {
        return settings.askOperator().apply(Actor.current().user())
                .secret("secret parameter '" + name + "' of execution " + execution + " (not kept in its journal)")
                .orElseThrow(() -> new GafailException(ExitCode.USAGE, "execution " + execution + " began with secret"
                        + " parameter" + (missing.size() > 1 ? "s " : " ")
                        + String.join(", ", missing.stream().map(n -> "'" + n + "'").toList())
                        + ", which its journal does not keep: give " + (missing.size() > 1 ? "them" : "it")
                        + " again with " + String.join(" ", missing.stream().map(n -> "--set " + n + "=...").toList())));
    }

    private ExecutionService service() {
        return new ExecutionService(new Engine(settings.stepTypes().registry(this::target), new Expressions(),
                settings.clock()), store(), settings.clock(), Actor.current(), held);
    }

    /**
     * The approvals execution began with: a resume asks for at least as many, whatever the runbook copy or
     * the resumer's topology say now.
     */
    private static ApprovalPolicy begunWith(Event started) {
        return started.get("approvals") instanceof Map<?, ?> policy && policy.get("required") instanceof Number required
                ? new ApprovalPolicy(required.intValue(), policy.get("expiresSeconds") instanceof Number seconds
                ? Duration.ofSeconds(seconds.longValue()) : null, null) : ApprovalPolicy.ONE;
    }

    /**
     * @param floor  the approvals the execution needs at least (those it began with, when taken up)
     * @param dryRun whether it is a dry run, which reads the secrets of only the sinks that take dry runs
     * @param kept   what the command keeps in the start event (a taken-up execution's is in its own already)
     */
    private RunOptions options(Runbook runbook, Map<String, Object> params, ChangeRequest change,
                               ApprovalPolicy floor, boolean dryRun, Map<String, Object> kept) {
        Operator operator = operator(change);
        Optional<Topology> acted = needs(runbook, a -> true) ? Optional.of(topology()) : optionalTopology();
        // Read before any event is published, so that the sinks' secrets are masked in all of them.
        NotificationSinks.Built sinks = acted.map(t -> NotificationSinks.of(t.notifications(), regionOrder(t, params),
                settings.env(), this::notifyClients, "gafail/" + settings.version(), dryRun))
                .orElse(new NotificationSinks.Built(List.of(), List.of()));
        Redactor redactor = Redactor.of(ParameterValues.secrets(runbook, params)).plus(Redactor.of(sinks.secrets()));
        settings.masking().accept(redactor);
        String command = redactor.text("gafail " + String.join(" ",
                ParameterValues.maskedArguments(runbook, settings.argv(), Redactor.MASK)));
        // First, so that none of it can pass for what gafail itself records about the execution.
        Map<String, Object> facts = new LinkedHashMap<>(kept);
        acted.ifPresent(t -> {
            facts.put("topology", t.name());
            facts.put("topologyFile", Path.of(t.file()).toAbsolutePath().normalize().toString());
        });
        ApprovalPolicy approvals = floor.stricter(acted.map(t -> runbook.approvals().stricter(t.approvals()))
                .orElse(runbook.approvals()));
        // Others' approvals are told apart from the requester's by AWS identity; a local state refuses them.
        if (needs(runbook, a -> !a.iamActions().isEmpty())
                || approvals.needsOthers() && acted.isPresent() && !(store().backend() instanceof LocalState)) {
            facts.put("identity", identity().fields());
        }
        if (!lostRegions.isEmpty()) {
            facts.put("lostRegions", lostRegions.stream().sorted().toList());
        }
        if (approvals.needsOthers()) {
            facts.put("approvals", Map.of("required", approvals.required(), "expiresSeconds",
                    approvals.expiry().toSeconds()));
        }
        return new RunOptions(operator, settings.stop(), change.reason(), command, change.timeout(), redactor,
                acted.map(Topology::lockScope).orElse(null), acted.map(Topology::variables).orElse(null), facts,
                notices(runbook, change, acted), approvals, this::verify, sinks.subscriptions());
    }

    /**
     * The topology's regions in the order notifications try them (SNS, SSM): where the execution moves to
     * (its {@code to} parameter) first, the regions said to be lost last.
     */
    private List<Region> regionOrder(Topology t, Map<String, Object> params) {
        List<Region> order = new ArrayList<>(t.regions().values());
        if (params.get("to") instanceof String to) {
            t.region(to).ifPresent(r -> {
                order.remove(r);
                order.add(0, r);
            });
        }
        order.sort(Comparator.comparing(r -> lostRegions.contains(r.name())));
        return order;
    }

    /** The clients notifications call SNS and SSM with: the command's, with short limits; built on first use. */
    private AwsClients notifyClients() {
        if (notifyClients == null) {
            notifyClients = target().aws().with(AwsClients.Timeouts.NOTIFY);
        }
        return notifyClients;
    }

    /** Who approves: the person at the prompt, or, with --yes, this user in advance. */
    private Operator operator(ChangeRequest change) {
        String user = Actor.current().user();
        return change.preApproved() ? Operator.preApproved(user + " (--yes)") : settings.askOperator().apply(user);
    }

    /**
     * Refuses, before anything is locked or changed, an execution whose plan others must approve while
     * its state is the local folder, where no one else can see it: exit 2, naming the setting.
     */
    private void requireSharedState(RunOptions options) {
        ApprovalPolicy approvals = options.approvals();
        if (approvals.needsOthers() && store().backend() instanceof LocalState local) {
            throw new GafailException(ExitCode.USAGE, (approvals.where() == null ? "" : approvals.where() + ": ")
                    + "approvals.required " + approvals.required() + " needs the team's shared state (state.s3 in the"
                    + " topology): in the local folder " + local.location() + " no one else can see the execution to"
                    + " approve it. Nothing was changed");
        }
    }

    /** Whether a step of {@code runbook} acts on the topology through a step type that {@code test} accepts. */
    private boolean needs(Runbook runbook, Predicate<Action<?, ?>> test) {
        ActionRegistry registry = stepTypes();
        return runbook.everyStep().stream().map(s -> registry.get(s.action()))
                .anyMatch(a -> a instanceof TargetedAction<?, ?> && test.test(a));
    }

    /** Closes what the session opened: the AWS clients and their HTTP client, if it built them. */
    @Override
    public void close() {
        try {
            if (stateClients != null) {
                stateClients.close();
            }
        } finally {
            try {
                if (notifyClients != null) {
                    notifyClients.close();
                }
            } finally {
                if (target != null) {
                    target.aws().close();
                }
            }
        }
    }
}
