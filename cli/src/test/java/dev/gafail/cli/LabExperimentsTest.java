package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.lab.Lab;
import dev.gafail.lab.aws.ExperimentView;
import dev.gafail.lab.aws.LabResources;
import dev.gafail.lab.aws.SnsMessage;
import dev.gafail.lab.load.ClientLoad;
import dev.gafail.servers.os.Await;
import dev.gafail.testing.TestLab;
import dev.gafail.topology.TopologyLoader;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.fis.model.Experiment;
import software.amazon.awssdk.services.fis.model.ExperimentStatus;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The lab's FIS experiments on a real lab, started and watched through the real SDK clients at each
 * region's own AWS endpoint: each scenario's fault is there while its experiment runs and gone once it
 * is stopped, as FIS reverts its actions; a lost region's FIS and SNS answer nothing; {@code lab heal}
 * ends the experiment that hit the region. (That an experiment also ends on its own, and the rest of
 * FIS's and SNS's operations: LabFisTest in infra/local.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabExperimentsTest {

    /** Long enough that no experiment here ends on its own: each is stopped, or healed. */
    @RegisterExtension
    static final TestLab LAB = new TestLab("experiments", config -> config.withExperimentDuration(Duration.ofMinutes(3)));

    private static final Map<String, AutoCloseable> CLIENTS = new LinkedHashMap<>();
    /** How long a test waits for the lab to get where it should, reading every {@link #POLL}. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    @AfterAll
    static void closeClients() throws Exception {
        for (AutoCloseable client : CLIENTS.values()) {
            client.close();
        }
    }

    private static Lab lab() {
        return LAB.lab();
    }

    /** A client of the lab's {@code awsRegion} at that region's own endpoint, one try, short timeouts. */
    @SuppressWarnings("unchecked")
    private static <T extends AutoCloseable> T client(String kind, String awsRegion) {
        return (T) CLIENTS.computeIfAbsent(kind + " " + awsRegion, key -> {
            URI endpoint = URI.create(lab().awsEndpoint(awsRegion));
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    "AKIDTEST", "secret"));
            ClientOverrideConfiguration once = ClientOverrideConfiguration.builder()
                    .retryStrategy(b -> b.maxAttempts(1)).apiCallTimeout(Duration.ofSeconds(3)).build();
            UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(1)).socketTimeout(Duration.ofSeconds(3)).build();
            return switch (kind) {
                case "fis" -> FisClient.builder().endpointOverride(endpoint).region(Region.of(awsRegion))
                        .credentialsProvider(credentials).httpClient(http).overrideConfiguration(once).build();
                case "ecs" -> EcsClient.builder().endpointOverride(endpoint).region(Region.of(awsRegion))
                        .credentialsProvider(credentials).httpClient(http).overrideConfiguration(once).build();
                case "cloudwatch" -> CloudWatchClient.builder().endpointOverride(endpoint).region(Region.of(awsRegion))
                        .credentialsProvider(credentials).httpClient(http).overrideConfiguration(once).build();
                case "sns" -> SnsClient.builder().endpointOverride(endpoint).region(Region.of(awsRegion))
                        .credentialsProvider(credentials).httpClient(http).overrideConfiguration(once).build();
                default -> throw new IllegalArgumentException(kind);
            };
        });
    }

    private static FisClient fis(String awsRegion) {
        return client("fis", awsRegion);
    }

    private static Experiment experiment(String awsRegion, String id) {
        return fis(awsRegion).getExperiment(b -> b.id(id)).experiment();
    }

    /** Starts {@code scenario}'s template of {@code region}'s FIS and returns its id once it runs. */
    private static String run(String region, String scenario) throws Exception {
        String awsRegion = LabResources.AWS_REGIONS.get(region);
        String id = fis(awsRegion).startExperiment(b -> b.experimentTemplateId(LabResources.experimentTemplateId(region,
                scenario)).clientToken("test-" + scenario + "-" + region)).experiment().id();
        Await.until(WAIT, POLL, "never: " + id + " runs",
                () -> experiment(awsRegion, id).state().status() == ExperimentStatus.RUNNING);
        return id;
    }

    private static void stop(String awsRegion, String id) throws Exception {
        fis(awsRegion).stopExperiment(b -> b.id(id));
        Await.until(WAIT, POLL, "never: " + id + " stopped",
                () -> experiment(awsRegion, id).state().status() == ExperimentStatus.STOPPED);
    }

    private static Lab.RegionStatus region(String name) {
        return lab().status().regions().stream().filter(r -> r.region().equals(name)).findFirst().orElseThrow();
    }

    private static Service api(String awsRegion) {
        EcsClient ecs = client("ecs", awsRegion);
        return ecs.describeServices(b -> b.cluster("lab").services("api")).services().get(0);
    }

    private static String alarm(String awsRegion) {
        CloudWatchClient cloudWatch = client("cloudwatch", awsRegion);
        return cloudWatch.describeAlarms(b -> b.alarmNames("lab-5xx")).metricAlarms().get(0).stateValueAsString();
    }

    @Test
    @Order(1)
    void theTopologyNamesEachRegionsTemplatesByScenario() throws Exception {
        var topology = new TopologyLoader().load(lab().topologyFile());
        assertEquals(Map.of("drain", "EXTlabadrain0001", "dependency-timeout", "EXTlabadeptime01", "replication-stall",
                "EXTlabareplica01", "peer-loss", "EXTlabapeerloss1"), topology.regions().get("region-a").experiments());
        assertEquals("EXTlabbpeerloss1", topology.regions().get("region-b").experiments().get("peer-loss"));
        for (String region : Lab.REGIONS) {
            for (String id : topology.regions().get(region).experiments().values()) {
                String awsRegion = topology.regions().get(region).awsRegion();
                assertEquals(id, fis(awsRegion).getExperimentTemplate(b -> b.id(id)).experimentTemplate().id(),
                        "in " + region + "'s own FIS");
            }
        }
    }

    @Test
    @Order(2)
    void aDrainStopsRegionAsProcessesEcsShowsFewerRunningThanDesiredTheAlarmFiresUnderLoadAndAStopBringsThemBack()
            throws Exception {
        assertEquals(2, api("us-east-1").runningCount());
        ClientLoad load = new ClientLoad(URI.create(lab().status().edge()), lab().token(Duration.ofMinutes(10)), 4, 0,
                Duration.ofMillis(50)).start();
        String id;
        try {
            id = run("region-a", "drain");
            assertEquals(0, region("region-a").processes(), "its processes stopped");
            Await.until(WAIT, POLL, "never: ECS reports no task running in region-a",
                    () -> api("us-east-1").runningCount() == 0);
            Service drained = api("us-east-1");
            assertEquals(2, drained.desiredCount(), "the desired count stays");
            assertEquals("IN_PROGRESS", drained.deployments().get(0).rolloutStateAsString());
            Await.until(WAIT, POLL, "never: region-a's lab-5xx alarm fires under load",
                    () -> alarm("us-east-1").equals("ALARM"));
            ExperimentView shown = lab().status().experiments().get(0);
            assertEquals(List.of(id, "EXTlabadrain0001", "drain", "region-a", "us-east-1", "running"), List.of(
                    shown.id(), shown.template(), shown.scenario(), shown.region(), shown.fis(), shown.state()));
        } finally {
            load.close();
        }
        stop("us-east-1", id);
        Await.until(WAIT, POLL, "never: ECS reports region-a's two tasks again",
                () -> api("us-east-1").runningCount() == 2);
        assertEquals(2, region("region-a").processes());
        assertEquals(List.of(), lab().status().experiments());
    }

    @Test
    @Order(3)
    void aDependencyTimeoutSlowsRegionAsDatabaseUntilItIsStopped() throws Exception {
        String id = run("region-a", "dependency-timeout");
        assertEquals("+2000ms", region("region-a").databaseLatency());
        assertEquals("-", region("region-b").databaseLatency());
        stop("us-east-1", id);
        assertEquals("-", region("region-a").databaseLatency());
    }

    @Test
    @Order(4)
    void aReplicationStallHoldsBackRegionAsStreamUntilItIsStopped() throws Exception {
        String id = run("region-a", "replication-stall");
        assertEquals("stalled", region("region-a").replication());
        stop("us-east-1", id);
        assertEquals("streaming", region("region-a").replication());
    }

    @Test
    @Order(5)
    void aPeerLossFromRegionAsFisLosesRegionBWithItsFisAndSnsAndLabHealEndsIt() throws Exception {
        String id = run("region-a", "peer-loss");
        assertEquals("hang", region("region-b").apis());
        assertEquals("down", region("region-b").database());
        assertThrows(SdkClientException.class, () -> fis("us-west-2").listExperimentTemplates(b -> { }),
                "region-b's FIS is lost with its APIs");
        SnsClient westSns = client("sns", "us-west-2");
        assertThrows(SdkClientException.class, () -> westSns.publish(b -> b.topicArn(LabResources.topicArn("region-b"))
                .message("lost")));
        SnsClient eastSns = client("sns", "us-east-1");
        String published = eastSns.publish(b -> b.topicArn(LabResources.topicArn("region-a")).subject("region-b lost")
                .message("failing over to region-a")).messageId();
        assertEquals(ExperimentStatus.RUNNING, experiment("us-east-1", id).state().status(),
                "watched through the region that survives it");

        lab().heal("region-b");
        Experiment healed = experiment("us-east-1", id);
        assertEquals(ExperimentStatus.STOPPED, healed.state().status());
        assertEquals("Experiment stopped: gafail lab heal region-b.", healed.state().reason());
        assertEquals("up", region("region-b").apis());
        assertEquals("reader", region("region-b").database());
        assertEquals(4, fis("us-west-2").listExperimentTemplates(b -> { }).experimentTemplates().size());
        List<SnsMessage> kept = SnsMessage.read(lab().snsMessages());
        assertEquals(List.of(published), kept.stream().map(SnsMessage::messageId).toList(),
                "the one us-east-1's SNS took; none from the lost region");
        assertEquals(1, lab().status().sns().topics().get(0).messages());
    }
}
