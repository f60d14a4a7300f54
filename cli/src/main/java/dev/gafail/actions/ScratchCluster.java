package dev.gafail.actions;

import dev.gafail.aws.AuroraCluster;
import dev.gafail.aws.PointInTimeRestores;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The scratch cluster a restore drill restores into: its name, the same in every process that runs or resumes
 * the execution (so a resumed restore finds the one it began), its one instance's, and its removal, which both
 * {@code aurora.delete-restore} and {@code aurora.restore}'s compensation use.
 */
record ScratchCluster(String awsRegion, String name) {

    /** RDS may take this long to create or delete a cluster and its instance. */
    static final Duration LIMIT = Duration.ofMinutes(60);
    private static final int MAX_NAME = 60;

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
     * Deletes the cluster and its instances, convergently: what is being created is awaited first (RDS deletes
     * neither a cluster nor an instance while it is created), what is being deleted is not asked again, and the
     * cluster goes once it has no instance. Returns once RDS no longer has it.
     */
    void remove(Target target, StepContext context) throws StepFailure, InterruptedException {
        PointInTimeRestores restores = new PointInTimeRestores(target.aws());
        Poll.until(context, target.pollInterval(), LIMIT, "scratch cluster " + name + " deleted", () -> {
            Optional<AuroraCluster> found = find(target);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            AuroraCluster cluster = found.get();
            if (cluster.status().equals("creating")) {
                return Optional.of("it is still being created");
            }
            for (AuroraCluster.Instance instance : cluster.instances()) {
                if (instance.status().equals("creating")) {
                    return Optional.of("its instance " + instance.id() + " is still being created");
                }
                if (!instance.status().equals("deleting")) {
                    restores.deleteInstance(awsRegion, instance.id());
                }
            }
            if (!cluster.instances().isEmpty()) {
                return Optional.of("its instance is being deleted");
            }
            if (!cluster.status().equals("deleting")) {
                restores.deleteCluster(awsRegion, name);
            }
            return Optional.of("it is being deleted");
        });
    }
}
