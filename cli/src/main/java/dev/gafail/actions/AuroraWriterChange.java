package dev.gafail.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gafail.aws.GlobalDatabase;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * Moves the Aurora global database's writer to {@code to}: the shared half of
 * {@code aurora.switchover} and {@code aurora.failover}. Done only when DescribeGlobalClusters shows
 * no FailoverState and the target member IsWriter. Records the replication lag measured at the
 * moment of the decision. A transition already in flight to the target (a resumed execution) is
 * awaited, never started twice; one to another cluster stops the step.
 */
abstract class AuroraWriterChange<P extends AuroraWriterChange.Writer>
        extends TargetedAction<P, AuroraWriterChange.Outputs> {

    /** What plan found: the region that wrote before the change, which a switchover's rollback moves back to. */
    public record Observed(String writer) {
    }

    /**
     * Where the writer went, from where, and the replication lag at the moment of the decision
     * ({@code rpoLag} says "unknown" when CloudWatch had none; {@code rpoLagMs} is then left out).
     * Only {@code to} when the writer was already there.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outputs(String to, String from, String rpoLag, Long rpoLagMs, Instant decidedAt) {

        static Outputs alreadyThere(String to) {
            return new Outputs(to, null, null, null, null);
        }
    }

    /** The parameters both share. */
    interface Writer {
        String to();
    }

    static final Duration LIMIT = Duration.ofMinutes(30);

    protected AuroraWriterChange(String name, Class<P> type, List<String> iamActions, String schema,
                                 Supplier<Target> target) {
        super(name, type, Outputs.class, false, iamActions, schema, target);
    }

    /** Calls the API that starts the transition. */
    abstract void start(P params, Target target, Region from, Region to, StepContext context) throws StepFailure;

    /** The operation, for the plan. */
    abstract String operation();

    @Override
    public Change plan(P params, StepContext context) throws StepFailure {
        Target target = target();
        Region to = target.region(params.to());
        GlobalDatabase.State state = target.database().describe(to.awsRegion());
        String current = describe(target, state);
        if (state.settledOn(to.dbClusterArn())) {
            return Change.alreadyDone(current);
        }
        checkTransition(state, to);
        Change change = Change.to(current, "writer " + to.name() + " (" + operation() + " "
                + target.topology().globalDatabase() + " -> " + to.dbClusterId() + ")");
        return writerRegion(target, state).map(r -> change.observing(new Observed(r.name()))).orElse(change);
    }

    @Override
    public Outputs apply(P params, StepContext context) throws StepFailure {
        Target target = target();
        Region to = target.region(params.to());
        GlobalDatabase.State state = target.database().describe(to.awsRegion());
        if (state.settledOn(to.dbClusterArn())) {
            return Outputs.alreadyThere(to.name());
        }
        checkTransition(state, to);
        Optional<Region> from = writerRegion(target, state);
        OptionalDouble lag = AuroraLag.lagMillis(target, to);
        Long lagMs = lag.isPresent() ? Math.round(lag.getAsDouble()) : null;
        Outputs outputs = new Outputs(to.name(), from.map(Region::name).orElse(null),
                lagMs == null ? "unknown" : lagMs + " ms", lagMs, context.clock().instant());
        if (state.transition().isEmpty()) {
            start(params, target, from.orElse(null), to, context);
        }
        return outputs;
    }

    @Override
    public void await(P params, StepContext context) throws StepFailure, InterruptedException {
        Target target = target();
        Region to = target.region(params.to());
        awaitWriter(target, context, to);
    }

    static void awaitWriter(Target target, StepContext context, Region to) throws StepFailure, InterruptedException {
        Instant start = context.clock().instant();
        Poll.until(context, target.pollInterval(), LIMIT, "writer " + to.name(), () -> {
            GlobalDatabase.State state = target.database().describe(to.awsRegion());
            if (state.settledOn(to.dbClusterArn())) {
                return Optional.empty();
            }
            if (state.transition().isEmpty() && Duration.between(start, context.clock().instant())
                    .compareTo(target.pollInterval().multipliedBy(3)) > 0) {
                throw StepFailure.permanent("the global database settled with "
                        + describe(target, state) + " instead of " + to.name() + " (the transition was cancelled?)");
            }
            return Optional.of(describe(target, state));
        });
    }

    /**
     * The target is a member of the global database, and no other transition is in flight. A topology whose
     * cluster the global database does not hold has drifted from RDS: the plan says so, not the apply.
     */
    private static void checkTransition(GlobalDatabase.State state, Region to) throws StepFailure {
        if (!state.members().contains(to.dbClusterArn())) {
            throw StepFailure.permanent(to.name() + "'s cluster " + to.dbClusterArn() + " is not a member of the"
                    + " global database, whose members are " + String.join(", ", state.members())
                    + "; the topology and RDS disagree");
        }
        Optional<GlobalDatabase.Transition> transition = state.transition();
        if (transition.isPresent() && !to.dbClusterArn().equals(transition.get().to())) {
            throw StepFailure.permanent("the global database is already " + transition.get().status()
                    + " from " + transition.get().from() + " to " + transition.get().to()
                    + "; wait for it to finish, then run again");
        }
    }

    static Optional<Region> writerRegion(Target target, GlobalDatabase.State state) {
        return state.writer().flatMap(arn -> target.topology().regions().values().stream()
                .filter(r -> r.dbClusterArn().equals(arn)).findFirst());
    }

    static String describe(Target target, GlobalDatabase.State state) {
        String writer = state.writer().map(arn -> writerRegion(target, state).map(Region::name).orElse(arn))
                .orElse("none");
        return "writer " + writer + state.transition().map(t -> " (" + t.status() + " to "
                + target.topology().regions().values().stream().filter(r -> r.dbClusterArn().equals(t.to()))
                .map(Region::name).findFirst().orElse(t.to()) + ")").orElse("");
    }
}
