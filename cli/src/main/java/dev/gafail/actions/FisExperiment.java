package dev.gafail.actions;

import dev.gafail.aws.AwsClients;
import dev.gafail.aws.Experiments;
import dev.gafail.aws.IamPolicy;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unmet;
import dev.gafail.topology.Region;
import dev.gafail.yaml.Durations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code fis.experiment {region, template | tags, until, within, onCondition}}: runs an AWS FIS experiment
 * from a template in {@code region}'s FIS, and watches it until it completes, until one of the {@code until}
 * checks holds (then stops it, unless {@code onCondition: keep}), or until the step's timeout. With
 * {@code within}, a condition that has not come that long after the experiment began fails the step (a
 * drill's user-impact alarm that does not fire in time), and the experiment is stopped.
 *
 * <p>The experiment is started with a client token derived from the execution and the step, and tagged
 * with both, so that a process killed between the start and its journal entry, then resumed, finds the
 * same experiment instead of starting a second; a template whose faults would outlast the step's
 * timeout is refused at plan time, so that a fault ends on its own even if nobody resumes. An operator's
 * stop (Ctrl-C, SIGTERM, a timeout) stops the experiment before the step lets go, and marks it so that
 * a resume starts the fault anew. Stopping the experiment is the step's compensation. For a fault that
 * takes a region down, {@code region} is the surviving one: its FIS starts and watches the experiment.
 */
public final class FisExperiment extends TargetedAction<FisExperiment.Params, FisExperiment.Outputs> {

    /** The tags that tie an experiment to the execution and step that started it. */
    static final String EXECUTION_TAG = "gafail:execution";
    static final String STEP_TAG = "gafail:step";
    /** Set on an experiment that a stop of the execution ended: a resume starts the fault anew. */
    static final String INTERRUPTED_TAG = "gafail:interrupted";
    /** Set before the step stops an experiment because its condition came: a resume finds it done. */
    static final String CONDITION_TAG = "gafail:condition-met";

    /**
     * How templates say what they do (infra/aws and the lab tag theirs so): the scenario, and the region
     * whose parts the faults hit. A loss of that region must not be watched through its own FIS.
     */
    static final String SCENARIO_TAG = "gafail:scenario";
    static final String REGION_TAG = "gafail:region";
    private static final Set<String> LOSSES = Set.of("region-loss", "peer-loss");

    public record Params(String region, String template, Map<String, String> tags, List<Conditions.Check> until,
                         Duration within, String onCondition) {

        boolean keep() {
            return "keep".equals(onCondition);
        }
    }

    /** What plan found: the template, in which AWS region's FIS. */
    public record Observed(String awsRegion, String templateId) {
    }

    /**
     * @param endedBy {@code completed} (the experiment ran its course) or {@code condition} (an {@code until} check held)
     * @param status  the experiment's status when the step ended ({@code completed}, {@code stopped}, or
     *                {@code running} when kept)
     * @param startedAt when FIS started the experiment: the fault's beginning, from which a drill counts
     * @param seconds from then to the step's end: for a condition, how long it took to come (time to detect)
     */
    public record Outputs(String experimentId, String templateId, String awsRegion, String status, String endedBy,
                          Instant startedAt, long seconds) {
    }

    private final Conditions conditions;

    public FisExperiment(Supplier<Target> target, Conditions conditions) {
        super("fis.experiment", Params.class, Outputs.class, false, IamPolicy.FIS_EXPERIMENT_ACTIONS, """
                {"type": "object", "additionalProperties": false, "required": ["region"],
                 "oneOf": [{"required": ["template"]}, {"required": ["tags"]}],
                 "properties": {
                   "region": {"type": "string", "minLength": 1,
                              "description": "whose FIS starts and watches the experiment: for a region's loss, the surviving one"},
                   "template": {"type": "string", "minLength": 1, "description": "an experiment template id"},
                   "tags": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"},
                            "description": "the one template whose tags include all of these"},
                   "until": %s,
                   "within": {"$ref": "#/$defs/durationOrExpression",
                              "description": "an until check must hold this soon after the experiment began, or the step fails (and stops it)"},
                   "onCondition": {"enum": ["stop", "keep"],
                                   "description": "once an until check holds: stop the experiment (default) or keep it running"}}}"""
                .formatted(conditions.schema()), target);
        this.conditions = conditions;
    }

    private record Resolved(Region region, Experiments.Template template) {
    }

    private Resolved resolve(Params params, Target target) throws StepFailure {
        Region region = target.region(params.region());
        Experiments fis = target.experiments();
        return new Resolved(region, params.template() != null ? fis.template(region.awsRegion(), params.template())
                : fis.template(region.awsRegion(), params.tags()));
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        Target target = target();
        conditions.bind("until", params.until());
        Resolved resolved = resolve(params, target);
        Experiments.Template template = resolved.template();
        Duration timeout = context.timeout().orElseThrow(() -> new Unmet("fis.experiment needs a time limit (the"
                + " step's timeout, or the execution's) at least as long as template " + template.id() + "'s faults ("
                + Durations.format(template.longest()) + "), so that a fault always ends on its own"));
        if (template.longest().compareTo(timeout) > 0) {
            throw new Unmet("template " + template.id() + "'s faults last up to " + Durations.format(template.longest())
                    + ", longer than the step's time limit " + Durations.format(timeout) + " (its timeout, else what is"
                    + " left of the execution's); a fault must end on its own within the step, even if nobody resumes");
        }
        String hits = template.tags().get(REGION_TAG);
        if (resolved.region().name().equals(hits) && LOSSES.contains(template.tags().get(SCENARIO_TAG))) {
            throw new Unmet("template " + template.id() + " takes " + hits + " down (" + SCENARIO_TAG + " "
                    + template.tags().get(SCENARIO_TAG) + "), and " + hits + "'s FIS would go with it: start it"
                    + " through the surviving region's FIS");
        }
        String where = resolved.region().name() + "'s FIS (" + template.awsRegion() + ")";
        Optional<Experiments.Run> running = ours(target, resolved, context).stream().filter(r -> !r.ended()).findFirst();
        String ending = params.until() == null || params.until().isEmpty() ? "until it completes"
                : "until " + String.join(" or ", params.until().stream().map(Conditions.Check::action).toList())
                        + " holds" + (params.keep() ? " (then kept running)" : " (then stopped)");
        String desired = "experiment of template " + template.id() + " in " + where + ": " + template.summary()
                + "; " + ending + ", at most " + Durations.format(timeout);
        Change change = running.isPresent() ? Change.to(running.get().describe() + " in " + where, desired)
                : Change.to("no experiment of this step in " + where, desired);
        return change.observing(new Observed(template.awsRegion(), template.id()));
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException {
        Target target = target();
        List<CheckAction.Bound<?>> until = conditions.bind("until", params.until());
        Resolved resolved = resolve(params, target);
        Experiments fis = target.experiments();
        String awsRegion = resolved.template().awsRegion();
        Instant start = context.clock().instant();
        Experiments.Run run = current(target, resolved, context);
        String id = run.id();
        context.notice(run.describe() + " in " + resolved.region().name() + "'s FIS (" + awsRegion + ")");
        // Whether the experiment ended, or runs on by the runbook's choice: any other way out stops it.
        boolean settled = false;
        try {
            while (true) {
                run = polled(() -> fis.get(awsRegion, id)).orElse(run);
                if (conditionMet(run)) {
                    // A process that stopped it on its condition died before its journal said so.
                    run = run.ended() ? run : ExperimentStops.stop(fis, awsRegion, id, context);
                    settled = true;
                    return outputs(run, awsRegion, "condition", start, context);
                }
                if (run.ended()) {
                    settled = true;
                    if ("completed".equals(run.status())) {
                        return outputs(run, awsRegion, "completed", start, context);
                    }
                    throw StepFailure.permanent(run.describe() + " before the step's condition came");
                }
                for (CheckAction.Bound<?> check : until) {
                    Optional<? extends Verdict<?>> verdict = polled(() -> check.evaluate(context));
                    if (verdict.isPresent() && verdict.get().holds()) {
                        context.notice("until " + check.name() + ": " + verdict.get().detail());
                        if (params.keep()) {
                            settled = true;
                            keep(target, awsRegion, run.id(), context);
                            return outputs(injected(fis, awsRegion, run, target, context), awsRegion, "condition",
                                    start, context);
                        }
                        // Tagged first: a resume after a kill mid-stop finds it done, and starts no second fault.
                        fis.tag(awsRegion, run.arn(), Map.of(CONDITION_TAG, "true"));
                        run = ExperimentStops.stop(fis, awsRegion, id, context);
                        settled = true;
                        return outputs(run, awsRegion, "condition", start, context);
                    }
                }
                Duration watched = Duration.between(began(run, start), context.clock().instant());
                if (params.within() != null && !until.isEmpty() && watched.compareTo(params.within()) > 0) {
                    throw StepFailure.permanent("no until check held within " + Durations.format(params.within())
                            + " of the experiment's start (" + String.join(", ", until.stream()
                            .map(CheckAction.Bound::name).toList()) + ")");
                }
                context.progress(run.describe() + "; " + Durations.human(watched) + " so far");
                context.sleep(target.pollInterval());
            }
        } finally {
            if (!settled) {
                abandon(target, awsRegion, run, context);
            }
        }
    }

    /**
     * The kept experiment once FIS has injected its faults: running (or ended). A condition can hold while FIS
     * is still injecting them (initiating, as the drained region's first 5xx come), and a kept experiment is a
     * running one to what follows: a resume keeps it again, a report draws its fault on.
     */
    private static Experiments.Run injected(Experiments fis, String awsRegion, Experiments.Run run, Target target,
                                            StepContext context) throws StepFailure, InterruptedException {
        Experiments.Run now = run;
        while (!now.ended() && !"running".equals(now.status())) {
            context.sleep(target.pollInterval());
            now = polled(() -> fis.get(awsRegion, run.id())).orElse(now);
        }
        return now;
    }

    /**
     * A kept experiment is the execution's while it runs: whatever ends the execution in this process stops
     * it, Ctrl-C or a failure as much as the end (when a later step has not stopped it already). Only a kill
     * leaves it running, to its template's duration, or to the resume, which keeps it again.
     */
    private static void keep(Target target, String awsRegion, String id, StepContext context)
            throws InterruptedException {
        context.residents().keep(KEPT + context.stepId(), () -> {
            try (AwsClients quick = target.aws().with(LETTING_GO)) {
                Experiments fis = new Experiments(quick);
                Experiments.Run now = fis.get(awsRegion, id);
                if (!now.ended()) {
                    context.notice("stopped " + fis.stop(awsRegion, id).describe() + " as the execution ended");
                }
            } catch (StepFailure | RuntimeException failure) {
                context.notice("could not stop experiment " + id + " as the execution ended (" + failure.getMessage()
                        + "); it ends on its own, at its template's duration");
            }
        });
    }

    /** What an execution keeps of a step's kept experiment, by the step. */
    private static final String KEPT = "fis.experiment:";

    @Override
    public boolean resident() {
        return true;
    }

    /** A kept experiment that still runs when the execution resumes is the execution's again. */
    @Override
    public void restart(Params params, Outputs outputs, StepContext context) throws InterruptedException {
        if ("running".equals(outputs.status())) {
            keep(target(), outputs.awsRegion(), outputs.experimentId(), context);
        }
    }

    private static boolean conditionMet(Experiments.Run run) {
        return "true".equals(run.tags().get(CONDITION_TAG));
    }

    private static boolean abandoned(Experiments.Run run) {
        return "true".equals(run.tags().get(INTERRUPTED_TAG)) && !conditionMet(run);
    }

    /** How long each call may take while the step lets go: the engine waits only seconds for a cancelled step. */
    private static final AwsClients.Timeouts LETTING_GO = new AwsClients.Timeouts(Duration.ofSeconds(2),
            Duration.ofSeconds(4));

    /**
     * The step gives up before its experiment ended (an operator's stop, a timeout, a failure while it
     * watched): a fault is never left behind, and a resume starts it anew. Tagged before it is stopped,
     * so that a kill between the two still reads as abandoned. Never throws: the step's own end is what
     * the operator must see.
     */
    private static void abandon(Target target, String awsRegion, Experiments.Run run, StepContext context) {
        // An interrupt that reached the SDK mid-call leaves the flag set, which would abort these calls too.
        boolean interrupted = Thread.interrupted();
        try (AwsClients quick = target.aws().with(LETTING_GO)) {
            Experiments fis = new Experiments(quick);
            fis.tag(awsRegion, run.arn(), Map.of(INTERRUPTED_TAG, "true"));
            context.notice("stopped " + fis.stop(awsRegion, run.id()).describe() + " as the step gave up");
        } catch (StepFailure | RuntimeException failure) {
            context.notice("could not stop experiment " + run.id() + " as the step gave up (" + failure.getMessage()
                    + "); it ends on its own within the step's timeout, or on rollback");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A read while watching: a transient failure (throttling, a timeout) is waited out, not the step's end. */
    private static <T> Optional<T> polled(Read<T> read) throws StepFailure, InterruptedException {
        try {
            return Optional.of(read.get());
        } catch (StepFailure failure) {
            if (failure.retryable()) {
                return Optional.empty();
            }
            throw failure;
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T get() throws StepFailure, InterruptedException;
    }

    private static Outputs outputs(Experiments.Run run, String awsRegion, String endedBy, Instant start,
                                   StepContext context) {
        Instant began = began(run, start);
        return new Outputs(run.id(), run.templateId(), awsRegion, run.status(), endedBy, began,
                Duration.between(began, context.clock().instant()).toSeconds());
    }

    /** When the experiment began, as FIS says; else when this process began to watch it. */
    private static Instant began(Experiments.Run run, Instant watching) {
        return run.startTime() != null ? run.startTime() : watching;
    }

    /** How many abandoned experiments of one step a resume passes over to find its token. */
    private static final int TOKENS = 100;

    /**
     * The experiment this step runs: one it started before that still runs, ended on its own, or was
     * stopped on its condition (a resume after a crash), else a new one. An abandoned one (see
     * {@link #abandon}) that is still stopping is stopped and awaited first: never two faults at once.
     * The client token counts the step's abandoned experiments, so that a start whose answer was lost,
     * tried again, is the same start.
     */
    private static Experiments.Run current(Target target, Resolved resolved, StepContext context)
            throws StepFailure, InterruptedException {
        Experiments fis = target.experiments();
        String awsRegion = resolved.template().awsRegion();
        List<Experiments.Run> ours = ours(target, resolved, context);
        for (Experiments.Run run : ours) {
            if (!abandoned(run)) {
                return run;
            }
            if (!run.ended()) {
                ExperimentStops.stop(fis, awsRegion, run.id(), context);
            }
        }
        for (int generation = ours.size(); generation < ours.size() + TOKENS; generation++) {
            Experiments.Run run = fis.start(awsRegion, resolved.template().id(), token(context, generation), tags(context));
            // A token of an abandoned experiment that the listing did not show yet answers with that one.
            if (!abandoned(run)) {
                return run;
            }
        }
        throw StepFailure.permanent("every client token of step " + context.stepId() + " up to " + TOKENS
                + " names an abandoned experiment");
    }

    private static List<Experiments.Run> ours(Target target, Resolved resolved, StepContext context)
            throws StepFailure {
        return target.experiments().find(resolved.template().awsRegion(), resolved.template().id(), tags(context));
    }

    private static Map<String, String> tags(StepContext context) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(EXECUTION_TAG, context.executionId());
        tags.put(STEP_TAG, context.stepId());
        return tags;
    }

    /** FIS takes a client token of at most 64 characters: a digest of the execution, the step and the generation. */
    static String token(StepContext context, int generation) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((context.executionId() + "/" + context.stepId()
                    + "/" + generation).getBytes(StandardCharsets.UTF_8));
            return "gafail-" + HexFormat.of().formatHex(digest, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean compensable() {
        return true;
    }

    /** Stops every experiment this step started that still runs (whether apply returned or not). */
    @Override
    public void rollback(Params params, Change observed, Optional<Outputs> outputs, StepContext context)
            throws StepFailure, InterruptedException {
        Optional<Observed> found = observed == null ? Optional.empty() : observed.observedAs(Observed.class);
        if (found.isEmpty()) {
            return;
        }
        Experiments fis = target().experiments();
        String awsRegion = found.get().awsRegion();
        for (Experiments.Run run : fis.find(awsRegion, found.get().templateId(), tags(context))) {
            if (!run.ended()) {
                context.notice("stopping " + ExperimentStops.stop(fis, awsRegion, run.id(), context).describe());
            }
        }
    }
}
