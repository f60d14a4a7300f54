package dev.gafail.actions;

import dev.gafail.aws.AuroraCluster;
import dev.gafail.aws.PointInTimeRestores;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The scratch cluster a restore drill restores into: its name, the same in every process that runs or resumes
 * the execution (so a resumed restore finds the one it began), its one instance's, and its removal, which both
 * {@code aurora.delete-restore} and {@code aurora.restore}'s compensation use.
 */
record ScratchCluster(String awsRegion, String name) {

    /** RDS may take this long to create or delete a cluster and its instance. */
    static final Duration LIMIT = Duration.ofMinutes(60);
    private static final int MAX_NAME = 60;
    /** RDS's codes for a cluster or instance that cannot be deleted in its state, and for one that is gone. */
    private static final Set<String> BUSY = Set.of("InvalidDBClusterStateFault", "InvalidDBInstanceState");
    private static final Set<String> GONE = Set.of("DBClusterNotFoundFault", "DBInstanceNotFound");

    /** The cluster {@code named} names, or else the execution's own: {@code gafail-restore-<execution id>}. */
    static ScratchCluster of(String awsRegion, String named, StepContext context) {
        if (named != null && !named.isEmpty()) {
            return new ScratchCluster(awsRegion, named);
        }
        String id = ("gafail-restore-" + context.executionId().toLowerCase(Locale.ROOT))
                .replaceAll("[^a-z0-9-]", "-").replaceAll("-{2,}", "-");
        id = id.substring(0, Math.min(id.length(), MAX_NAME)).replaceAll("-$", "");
        return new ScratchCluster(awsRegion, id);
    }

    /** Its one instance, which CreateDBInstance gives it. */
    String instance() {
        return name + "-1";
    }

    Optional<AuroraCluster> find(Target target) throws StepFailure {
        return AuroraCluster.find(target.aws(), awsRegion, name);
    }

    /**
     * The cluster by this name if this execution made it (its {@code gafail:execution} tag says so); a cluster of
     * the name that another execution or anyone else made is refused: a drill restores into, and deletes, only
     * its own.
     */
    Optional<AuroraCluster> own(Target target, StepContext context) throws StepFailure {
        Optional<AuroraCluster> found = find(target);
        if (found.isPresent() && !ours(found.get(), context)) {
            String owner = found.get().tags().get(PointInTimeRestores.EXECUTION_TAG);
            throw StepFailure.permanent("a cluster named " + name + " exists in " + awsRegion + " and is not this"
                    + " execution's (" + (owner == null ? "no " + PointInTimeRestores.EXECUTION_TAG + " tag"
                    : PointInTimeRestores.EXECUTION_TAG + " " + owner) + "): choose another name; gafail restores into,"
                    + " and deletes, only the clusters its execution made");
        }
        return found;
    }

    private static boolean ours(AuroraCluster cluster, StepContext context) {
        return context.executionId().equals(cluster.tags().get(PointInTimeRestores.EXECUTION_TAG));
    }

    /**
     * Deletes the cluster and its instances, if this execution made them (another's is left alone), convergently:
     * what RDS is busy with (creating, modifying, backing up) is awaited, as RDS refuses to delete it meanwhile;
     * what is being deleted is not asked again; what is gone already is done; the cluster goes once it has no
     * instance. Returns once RDS no longer has it.
     */
    void remove(Target target, StepContext context) throws StepFailure, InterruptedException {
        PointInTimeRestores restores = new PointInTimeRestores(target.aws());
        Poll.until(context, target.pollInterval(), LIMIT, "scratch cluster " + name + " deleted", () -> {
            Optional<AuroraCluster> found = find(target);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            AuroraCluster cluster = found.get();
            if (!ours(cluster, context)) {
                context.progress("scratch cluster " + name + " is not this execution's: left alone");
                return Optional.empty();
            }
            for (AuroraCluster.Instance instance : cluster.instances()) {
                if (!Set.of("deleting", "unknown").contains(instance.status())) {
                    Optional<String> busy = tolerated(() -> restores.deleteInstance(awsRegion, instance.id()));
                    if (busy.isPresent()) {
                        return Optional.of("its instance " + instance.id() + " is " + instance.status() + ": " + busy.get());
                    }
                }
            }
            if (!cluster.instances().isEmpty()) {
                return Optional.of("its instance is being deleted");
            }
            if (!cluster.status().equals("deleting")) {
                Optional<String> busy = tolerated(() -> restores.deleteCluster(awsRegion, name));
                if (busy.isPresent()) {
                    return Optional.of("it is " + cluster.status() + ": " + busy.get());
                }
            }
            return Optional.of("it is being deleted");
        });
    }

    private interface Deletion {
        void run() throws StepFailure;
    }

    /**
     * A deletion, with RDS's refusals that pass: a resource in a state that cannot be deleted yet (what to wait
     * for, returned) and one that is gone already (nothing to do).
     */
    private static Optional<String> tolerated(Deletion deletion) throws StepFailure {
        try {
            deletion.run();
            return Optional.empty();
        } catch (StepFailure e) {
            String code = e.getCause() instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                    ? String.valueOf(aws.awsErrorDetails().errorCode()) : "";
            if (BUSY.contains(code)) {
                return Optional.of(e.getMessage());
            }
            if (GONE.contains(code)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
