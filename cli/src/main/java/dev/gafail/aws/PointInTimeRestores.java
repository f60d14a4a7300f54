package dev.gafail.aws;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.engine.StepFailure;
import java.time.Instant;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Point-in-time restores of a region's Aurora cluster into a scratch cluster, and their removal: the calls of
 * a restore drill, each sent to the source cluster's region. RestoreDBClusterToPointInTime creates a cluster
 * without an instance; CreateDBInstance gives it one. The scratch cluster keeps its source's subnet group and
 * security groups (otherwise RDS would place it in the default VPC), never deletion protection, and is tagged
 * with the execution that made it, so that whoever finds one knows where it came from.
 */
public final class PointInTimeRestores {

    /** The tag that names the gafail execution a scratch cluster belongs to. */
    public static final String EXECUTION_TAG = "gafail:execution";
    /** The tag that keeps the time a scratch cluster was restored to, which RDS does not describe. */
    public static final String RESTORED_TO_TAG = "gafail:restored-to";

    private final AwsClients aws;

    public PointInTimeRestores(AwsClients aws) {
        this.aws = aws;
    }

    /** Restores {@code source} as it was at {@code to} into the new cluster {@code name}. */
    public void restore(String awsRegion, AuroraCluster source, String name, Instant to, String execution)
            throws StepFailure {
        call("RestoreDBClusterToPointInTime", () -> aws.rds(awsRegion).restoreDBClusterToPointInTime(r -> r
                .sourceDBClusterIdentifier(source.arn()).dbClusterIdentifier(name).restoreToTime(to)
                .dbSubnetGroupName(source.subnetGroup()).vpcSecurityGroupIds(source.securityGroups())
                .deletionProtection(false).copyTagsToSnapshot(false)
                .tags(Tag.builder().key(EXECUTION_TAG).value(execution).build(),
                        Tag.builder().key(RESTORED_TO_TAG).value(to.toString()).build())));
    }

    /** Gives the restored cluster {@code cluster} its instance {@code instance}, of {@code instanceClass}. */
    public void createInstance(String awsRegion, String cluster, String instance, String engine, String instanceClass,
                               String execution) throws StepFailure {
        call("CreateDBInstance", () -> aws.rds(awsRegion).createDBInstance(r -> r.dbClusterIdentifier(cluster)
                .dbInstanceIdentifier(instance).engine(engine).dbInstanceClass(instanceClass).publiclyAccessible(false)
                .tags(Tag.builder().key(EXECUTION_TAG).value(execution).build())));
    }

    /** Turns the Data API on for {@code clusterArn}: a restore does not take its source's. */
    public void enableDataApi(String awsRegion, String clusterArn) throws StepFailure {
        call("EnableHttpEndpoint", () -> aws.rds(awsRegion).enableHttpEndpoint(r -> r.resourceArn(clusterArn)));
    }

    public void deleteInstance(String awsRegion, String instance) throws StepFailure {
        call("DeleteDBInstance", () -> aws.rds(awsRegion).deleteDBInstance(r -> r.dbInstanceIdentifier(instance)));
    }

    /** Deletes the scratch cluster without a final snapshot: it holds a copy of data the source still has. */
    public void deleteCluster(String awsRegion, String cluster) throws StepFailure {
        call("DeleteDBCluster", () -> aws.rds(awsRegion).deleteDBCluster(r -> r.dbClusterIdentifier(cluster)
                .skipFinalSnapshot(true)));
    }
}
