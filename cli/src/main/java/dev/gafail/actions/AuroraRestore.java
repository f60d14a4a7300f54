package dev.gafail.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gafail.aws.AuroraCluster;
import dev.gafail.aws.PointInTimeRestores;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code aurora.restore {region, to, name, instanceClass}}: restores the region's Aurora cluster as it was at
 * {@code to} (its latest restorable time when empty) into a scratch cluster (RestoreDBClusterToPointInTime),
 * gives it an instance of the source writer's class (CreateDBInstance: a restore has none), turns the Data
 * API on for it when the topology has the Data API in that region, and waits until both are available. Its
 * outputs time the restore from RDS's creation of the cluster to its readiness, whichever process asked for
 * it: a resumed restore finds the cluster it began (its name is the execution's), and the time it was restored
 * to in the cluster's own tag. Rollback deletes the instance and the cluster, so that an execution that stops,
 * or is aborted, leaves nothing behind.
 */
public final class AuroraRestore extends TargetedAction<AuroraRestore.Params, AuroraRestore.Outputs> {

    /** @param to an ISO-8601 instant; empty: the source's latest restorable time */
    public record Params(String region, String to, String name, String instanceClass) {
    }

    /**
     * @param restoredTo the moment the scratch cluster holds the source as of
     * @param restoreMs  from the cluster's creation to the cluster and its instance being available (the
     *                   restore time, which a verdict judges against the RTO, in ms as the topology's targets)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outputs(String region, String source, String cluster, String clusterArn, String instance,
                          String instanceClass, Instant restoredTo, Instant requestedAt, Instant readyAt,
                          long restoreMs) {
    }

    public AuroraRestore(Supplier<Target> target) {
        super("aurora.restore", Params.class, Outputs.class, false, List.of("rds:DescribeDBClusters",
                "rds:DescribeDBInstances", "rds:RestoreDBClusterToPointInTime", "rds:CreateDBInstance",
                "rds:AddTagsToResource", "rds:EnableHttpEndpoint", "rds:DeleteDBInstance", "rds:DeleteDBCluster",
                "kms:CreateGrant", "kms:DescribeKey"), """
                {"type": "object", "additionalProperties": false, "required": ["region"],
                 "properties": {
                   "region": {"type": "string", "minLength": 1, "description": "the region whose cluster is restored"},
                   "to": {"type": "string", "description": "the moment to restore to, ISO-8601 (2026-12-01T03:00:00Z); empty: the latest restorable"},
                   "name": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9-]{0,59}[A-Za-z0-9]$",
                            "description": "the scratch cluster (its instance adds -1); default gafail-restore-EXECUTION"},
                   "instanceClass": {"type": "string", "description": "its instance's class; default the source writer's"}}}""",
                target);
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Region region = target.region(params.region());
        ScratchCluster scratch = ScratchCluster.of(region.awsRegion(), params.name(), context);
        AuroraCluster source = AuroraCluster.read(target.aws(), region.awsRegion(), region.dbClusterArn());
        Optional<AuroraCluster> found = scratch.own(target, context);
        // Never "already done": the later steps read its outputs, which only apply gives.
        if (found.isPresent() && found.get().ready()) {
            return Change.to("scratch cluster " + scratch.name() + " restored and available",
                    "its restore recorded (timed until now: an interrupted restore's time includes the interruption)");
        }
        Instant to = restoreTime(params, source);
        return Change.to(found.map(c -> "scratch cluster " + scratch.name() + " " + c.status()).orElse("no scratch cluster"),
                "cluster " + scratch.name() + " restored from " + source.id() + " as of " + to + ", with instance "
                        + scratch.instance() + " (" + instanceClass(params, source) + ")");
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException {
        Target target = target();
        Region region = target.region(params.region());
        String awsRegion = region.awsRegion();
        ScratchCluster scratch = ScratchCluster.of(awsRegion, params.name(), context);
        PointInTimeRestores restores = new PointInTimeRestores(target.aws());
        AuroraCluster source = AuroraCluster.read(target.aws(), awsRegion, region.dbClusterArn());
        String instanceClass = instanceClass(params, source);
        if (scratch.own(target, context).isEmpty()) {
            restores.restore(awsRegion, source, scratch.name(), restoreTime(params, source), context.executionId());
        }
        // A restored cluster takes its instance once it is available, as RDS's own procedure has it.
        AuroraCluster restored = settled(target, context, scratch, "", c -> c.status().equals(AuroraCluster.AVAILABLE));
        if (restored.instances().isEmpty()) {
            restores.createInstance(awsRegion, scratch.name(), scratch.instance(), source.engine(), instanceClass,
                    context.executionId());
        }
        restored = settled(target, context, scratch, " and its instance", AuroraCluster::ready);
        if (region.dataApiSettings().isPresent() && !restored.httpEndpoint()) {
            restores.enableDataApi(awsRegion, restored.arn());
            settled(target, context, scratch, "'s Data API", AuroraCluster::httpEndpoint);
        }
        Instant ready = context.clock().instant();
        Instant to = Optional.ofNullable(restored.tags().get(PointInTimeRestores.RESTORED_TO_TAG))
                .map(Instant::parse).orElse(null);
        return new Outputs(region.name(), source.arn(), scratch.name(), restored.arn(), scratch.instance(),
                instanceClass, to, restored.createdAt(), ready, restored.createdAt() == null ? 0
                : Duration.between(restored.createdAt(), ready).toMillis());
    }

    @Override
    public boolean compensable() {
        return true;
    }

    @Override
    public void rollback(Params params, Change observed, Optional<Outputs> outputs, StepContext context)
            throws StepFailure, InterruptedException {
        Target target = target();
        Region region = target.region(params.region());
        ScratchCluster.of(region.awsRegion(), params.name(), context).remove(target, context);
    }

    /** RDS's states from which a restore does not come back by itself. */
    private static final Set<String> FAILED = Set.of("incompatible-restore", "failed", "inaccessible-encryption-credentials",
            "inaccessible-encryption-credentials-recoverable", "incompatible-network", "incompatible-parameters",
            "storage-full");

    /** Waits until the scratch cluster is as {@code ready} says; a state RDS does not leave by itself fails. */
    private static AuroraCluster settled(Target target, StepContext context, ScratchCluster scratch, String what,
                                         Predicate<AuroraCluster> ready) throws StepFailure, InterruptedException {
        AuroraCluster[] seen = new AuroraCluster[1];
        Poll.until(context, target.pollInterval(), ScratchCluster.LIMIT, "scratch cluster " + scratch.name() + what,
                () -> {
                    AuroraCluster c = scratch.find(target).orElseThrow(() -> StepFailure.transientFailure(
                            "RDS does not describe the scratch cluster " + scratch.name() + " (yet)"));
                    Optional<String> failed = Stream.concat(Stream.of(c.status()), c.instances().stream()
                            .map(AuroraCluster.Instance::status)).filter(FAILED::contains).findFirst();
                    if (failed.isPresent()) {
                        throw StepFailure.permanent("RDS could not restore " + scratch.name() + ": " + failed.get());
                    }
                    seen[0] = c;
                    return ready.test(c) ? Optional.empty() : Optional.of(c.status() + ", instance " + c.instances()
                            .stream().map(AuroraCluster.Instance::status).findFirst().orElse("not created"));
                });
        return seen[0];
    }

    /** The moment to restore to: {@code to}, which must lie in the source's restorable window, or its latest. */
    private static Instant restoreTime(Params params, AuroraCluster source) throws StepFailure {
        AuroraCluster.Window window = source.restorable();
        if (window.earliest() == null || window.latest() == null) {
            throw StepFailure.permanent(source.id() + " has no restorable window yet (no backup): RDS restores"
                    + " nothing to a point in time before its first backup");
        }
        if (params.to() == null || params.to().isBlank()) {
            return window.latest();
        }
        Instant to;
        try {
            to = Instant.parse(params.to().trim());
        } catch (DateTimeException e) {
            throw StepFailure.permanent("to: '" + params.to() + "' is not an ISO-8601 instant such as"
                    + " 2026-12-01T03:00:00Z");
        }
        if (to.isBefore(window.earliest()) || to.isAfter(window.latest())) {
            throw StepFailure.permanent("to: " + to + " is outside " + source.id() + "'s restorable window, "
                    + window.earliest() + " to " + window.latest());
        }
        return to;
    }

    /** The class asked for, else the source writer's (a secondary has no writer: its first instance's). */
    private static String instanceClass(Params params, AuroraCluster source) throws StepFailure {
        if (params.instanceClass() != null && !params.instanceClass().isBlank()) {
            return params.instanceClass();
        }
        return source.writerClass().or(() -> source.instances().stream().map(AuroraCluster.Instance::instanceClass)
                .findFirst()).orElseThrow(() -> StepFailure.permanent(source.id() + " has no instance whose class a"
                + " restore could take: name one (instanceClass)"));
    }
}
