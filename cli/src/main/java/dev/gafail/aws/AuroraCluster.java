package dev.gafail.aws;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.engine.StepFailure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/**
 * An Aurora cluster as its own region's RDS describes it (DescribeDBClusters, DescribeDBInstances): what
 * {@code gafail check} compares between the regions, and what a restore takes from its source and waits for.
 *
 * @param createdAt  when RDS began creating it (a restore's start, whichever process asked for it)
 * @param restorable the window it can be restored to in: earliest and latest; null ends when RDS gives none
 * @param tags       its tags, by key
 */
public record AuroraCluster(String arn, String id, String status, String engine, String engineVersion,
                            int backupRetentionDays, String subnetGroup, List<String> securityGroups,
                            Instant createdAt, Window restorable, boolean httpEndpoint, Map<String, String> tags,
                            List<Instance> instances) {

    /** A restorable window; either end is null when RDS gives none (before the first backup). */
    public record Window(Instant earliest, Instant latest) {
    }

    public record Instance(String id, String instanceClass, boolean writer, String status) {
    }

    public static final String AVAILABLE = "available";

    public AuroraCluster {
        securityGroups = List.copyOf(securityGroups);
        tags = Map.copyOf(tags);
        instances = List.copyOf(instances);
    }

    /** The cluster {@code cluster} names (id or ARN) in {@code awsRegion}; empty when RDS has none by that name there. */
    public static Optional<AuroraCluster> find(AwsClients aws, String awsRegion, String cluster) throws StepFailure {
        List<DBCluster> found;
        try {
            found = call("DescribeDBClusters", () -> aws.rds(awsRegion)
                    .describeDBClusters(r -> r.dbClusterIdentifier(cluster)).dbClusters());
        } catch (StepFailure e) {
            if (e.getCause() instanceof DbClusterNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DBCluster c = found.get(0);
        List<DBInstance> described = call("DescribeDBInstances", () -> aws.rds(awsRegion)
                .describeDBInstances(r -> r.filters(Filter.builder().name("db-cluster-id")
                        .values(c.dbClusterArn()).build())).dbInstances());
        Map<String, DBInstance> byId = described.stream()
                .collect(Collectors.toMap(DBInstance::dbInstanceIdentifier, i -> i, (a, b) -> a));
        List<Instance> instances = c.dbClusterMembers().stream().map(m -> {
            DBInstance i = byId.get(m.dbInstanceIdentifier());
            return new Instance(m.dbInstanceIdentifier(), i == null ? "unknown" : String.valueOf(i.dbInstanceClass()),
                    Boolean.TRUE.equals(m.isClusterWriter()), i == null ? "unknown" : i.dbInstanceStatus());
        }).toList();
        return Optional.of(new AuroraCluster(c.dbClusterArn(), c.dbClusterIdentifier(), c.status(), c.engine(),
                c.engineVersion(), c.backupRetentionPeriod() == null ? 0 : c.backupRetentionPeriod(),
                c.dbSubnetGroup(), c.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId)
                .toList(), c.clusterCreateTime(), new Window(c.earliestRestorableTime(), c.latestRestorableTime()),
                Boolean.TRUE.equals(c.httpEndpointEnabled()), c.tagList().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b)), instances));
    }

    /** The cluster {@code cluster} names in {@code awsRegion}, which must exist. */
    public static AuroraCluster read(AwsClients aws, String awsRegion, String cluster) throws StepFailure {
        return find(aws, awsRegion, cluster).orElseThrow(() -> StepFailure.permanent("DescribeDBClusters: no cluster "
                + cluster + " in " + awsRegion));
    }

    /** The class of the instance that writes, if the cluster has one (a secondary's has none). */
    public Optional<String> writerClass() {
        return instances.stream().filter(Instance::writer).map(Instance::instanceClass).findFirst();
    }

    public boolean hasClass(String instanceClass) {
        return instances.stream().anyMatch(i -> i.instanceClass().equals(instanceClass));
    }

    /** Available, with every instance available too: a restore is ready for queries. */
    public boolean ready() {
        return status.equals(AVAILABLE) && !instances.isEmpty()
                && instances.stream().allMatch(i -> i.status().equals(AVAILABLE));
    }
}
