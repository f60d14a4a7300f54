package dev.gafail.check;

import static dev.gafail.aws.AwsErrors.call;

import dev.gafail.actions.Target;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Filter;

/**
 * A region's Aurora cluster as its own region's RDS describes it: engine version, how many days of backups
 * it keeps, and its instances with their classes.
 */
record Clusters(String engineVersion, int backupRetentionDays, List<Instance> instances) {

    record Instance(String id, String instanceClass, boolean writer) {
    }

    static Clusters read(Target target, Region region) throws StepFailure {
        String awsRegion = region.awsRegion();
        List<DBCluster> found = call("DescribeDBClusters", () -> target.aws().rds(awsRegion)
                .describeDBClusters(r -> r.dbClusterIdentifier(region.dbClusterArn())).dbClusters());
        if (found.isEmpty()) {
            throw StepFailure.permanent("DescribeDBClusters: no cluster " + region.dbClusterArn() + " in " + awsRegion);
        }
        DBCluster cluster = found.get(0);
        Map<String, String> classes = call("DescribeDBInstances", () -> target.aws().rds(awsRegion)
                .describeDBInstances(r -> r.filters(Filter.builder().name("db-cluster-id")
                        .values(region.dbClusterArn()).build())).dbInstances()).stream()
                .collect(Collectors.toMap(DBInstance::dbInstanceIdentifier, i -> String.valueOf(i.dbInstanceClass()),
                        (a, b) -> a));
        List<Instance> instances = cluster.dbClusterMembers().stream().map(m -> new Instance(m.dbInstanceIdentifier(),
                classes.getOrDefault(m.dbInstanceIdentifier(), "unknown"), Boolean.TRUE.equals(m.isClusterWriter())))
                .toList();
        return new Clusters(cluster.engineVersion(), cluster.backupRetentionPeriod() == null ? 0
                : cluster.backupRetentionPeriod(), instances);
    }

    /** The class of the instance that writes, if the cluster has one (a secondary's has none). */
    Optional<String> writerClass() {
        return instances.stream().filter(Instance::writer).map(Instance::instanceClass).findFirst();
    }

    boolean hasClass(String instanceClass) {
        return instances.stream().anyMatch(i -> i.instanceClass().equals(instanceClass));
    }
}
