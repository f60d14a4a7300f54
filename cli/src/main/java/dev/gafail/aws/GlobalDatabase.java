package dev.gafail.aws;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.engine.StepFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.rds.model.GlobalCluster;
import software.amazon.awssdk.services.rds.model.SourceType;

/** The Aurora global database: which member writes, and the switchover or failover in flight. */
public final class GlobalDatabase {

    private static final Duration CLOCK_SLACK = Duration.ofSeconds(5);

    private final AwsClients aws;
    private final String identifier;

    public GlobalDatabase(AwsClients aws, String identifier) {
        this.aws = aws;
        this.identifier = identifier;
    }

    /**
     * A failover or switchover in progress, as {@code FailoverState} reports it. The status stays as
     * AWS spells it: the SDK's {@code FailoverStatus} (2.40) lacks {@code switching-over}, which a
     * switchover reports, and would turn it into UNKNOWN_TO_SDK_VERSION.
     */
    public record Transition(String status, String from, String to, boolean dataLossAllowed) {
    }

    /** @param transition empty when none is in progress */
    public record State(String status, List<String> members, Optional<String> writer, Optional<Transition> transition) {

        /** Done: no transition in flight and {@code clusterArn} writes. */
        public boolean settledOn(String clusterArn) {
            return transition.isEmpty() && writer.filter(clusterArn::equals).isPresent();
        }
    }

    /** The global cluster as seen from {@code awsRegion} (any member's region can describe it). */
    public State describe(String awsRegion) throws StepFailure {
        List<GlobalCluster> found = call("DescribeGlobalClusters", () -> aws.rds(awsRegion)
                .describeGlobalClusters(r -> r.globalClusterIdentifier(identifier)).globalClusters());
        if (found.isEmpty()) {
            throw StepFailure.permanent("DescribeGlobalClusters: no global cluster " + identifier + " in " + awsRegion);
        }
        GlobalCluster cluster = found.get(0);
        Optional<String> writer = cluster.globalClusterMembers().stream()
                .filter(m -> Boolean.TRUE.equals(m.isWriter())).map(m -> m.dbClusterArn()).findFirst();
        Optional<Transition> transition = Optional.ofNullable(cluster.failoverState())
                .filter(f -> f.statusAsString() != null)
                .map(f -> new Transition(f.statusAsString(), f.fromDbClusterArn(), f.toDbClusterArn(),
                        Boolean.TRUE.equals(f.isDataLossAllowed())));
        return new State(cluster.status(), cluster.globalClusterMembers().stream().map(m -> m.dbClusterArn()).toList(),
                writer, transition);
    }

    /**
     * The global cluster as seen from the first of {@code awsRegions} whose APIs answer: while a region
     * is lost, any surviving member region can say who writes.
     */
    public State describeFromAny(List<String> awsRegions) throws StepFailure {
        return FirstAnswering.of(awsRegions, "DescribeGlobalClusters", this::describe);
    }

    /** Planned, RPO 0: sent to the current primary's region. */
    public void switchover(String primaryAwsRegion, String targetClusterArn) throws StepFailure {
        call("SwitchoverGlobalCluster", () -> aws.rds(primaryAwsRegion).switchoverGlobalCluster(r -> r
                .globalClusterIdentifier(identifier).targetDbClusterIdentifier(targetClusterArn)));
    }

    /** Unplanned, may lose what was not replicated: sent to the target's region, which is up. */
    public void failover(String targetAwsRegion, String targetClusterArn) throws StepFailure {
        call("FailoverGlobalCluster", () -> aws.rds(targetAwsRegion).failoverGlobalCluster(r -> r
                .globalClusterIdentifier(identifier).targetDbClusterIdentifier(targetClusterArn).allowDataLoss(true)));
    }

    /**
     * What RDS reported about the member cluster {@code clusterId} since {@code since}, oldest first:
     * "Global failover to DB cluster ... completed" and, in the lab, what the failover lost. RDS's
     * clock and ours may disagree a little, so an event a few seconds before {@code since} counts.
     */
    public List<String> events(String awsRegion, String clusterId, Instant since) throws StepFailure {
        Instant from = since.minus(CLOCK_SLACK);
        return call("DescribeEvents", () -> aws.rds(awsRegion).describeEventsPaginator(r -> r
                .sourceType(SourceType.DB_CLUSTER).sourceIdentifier(clusterId).startTime(from)).events().stream()
                .map(e -> e.message()).toList());
    }
}
