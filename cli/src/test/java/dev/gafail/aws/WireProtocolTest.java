package dev.gafail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.StepFailure;
import dev.gafail.testing.FakeAws;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What the real SDK clients put on the wire through gafail's client factory, as the stub receives it. */
class WireProtocolTest {

    @TempDir
    Path dir;

    private FakeAws fake;
    private AwsClients aws;
    private Topology topology;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAws();
        topology = new TopologyLoader().load(fake.writeTopology(dir));
        aws = new AwsClients(new AwsSettings(AwsProfiles.none(), new ApiLocations(topology.endpoints(), topology.acceleratorRegion(),
                Set.of("us-east-1", "eu-west-1")), Map.of(), "test"));
    }

    @AfterEach
    void stop() {
        aws.close();
        fake.close();
    }

    private FakeAws.Call last(String operation) {
        return fake.calls().stream().filter(c -> c.operation().equals(operation)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void globalAcceleratorIsJson11SignedForUsWest2() throws StepFailure {
        new Accelerator(aws.globalAccelerator(), FakeAws.ACCELERATOR).setDial(fake.b.group(), 10);
        FakeAws.Call call = last("UpdateEndpointGroup");
        assertEquals("GlobalAccelerator_V20180706.UpdateEndpointGroup", call.target());
        assertEquals("us-west-2", call.signingRegion());
        assertEquals("globalaccelerator", call.service());
        assertTrue(call.body().contains("\"EndpointGroupArn\":\"" + fake.b.group() + "\"")
                && call.body().contains("\"TrafficDialPercentage\":10.0"), call.body());
        assertEquals(10, fake.dial(fake.b));
    }

    @Test
    void globalAcceleratorIsSignedForTheControlPlaneRegionTheTopologyNames() throws StepFailure {
        try (AwsClients elsewhere = new AwsClients(new AwsSettings(AwsProfiles.none(), new ApiLocations(topology.endpoints(),
                "eu-central-1", Set.of("us-east-1", "eu-west-1")), Map.of(), "test"))) {
            new Accelerator(elsewhere.globalAccelerator(), FakeAws.ACCELERATOR).setDial(fake.b.group(), 10);
        }
        assertEquals("eu-central-1", last("UpdateEndpointGroup").signingRegion());
    }

    @Test
    void switchoverGoesToThePrimarysRegionAndFailoverToTheTargets() throws StepFailure {
        GlobalDatabase database = new GlobalDatabase(aws, "orders-global");
        database.switchover("us-east-1", fake.b.cluster());
        FakeAws.Call switchover = last("SwitchoverGlobalCluster");
        assertEquals("us-east-1", switchover.signingRegion());
        assertEquals("orders-global", switchover.input().path("GlobalClusterIdentifier").asString());
        assertEquals(fake.b.cluster(), switchover.input().path("TargetDbClusterIdentifier").asString());
        assertTrue(switchover.body().contains("Version=2014-10-31"), switchover.body());
        database.failover("eu-west-1", fake.b.cluster());
        FakeAws.Call failover = last("FailoverGlobalCluster");
        assertEquals("eu-west-1", failover.signingRegion());
        assertEquals("true", failover.input().path("AllowDataLoss").asString());
    }

    @Test
    void globalClusterStateReadsMembersAndTransition() throws StepFailure {
        GlobalDatabase database = new GlobalDatabase(aws, "orders-global");
        GlobalDatabase.State before = database.describe("eu-west-1");
        assertEquals(List.of(fake.a.cluster(), fake.b.cluster()), before.members());
        assertTrue(before.settledOn(fake.a.cluster()));
        database.switchover("us-east-1", fake.b.cluster());
        GlobalDatabase.State during = database.describe("eu-west-1");
        assertEquals(fake.b.cluster(), during.transition().orElseThrow().to());
        assertFalse(during.settledOn(fake.b.cluster()));
    }

    @Test
    void ecsIsJson11InTheServicesRegion() throws StepFailure {
        new EcsServices(aws).setDesired(topology.require("region-b"), 4);
        FakeAws.Call call = last("UpdateService");
        assertEquals("AmazonEC2ContainerServiceV20141113.UpdateService", call.target());
        assertEquals("eu-west-1", call.signingRegion());
        assertTrue(call.body().contains("\"desiredCount\":4") && call.body().contains("\"cluster\":\"orders\""),
                call.body());
    }

    @Test
    void rpoLagIsReadForTheSecondaryClusterInItsRegion() throws StepFailure {
        var lag = new Telemetry(aws, Clock.systemUTC()).latest("eu-west-1",
                Telemetry.rpoLag(topology.require("region-b")));
        assertEquals(120.0, lag.getAsDouble());
        FakeAws.Call call = last("GetMetricData");
        assertEquals("eu-west-1", call.signingRegion());
        assertTrue(call.body().contains("MetricDataQueries.member.1.MetricStat.Metric.MetricName=AuroraGlobalDBRPOLag"),
                call.body());
        JsonNode metric = call.input().path("MetricDataQueries").path(0).path("MetricStat").path("Metric");
        assertEquals("AuroraGlobalDBRPOLag", metric.path("MetricName").asString());
        assertEquals("AWS/RDS", metric.path("Namespace").asString());
        fake.lag("orders-b", null);
        assertTrue(new Telemetry(aws, Clock.systemUTC()).latest("eu-west-1",
                Telemetry.rpoLag(topology.require("region-b"))).isEmpty(), "no datapoint is unknown, not 0");
    }

    @Test
    void aThrottlingStormIsRetriedBySdk() throws StepFailure {
        fake.throttle("DescribeEndpointGroup", 2);
        assertEquals(100, new Accelerator(aws.globalAccelerator(), FakeAws.ACCELERATOR).group(fake.a.group()).dial());
        assertEquals(3, fake.calls().stream().filter(c -> c.operation().equals("DescribeEndpointGroup")).count());
    }

    @Test
    void aLongerStormBecomesARetryableFailureWithTheRequestId() {
        fake.throttle("DescribeAccelerator", 50);
        StepFailure failure = assertThrows(StepFailure.class,
                () -> new Accelerator(aws.globalAccelerator(), FakeAws.ACCELERATOR).status());
        assertTrue(failure.retryable());
        assertTrue(failure.getMessage().matches("DescribeAccelerator: ThrottlingException: Rate exceeded \\(HTTP 400,"
                + " request id [0-9a-f-]{36}\\)"), failure.getMessage());
    }

    @Test
    void serverErrorsAreRetriedAndThenTransient() throws StepFailure {
        fake.serverError("DescribeGlobalClusters", 1);
        assertTrue(new GlobalDatabase(aws, "orders-global").describe("us-east-1").writer().isPresent());
        fake.serverError("DescribeGlobalClusters", 50);
        StepFailure failure = assertThrows(StepFailure.class,
                () -> new GlobalDatabase(aws, "orders-global").describe("us-east-1"));
        assertTrue(failure.retryable(), failure.getMessage());
        assertTrue(failure.getMessage().contains("HTTP 500"), failure.getMessage());
    }

    @Test
    void loopbackWithoutCredentialsSignsWithTestCredentialsAndGafailsUserAgent() throws StepFailure {
        assertTrue(aws.offline());
        CallerIdentity identity = CallerIdentity.of(aws, List.of("us-east-1"));
        assertTrue(identity.matches(topology));
        FakeAws.Call call = last("GetCallerIdentity");
        assertEquals("sts", call.service());
    }
}
