package dev.gafail.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.rds.CfnDBCluster;
import software.amazon.awscdk.services.rds.CfnDBClusterParameterGroup;
import software.amazon.awscdk.services.rds.CfnDBInstance;
import software.amazon.awscdk.services.rds.CfnDBProxy;
import software.amazon.awscdk.services.rds.CfnDBProxyTargetGroup;
import software.amazon.awscdk.services.rds.CfnDBSubnetGroup;
import software.amazon.awscdk.services.rds.CfnGlobalCluster;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.ReplicaRegion;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * A region's member of the Aurora global database, behind RDS Proxy. The primary (region-a)
 * creates the global cluster, the database and its credentials (a secret replicated to region-b,
 * same name and suffix); the secondary joins with the same engine version and reads the replica.
 * Both have the RDS Data API on and commit timestamps tracked, which the restore drill's check needs. With
 * {@code database.writerEndpoint}, the primary also reads the global database's writer endpoint, which both
 * regions write through.
 */
final class DatabaseMember extends Construct {

    static final String DATABASE = "notes";
    private static final String USER = "notes";

    private final ISecret secret;
    private final Secret created;
    private final CfnDBCluster cluster;
    private final CfnDBProxy proxy;
    /** The global writer endpoint's host name; null without {@code database.writerEndpoint}. */
    private final String writerAddress;

    /** @param primary region-a's member, whose secret this one reads; null for region-a itself */
    DatabaseMember(Construct scope, InfraConfig config, InfraConfig.RegionConfig region, List<String> subnets,
                   SecurityGroup databaseGroup, SecurityGroup proxyGroup, DatabaseMember primary) {
        super(scope, "Database");
        if (primary == null) {
            created = Secret.Builder.create(this, "Secret").secretName(config.name() + "/database")
                    .description("Aurora master credentials of " + config.globalDatabase())
                    .generateSecretString(SecretStringGenerator.builder()
                            .secretStringTemplate("{\"username\": \"" + USER + "\"}")
                            .generateStringKey("password").excludePunctuation(true).passwordLength(32).build())
                    .replicaRegions(List.of(ReplicaRegion.builder().region(config.secondary().awsRegion()).build()))
                    .build();
            secret = created;
        } else {
            created = null;
            // The replica's ARN is the primary's with this region in it.
            secret = Secret.fromSecretCompleteArn(this, "Secret", Fn.join("", List.of("arn:",
                    Stack.of(this).getPartition(), ":secretsmanager:", region.awsRegion(), ":", config.account(),
                    ":secret:", Fn.select(6, Fn.split(":", primary.created.getSecretArn())))));
        }

        CfnDBSubnetGroup subnetGroup = CfnDBSubnetGroup.Builder.create(this, "Subnets")
                .dbSubnetGroupDescription("private-db subnets of " + region.name()).subnetIds(subnets).build();
        Key key = Key.Builder.create(this, "Key").enableKeyRotation(true).removalPolicy(RemovalPolicy.RETAIN)
                .description("Aurora storage of " + config.clusterId(region)).build();
        // The restore drill counts the source's rows committed by the moment restored to
        // (pg_xact_commit_timestamp); a static parameter, in effect from the instance's next start.
        CfnDBClusterParameterGroup parameters = CfnDBClusterParameterGroup.Builder.create(this, "Parameters")
                .family(config.database().parameterGroupFamily())
                .description("Aurora PostgreSQL with commit timestamps tracked")
                .parameters(Map.of("track_commit_timestamp", "1")).build();
        CfnDBCluster.Builder builder = CfnDBCluster.Builder.create(this, "Cluster")
                .dbClusterIdentifier(config.clusterId(region)).globalClusterIdentifier(config.globalDatabase())
                .engine("aurora-postgresql").engineVersion(config.database().engineVersion())
                .dbClusterParameterGroupName(parameters.getRef())
                // The RDS Data API: the restore drill reads the source and its restore over HTTPS with IAM and
                // the secret, no network path. A secondary takes it, and answers once it has a writer.
                .enableHttpEndpoint(true)
                .dbSubnetGroupName(subnetGroup.getRef()).vpcSecurityGroupIds(List.of(databaseGroup.getSecurityGroupId()))
                .storageEncrypted(true).kmsKeyId(key.getKeyArn())
                .backupRetentionPeriod(7).deletionProtection(true).copyTagsToSnapshot(true);
        CfnGlobalCluster global = null;
        if (primary == null) {
            global = CfnGlobalCluster.Builder.create(this, "Global").globalClusterIdentifier(config.globalDatabase())
                    .engine("aurora-postgresql").engineVersion(config.database().engineVersion())
                    .storageEncrypted(true).deletionProtection(true).build();
            builder.databaseName(DATABASE)
                    .masterUsername(secret.secretValueFromJson("username").unsafeUnwrap())
                    .masterUserPassword(secret.secretValueFromJson("password").unsafeUnwrap());
        }
        cluster = builder.build();
        if (global != null) {
            cluster.addResourceDependency(global);
        }
        cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
        // The global database has one writer endpoint: the primary reads it, the secondary takes the primary's.
        writerAddress = primary != null ? primary.writerAddress : config.database().writerEndpoint()
                ? new GlobalWriterEndpoint(this, config, cluster).address() : null;
        CfnDBInstance instance = CfnDBInstance.Builder.create(this, "Instance").dbClusterIdentifier(cluster.getRef())
                .dbInstanceClass(config.database().instanceClass()).engine("aurora-postgresql")
                .publiclyAccessible(false).build();
        instance.addResourceDependency(cluster);

        Role role = Role.Builder.create(this, "ProxyRole").assumedBy(new ServicePrincipal("rds.amazonaws.com"))
                .description("RDS Proxy reads the database secret").build();
        secret.grantRead(role);
        proxy = CfnDBProxy.Builder.create(this, "Proxy").dbProxyName(config.clusterId(region))
                .engineFamily("POSTGRESQL").requireTls(true).roleArn(role.getRoleArn())
                .vpcSubnetIds(subnets).vpcSecurityGroupIds(List.of(proxyGroup.getSecurityGroupId()))
                .auth(List.of(CfnDBProxy.AuthFormatProperty.builder().authScheme("SECRETS")
                        .secretArn(secret.getSecretArn()).iamAuth("DISABLED").build()))
                .build();
        CfnDBProxyTargetGroup.Builder.create(this, "ProxyTargets").dbProxyName(proxy.getRef())
                .targetGroupName("default").dbClusterIdentifiers(List.of(cluster.getRef())).build()
                .addResourceDependency(instance);
    }

    /** The credentials (username, password) the service connects with. */
    ISecret secret() {
        return secret;
    }

    /** The cluster identifier, as CloudFormation resolves it. */
    String clusterId() {
        return cluster.getRef();
    }

    /** What the service reads from, and writes to without a writer endpoint: the region's proxy. */
    String jdbcUrl() {
        return jdbcUrl(proxy.getAttrEndpoint());
    }

    /**
     * What the service writes to with {@code database.writerEndpoint}: the global writer endpoint, directly. RDS
     * Proxy cannot follow the writer: each proxy fronts its own region's cluster, and while that is a secondary,
     * the proxy answers writes with an error.
     */
    Optional<String> writerJdbcUrl() {
        return Optional.ofNullable(writerAddress).map(DatabaseMember::jdbcUrl);
    }

    private static String jdbcUrl(String host) {
        return "jdbc:postgresql://" + host + ":5432/" + DATABASE + "?sslmode=require";
    }
}
