package dev.gafail.infra;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ec2.SecurityGroup;
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
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The sample-api in one region: an ECS cluster (Container Insights, for the capacity alarm), the
 * Fargate service (circuit breaker with rollback, container health check on {@code /livez},
 * secrets from Secrets Manager) and the internet-facing ALB in front of it, whose target group
 * checks {@code /healthz}: a replica region's tasks answer it, and the accelerator follows it.
 */
final class ApiService extends Construct {

    static final int PORT = 8080;
    /**
     * How long a write waits for a moving writer (the service's default is 5 s, sized for the lab): long enough
     * for short gaps at AWS (a new TLS connection across regions, Aurora's 5 s DNS TTL), short enough that tasks
     * do not pile up waiting requests through a switchover, which takes longer: then a 503 with Retry-After lets
     * the client decide, well inside its own timeout and the ALB's 60 s idle timeout.
     */
    static final int WRITE_WAIT_SECONDS = 10;
    /**
     * The ALB's HTTP client keepalive duration, its minimum: after it the ALB answers one more request with
     * {@code Connection: close} (HTTP/1.x) or GOAWAY (HTTP/2), so a keep-alive client reconnects and is routed
     * by the accelerator's dials of that moment, within a minute of a traffic shift (the default is an hour).
     */
    static final int CLIENT_KEEP_ALIVE_SECONDS = 60;

    private final Cluster cluster;
    private final ApplicationLoadBalancer loadBalancer;
    private final ApplicationTargetGroup targets;

    /** @param cacheUrl the Valkey endpoint, {@code rediss://HOST:PORT} */
    ApiService(Construct scope, InfraConfig config, InfraConfig.RegionConfig region, Vpc vpc,
               SecurityGroup loadBalancerGroup, SecurityGroup serviceGroup, DatabaseMember database, String cacheUrl) {
        super(scope, "Api");
        cluster = Cluster.Builder.create(this, "Cluster").clusterName(config.ecsCluster(region)).vpc(vpc)
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
                .portMappings(List.of(PortMapping.builder().containerPort(PORT).build()))
                .environment(environment(region, database, cacheUrl))
                .secrets(Map.of(
                        "DATABASE_USER", Secret.fromSecretsManager(database.secret(), "username"),
                        "DATABASE_PASSWORD", Secret.fromSecretsManager(database.secret(), "password"),
                        "AUTH_JWT_SECRET", Secret.fromSecretsManager(jwt)))
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD-SHELL", "curl -fsS http://127.0.0.1:" + PORT + "/livez || exit 1"))
                        .interval(Duration.seconds(15)).timeout(Duration.seconds(3)).retries(3)
                        .startPeriod(Duration.seconds(30)).build())
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().streamPrefix("api")
                        .logGroup(LogGroup.Builder.create(this, "Logs").retention(RetentionDays.ONE_MONTH).build())
                        .build()))
                .stopTimeout(Duration.seconds(30))
                .build());
        FargateService service = FargateService.Builder.create(this, "Service").cluster(cluster)
                .serviceName(config.ecsService()).taskDefinition(task).desiredCount(config.desiredCount(region))
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .minHealthyPercent(100).maxHealthyPercent(200)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .securityGroups(List.of(serviceGroup)).assignPublicIp(false)
                .healthCheckGracePeriod(Duration.seconds(60)).build();

        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer").vpc(vpc).internetFacing(true)
                .securityGroup(loadBalancerGroup).clientKeepAlive(Duration.seconds(CLIENT_KEEP_ALIVE_SECONDS))
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build()).build();
        targets = loadBalancer.addListener("Http", BaseApplicationListenerProps.builder().port(80)
                        .protocol(ApplicationProtocol.HTTP).open(false).build())
                .addTargets("Api", AddApplicationTargetsProps.builder().port(PORT).protocol(ApplicationProtocol.HTTP)
                        .targets(List.of(service)).deregistrationDelay(Duration.seconds(15))
                        .healthCheck(software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder()
                                .path("/healthz").healthyHttpCodes("200").interval(Duration.seconds(10))
                                .timeout(Duration.seconds(5)).healthyThresholdCount(2).unhealthyThresholdCount(2)
                                .build())
                        .build());
    }

    /** The service's settings (sample-api/README.md); with a writer endpoint, every region writes through it. */
    private static Map<String, String> environment(InfraConfig.RegionConfig region, DatabaseMember database,
                                                   String cacheUrl) {
        Map<String, String> environment = new TreeMap<>(Map.of("PORT", String.valueOf(PORT), "REGION", region.name(),
                "DATABASE_URL", database.jdbcUrl(), "VALKEY_URL", cacheUrl, "DRAIN_SECONDS", "5"));
        database.writerJdbcUrl().ifPresent(url -> {
            environment.put("DATABASE_WRITER_URL", url);
            environment.put("WRITE_WAIT_SECONDS", String.valueOf(WRITE_WAIT_SECONDS));
        });
        return environment;
    }

    ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    ApplicationTargetGroup targets() {
        return targets;
    }

    String clusterName() {
        return cluster.getClusterName();
    }
}
