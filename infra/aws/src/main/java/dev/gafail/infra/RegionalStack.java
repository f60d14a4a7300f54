package dev.gafail.infra;

import dev.gafail.topology.TopologyImport;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.elasticache.CfnServerlessCache;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.CfnDBCluster;
import software.amazon.awscdk.services.rds.CfnDBInstance;
import software.amazon.awscdk.services.rds.CfnDBProxy;
import software.amazon.awscdk.services.rds.CfnDBProxyTargetGroup;
import software.amazon.awscdk.services.rds.CfnDBSubnetGroup;
import software.amazon.awscdk.services.rds.CfnGlobalCluster;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.ReplicaRegion;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * One region: a VPC over two AZs (public, private-app and private-db subnets), an internet-facing
 * ALB checking {@code /healthz}, the sample-api on ECS Fargate (circuit breaker with rollback,
 * container health check on {@code /livez}, secrets from Secrets Manager), an Aurora PostgreSQL
 * cluster that is a member of the global database (the primary creates it, the secondary joins)
 * behind RDS Proxy, ElastiCache Serverless Valkey, and alarms on what users feel. Nothing but the
 * ALB is reachable from the internet.
 */
public final class RegionalStack extends Stack {

    private static final int APP_PORT = 8080;
    private static final String DATABASE = "notes";
    private static final String DATABASE_USER = "notes";

    private final ApplicationLoadBalancer loadBalancer;
    private final software.amazon.awscdk.services.secretsmanager.Secret databaseSecret;

    /**
     * @param primary        the stack of region-a, whose database secret this one (region-b) reads
     *                       from its replica; null for region-a itself
     */
    public RegionalStack(Construct scope, InfraConfig config, InfraConfig.RegionConfig region, RegionalStack primary) {
        super(scope, config.stackName(region), StackProps.builder()
                .env(software.amazon.awscdk.Environment.builder().account(config.account())
                        .region(region.awsRegion()).build())
                .crossRegionReferences(true)
                .description("gafail " + region.name() + " (" + (primary == null ? "primary" : "secondary")
                        + "): VPC, ALB, ECS Fargate, Aurora global database member with RDS Proxy, Valkey, alarms")
                .build());
        boolean isPrimary = primary == null;

        Vpc vpc = Vpc.Builder.create(this, "Vpc").ipAddresses(IpAddresses.cidr(region.cidr()))
                .availabilityZones(List.of(region.awsRegion() + "a", region.awsRegion() + "b"))
                .natGateways(1)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("app").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(22).build(),
                        SubnetConfiguration.builder().name("db").subnetType(SubnetType.PRIVATE_ISOLATED)
                                .cidrMask(24).build()))
                .build();
        // Named zones, so that synth needs no lookup and runs offline.
        Validations.of(vpc).acknowledge(Acknowledgment.builder().id("CloudFormation-Validate::W3010")
                .reason("the zones are named so that synth runs offline").build());
        SubnetSelection appSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
        List<String> dbSubnets = vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED)
                .build()).getSubnetIds();

        SecurityGroup albGroup = group(vpc, "LoadBalancer", "the ALB: HTTP from the accelerator");
        albGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), "HTTP through Global Accelerator (client IP preserved)");
        SecurityGroup appGroup = group(vpc, "Service", "sample-api tasks: from the ALB only");
        appGroup.addIngressRule(albGroup, Port.tcp(APP_PORT), "the ALB");
        SecurityGroup proxyGroup = group(vpc, "Proxy", "RDS Proxy: from the tasks only");
        proxyGroup.addIngressRule(appGroup, Port.tcp(5432), "sample-api");
        SecurityGroup dbGroup = group(vpc, "Database", "Aurora: from RDS Proxy only");
        dbGroup.addIngressRule(proxyGroup, Port.tcp(5432), "RDS Proxy");
        SecurityGroup cacheGroup = group(vpc, "Cache", "Valkey: from the tasks only");
        cacheGroup.addIngressRule(appGroup, Port.tcp(6379), "sample-api");

        // The database: one secret, created in region-a and replicated to region-b (same name and suffix).
        ISecret secret;
        if (isPrimary) {
            databaseSecret = software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(this, "DatabaseSecret")
                    .secretName(config.name() + "/database")
                    .description("Aurora master credentials of " + config.globalDatabase())
                    .generateSecretString(SecretStringGenerator.builder()
                            .secretStringTemplate("{\"username\": \"" + DATABASE_USER + "\"}")
                            .generateStringKey("password").excludePunctuation(true).passwordLength(32).build())
                    .replicaRegions(List.of(ReplicaRegion.builder().region(config.secondary().awsRegion()).build()))
                    .build();
            secret = databaseSecret;
        } else {
            databaseSecret = null;
            String replicaArn = Fn.join("", List.of("arn:", Stack.of(this).getPartition(), ":secretsmanager:",
                    region.awsRegion(), ":", config.account(), ":secret:",
                    Fn.select(6, Fn.split(":", primary.databaseSecret.getSecretArn()))));
            secret = software.amazon.awscdk.services.secretsmanager.Secret.fromSecretCompleteArn(this,
                    "DatabaseSecret", replicaArn);
        }

        CfnDBSubnetGroup subnetGroup = CfnDBSubnetGroup.Builder.create(this, "DatabaseSubnets")
                .dbSubnetGroupDescription("private-db subnets of " + region.name()).subnetIds(dbSubnets).build();
        Key storageKey = Key.Builder.create(this, "DatabaseKey").enableKeyRotation(true)
                .description("Aurora storage of " + config.clusterId(region)).removalPolicy(RemovalPolicy.RETAIN)
                .build();
        CfnDBCluster.Builder cluster = CfnDBCluster.Builder.create(this, "Database")
                .dbClusterIdentifier(config.clusterId(region))
                .engine("aurora-postgresql").engineVersion(config.database().engineVersion())
                .globalClusterIdentifier(config.globalDatabase())
                .dbSubnetGroupName(subnetGroup.getRef()).vpcSecurityGroupIds(List.of(dbGroup.getSecurityGroupId()))
                .storageEncrypted(true).kmsKeyId(storageKey.getKeyArn())
                .backupRetentionPeriod(7).deletionProtection(true).copyTagsToSnapshot(true);
        CfnGlobalCluster global = null;
        if (isPrimary) {
            global = CfnGlobalCluster.Builder.create(this, "GlobalDatabase")
                    .globalClusterIdentifier(config.globalDatabase())
                    .engine("aurora-postgresql").engineVersion(config.database().engineVersion())
                    .storageEncrypted(true).deletionProtection(true).build();
            cluster.databaseName(DATABASE)
                    .masterUsername(secret.secretValueFromJson("username").unsafeUnwrap())
                    .masterUserPassword(secret.secretValueFromJson("password").unsafeUnwrap());
        }
        CfnDBCluster database = cluster.build();
        if (global != null) {
            database.addResourceDependency(global);
        }
        database.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
        CfnDBInstance instance = CfnDBInstance.Builder.create(this, "DatabaseInstance")
                .dbClusterIdentifier(database.getRef()).dbInstanceClass(config.database().instanceClass())
                .engine("aurora-postgresql").publiclyAccessible(false).build();
        instance.addResourceDependency(database);

        Role proxyRole = Role.Builder.create(this, "ProxyRole").assumedBy(new ServicePrincipal("rds.amazonaws.com"))
                .description("RDS Proxy reads the database secret").build();
        secret.grantRead(proxyRole);
        CfnDBProxy proxy = CfnDBProxy.Builder.create(this, "Proxy").dbProxyName(config.clusterId(region))
                .engineFamily("POSTGRESQL").requireTls(true).roleArn(proxyRole.getRoleArn())
                .vpcSubnetIds(dbSubnets).vpcSecurityGroupIds(List.of(proxyGroup.getSecurityGroupId()))
                .auth(List.of(CfnDBProxy.AuthFormatProperty.builder().authScheme("SECRETS")
                        .secretArn(secret.getSecretArn()).iamAuth("DISABLED").build()))
                .build();
        CfnDBProxyTargetGroup.Builder.create(this, "ProxyTargets").dbProxyName(proxy.getRef())
                .targetGroupName("default").dbClusterIdentifiers(List.of(database.getRef())).build()
                .addResourceDependency(instance);

        CfnServerlessCache cache = CfnServerlessCache.Builder.create(this, "Cache")
                .serverlessCacheName(config.name() + "-" + region.name()).engine("valkey").majorEngineVersion("8")
                .subnetIds(dbSubnets).securityGroupIds(List.of(cacheGroup.getSecurityGroupId())).build();

        // The service.
        Cluster ecs = Cluster.Builder.create(this, "Cluster").clusterName(config.ecsCluster(region)).vpc(vpc)
                .containerInsightsV2(ContainerInsights.ENABLED).build();
        software.amazon.awscdk.services.secretsmanager.Secret jwt =
                software.amazon.awscdk.services.secretsmanager.Secret.Builder.create(this, "JwtSecret")
                        .description("sample-api's HS256 signing key in " + region.name())
                        .generateSecretString(SecretStringGenerator.builder().excludePunctuation(true)
                                .passwordLength(48).build())
                        .build();
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, "Task")
                .cpu(config.service().cpu()).memoryLimitMiB(config.service().memoryMiB()).build();
        ContainerImage image = config.service().image() != null
                ? ContainerImage.fromRegistry(config.service().image())
                : ContainerImage.fromEcrRepository(Repository.fromRepositoryName(this, "Repository",
                config.service().ecrRepository()), config.service().tag());
        task.addContainer("api", ContainerDefinitionOptions.builder().image(image).essential(true)
                .portMappings(List.of(PortMapping.builder().containerPort(APP_PORT).build()))
                .environment(Map.of(
                        "PORT", String.valueOf(APP_PORT),
                        "REGION", region.name(),
                        "DATABASE_URL", "jdbc:postgresql://" + proxy.getAttrEndpoint() + ":5432/" + DATABASE
                                + "?sslmode=require",
                        "VALKEY_URL", "rediss://" + cache.getAttrEndpointAddress() + ":" + cache.getAttrEndpointPort(),
                        "DRAIN_SECONDS", "5"))
                .secrets(Map.of(
                        "DATABASE_USER", Secret.fromSecretsManager(secret, "username"),
                        "DATABASE_PASSWORD", Secret.fromSecretsManager(secret, "password"),
                        "AUTH_JWT_SECRET", Secret.fromSecretsManager(jwt)))
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD-SHELL", "curl -fsS http://127.0.0.1:" + APP_PORT + "/livez || exit 1"))
                        .interval(Duration.seconds(15)).timeout(Duration.seconds(3)).retries(3)
                        .startPeriod(Duration.seconds(30)).build())
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().streamPrefix("api")
                        .logGroup(LogGroup.Builder.create(this, "Logs").retention(RetentionDays.ONE_MONTH).build())
                        .build()))
                .stopTimeout(Duration.seconds(30))
                .build());
        FargateService service = FargateService.Builder.create(this, "Service").cluster(ecs)
                .serviceName(config.ecsService()).taskDefinition(task).desiredCount(config.desiredCount(region))
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .minHealthyPercent(100).maxHealthyPercent(200)
                .vpcSubnets(appSubnets).securityGroups(List.of(appGroup)).assignPublicIp(false)
                .healthCheckGracePeriod(Duration.seconds(60)).build();

        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer").vpc(vpc).internetFacing(true)
                .securityGroup(albGroup).vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .build();
        ApplicationListener listener = loadBalancer.addListener("Http", BaseApplicationListenerProps.builder()
                .port(80).protocol(ApplicationProtocol.HTTP).open(false).build());
        var targets = listener.addTargets("Api", AddApplicationTargetsProps.builder().port(APP_PORT)
                .protocol(ApplicationProtocol.HTTP).targets(List.of(service))
                .deregistrationDelay(Duration.seconds(15))
                .healthCheck(software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder().path("/healthz").healthyHttpCodes("200").interval(Duration.seconds(10))
                        .timeout(Duration.seconds(5)).healthyThresholdCount(2).unhealthyThresholdCount(2).build())
                .build());

        alarms(config, region, database, targets.getMetrics().httpCodeTarget(
                        software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget.TARGET_5XX_COUNT),
                loadBalancer.getMetrics().requestCount(), targets.getMetrics().targetResponseTime(),
                ecs.getClusterName(), config.ecsService());

        String clusterArn = "arn:" + Stack.of(this).getPartition() + ":rds:" + region.awsRegion() + ":"
                + config.account() + ":cluster:" + config.clusterId(region);
        output(TopologyImport.TOPOLOGY, config.name());
        output(TopologyImport.REGION, region.name());
        output(TopologyImport.AWS_REGION, region.awsRegion());
        output(TopologyImport.DB_CLUSTER_ARN, clusterArn);
        output(TopologyImport.ECS_CLUSTER, config.ecsCluster(region));
        output(TopologyImport.ECS_SERVICE, config.ecsService());
        output(TopologyImport.ACTIVE_COUNT, String.valueOf(config.service().activeCount()));
        output(TopologyImport.WARM_COUNT, String.valueOf(config.mode() == InfraConfig.Mode.ACTIVE_ACTIVE
                ? config.service().activeCount() : config.service().warmCount()));
        output(TopologyImport.HEALTHZ, "http://" + loadBalancer.getLoadBalancerDnsName() + "/healthz");
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    private SecurityGroup group(Vpc vpc, String id, String description) {
        return SecurityGroup.Builder.create(this, id + "Group").vpc(vpc).description(description)
                .allowAllOutbound(true).build();
    }

    /**
     * What users feel, per region: the ALB's 5xx rate and p95 latency, the service running fewer tasks
     * than it should (these three gate gafail's changes), and the global database's replication lag.
     * Missing data is not breaching: a passive region without traffic is not failing.
     */
    private void alarms(InfraConfig config, InfraConfig.RegionConfig region, CfnDBCluster database, IMetric errors,
                        IMetric requests, Metric latency, String ecsCluster, String ecsService) {
        Duration minute = Duration.minutes(1);
        IMetric rate = MathExpression.Builder.create().expression("100 * FILL(errors, 0) / FILL(requests, 1)")
                .usingMetrics(Map.of("errors", errors, "requests", requests)).period(minute)
                .label("5xx rate (%)").build();
        alarm("FiveXxRate", config.gatingAlarms().get(0), "5xx rate of " + region.name() + "'s ALB above "
                + config.alarms().fiveXxPercent() + "%", rate, config.alarms().fiveXxPercent(), 2);
        alarm("P95Latency", config.gatingAlarms().get(1), "p95 response time of " + region.name() + " above "
                        + config.alarms().p95Seconds() + " s",
                latency.with(software.amazon.awscdk.services.cloudwatch.MetricOptions.builder().statistic("p95")
                        .period(minute).build()), config.alarms().p95Seconds(), 3);
        Map<String, String> service = Map.of("ClusterName", ecsCluster, "ServiceName", ecsService);
        IMetric missing = MathExpression.Builder.create().expression("desired - running")
                .usingMetrics(Map.of(
                        "desired", Metric.Builder.create().namespace("ECS/ContainerInsights")
                                .metricName("DesiredTaskCount").dimensionsMap(service).statistic("Minimum").build(),
                        "running", Metric.Builder.create().namespace("ECS/ContainerInsights")
                                .metricName("RunningTaskCount").dimensionsMap(service).statistic("Minimum").build()))
                .period(minute).label("tasks missing").build();
        alarm("Capacity", config.gatingAlarms().get(2), region.name() + " runs fewer tasks than desired", missing,
                0, 5);
        alarm("RpoLag", config.rpoLagAlarm(), "replication lag of " + config.clusterId(region) + " above "
                        + config.alarms().rpoLagSeconds() + " s",
                Metric.Builder.create().namespace("AWS/RDS").metricName("AuroraGlobalDBRPOLag")
                        .dimensionsMap(Map.of("DBClusterIdentifier", database.getRef())).statistic("Maximum")
                        .period(minute).build(), config.alarms().rpoLagSeconds() * 1000, 3);
    }

    private void alarm(String id, String name, String description, IMetric metric, double threshold, int periods) {
        Alarm.Builder.create(this, id + "Alarm").alarmName(name).alarmDescription(description).metric(metric)
                .threshold(threshold).evaluationPeriods(periods).datapointsToAlarm(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build();
    }

    private void output(String key, String value) {
        CfnOutput.Builder.create(this, key).key(key).value(value).build();
    }
}
