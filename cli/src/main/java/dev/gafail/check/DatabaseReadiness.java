package dev.gafail.check;

import dev.gafail.actions.BoundedReads;
import dev.gafail.actions.Target;
import dev.gafail.aws.AuroraCluster;
import dev.gafail.aws.GlobalDatabase;
import dev.gafail.aws.Telemetry;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import dev.gafail.yaml.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Future;

/**
 * Whether the global database can switch its writer: every region's cluster is a member, each secondary
 * has an instance of the writer instance's class (a smaller one would not carry the load) and the same
 * engine version, and each secondary's replication lag is within the bound the failover runbook starts at.
 */
final class DatabaseReadiness {

    private final Target target;
    private final Duration maxLag;

    /** @param maxLag the largest lag at which the bundled failover starts its switch */
    DatabaseReadiness(Target target, Duration maxLag) {
        this.target = target;
        this.maxLag = maxLag;
    }

    /** @param clusters each region's cluster, by region name; a region whose read failed maps to its failure */
    Finding.Outcome evaluate(Map<String, Future<AuroraCluster>> clusters, Clock clock)
            throws StepFailure, InterruptedException {
        List<Region> regions = List.copyOf(target.topology().regions().values());
        GlobalDatabase.State state = target.database().describeFromAny(regions.stream().map(Region::awsRegion).toList());
        Region writer = regions.stream().filter(r -> state.writer().filter(r.dbClusterArn()::equals).isPresent())
                .findFirst().orElseThrow(() -> StepFailure.permanent("no region's cluster writes global database "
                        + target.topology().globalDatabase()));
        AuroraCluster written = BoundedReads.value(clusters.get(writer.name()));
        String writerClass = written.writerClass().orElseThrow(() -> StepFailure.permanent("the writer cluster "
                + writer.dbClusterArn() + " has no writer instance"));
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>(List.of(writer.name() + " writes (" + writerClass + ", "
                + written.engineVersion() + ")"));
        for (Region secondary : regions) {
            if (secondary == writer) {
                continue;
            }
            if (!state.members().contains(secondary.dbClusterArn())) {
                problems.add(secondary.dbClusterArn() + " is not a member of " + target.topology().globalDatabase());
                continue;
            }
            AuroraCluster cluster = BoundedReads.value(clusters.get(secondary.name()));
            if (!cluster.hasClass(writerClass)) {
                problems.add(secondary.name() + " has no " + writerClass + " instance (it has "
                        + (cluster.instances().isEmpty() ? "none" : String.join(", ", cluster.instances().stream()
                        .map(AuroraCluster.Instance::instanceClass).toList())) + ")");
            }
            if (!written.engineVersion().equals(cluster.engineVersion())) {
                problems.add(secondary.name() + " runs " + cluster.engineVersion() + ", the writer "
                        + written.engineVersion());
            }
            OptionalDouble lag = target.telemetry().latest(secondary.awsRegion(), Telemetry.rpoLag(secondary));
            if (lag.isEmpty()) {
                problems.add(secondary.name() + ": no replication lag reported in the last "
                        + Durations.format(Telemetry.WINDOW));
            } else if (lag.getAsDouble() > maxLag.toMillis()) {
                problems.add(secondary.name() + " lags " + Math.round(lag.getAsDouble()) + " ms, more than "
                        + Durations.format(maxLag));
            } else {
                seen.add(secondary.name() + " ready (" + writerClass + ", lag " + Math.round(lag.getAsDouble())
                        + " ms ≤ " + Durations.format(maxLag) + ")");
            }
        }
        return problems.isEmpty() ? Finding.Outcome.pass(String.join("; ", seen), clock.instant())
                : Finding.Outcome.fail(String.join("; ", problems), clock.instant());
    }
}
