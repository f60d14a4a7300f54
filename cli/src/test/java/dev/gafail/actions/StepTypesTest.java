package dev.gafail.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.gafail.aws.AwsClients;
import dev.gafail.engine.Change;
import dev.gafail.engine.Operator;
import dev.gafail.engine.Outbox;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.globalaccelerator.GlobalAcceleratorClient;
import software.amazon.awssdk.services.globalaccelerator.model.DescribeAcceleratorResponse;
import software.amazon.awssdk.services.globalaccelerator.model.DescribeEndpointGroupRequest;
import software.amazon.awssdk.services.globalaccelerator.model.GlobalAcceleratorException;
import software.amazon.awssdk.services.globalaccelerator.model.UpdateEndpointGroupResponse;
import software.amazon.awssdk.services.globalaccelerator.model.DescribeEndpointGroupResponse;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DescribeGlobalClustersResponse;
import software.amazon.awssdk.services.rds.model.FailoverState;
import software.amazon.awssdk.services.rds.model.GlobalCluster;
import software.amazon.awssdk.services.rds.model.GlobalClusterMember;

/**
 * The step types' decisions on states a stub cannot easily produce on demand: a rollout the
 * circuit breaker failed, a transition already in flight, a drain of every region, a deadline.
 */
@SuppressWarnings("unchecked")
class StepTypesTest {

    private final AwsClients aws = mock(AwsClients.class);
    private final EcsClient ecs = mock(EcsClient.class);
    private final RdsClient rds = mock(RdsClient.class);
    private final GlobalAcceleratorClient ga = mock(GlobalAcceleratorClient.class);
    private Target target;

    @BeforeEach
    void setUp() throws Exception {
        Topology topology;
        try (InputStream in = TopologyLoader.class.getResourceAsStream("example.gafail.yaml")) {
            topology = new TopologyLoader().parse("gafail.yaml", in.readAllBytes());
        }
        when(aws.ecs(anyString())).thenReturn(ecs);
        when(aws.rds(anyString())).thenReturn(rds);
        when(aws.globalAccelerator()).thenReturn(ga);
        target = new Target(topology, aws, Duration.ofMillis(1), Clock.systemUTC(), UserTokens.NONE);
    }

    private static StepContext context(Instant deadline) {
        return new StepContext() {
            public String executionId() {
                return "x";
            }

            public String stepId() {
                return "s";
            }

            public Optional<Instant> deadline() {
                return Optional.ofNullable(deadline);
            }

            public Clock clock() {
                return Clock.systemUTC();
            }

            public Operator operator() {
                return Operator.preApproved("test");
            }

            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }

            public List<String> notificationSinks() {
                return List.of();
            }

            public Outbox.Delivery notify(String subject, String message, List<String> to) {
                return new Outbox.Delivery(0, List.of(), List.of());
            }

            public void progress(String line) {
            }

            public void notice(String line) {
            }
        };
    }

    private void service(int desired, int running, String rollout) {
        when(ecs.describeServices(any(Consumer.class))).thenReturn(DescribeServicesResponse.builder().services(
                Service.builder().desiredCount(desired).runningCount(running).pendingCount(0).deployments(
                        Deployment.builder().id("ecs-svc/1").status("PRIMARY").rolloutState(rollout)
                                .rolloutStateReason("tasks failed to start").build()).build()).build());
    }

    @Test
    void scalingThatIsAlreadyDoneMakesNoCall() throws Exception {
        service(4, 4, "COMPLETED");
        EcsScale scale = new EcsScale(() -> target);
        EcsScale.Params params = new EcsScale.Params("region-b", null, "active");
        assertTrue(scale.plan(params, context(null)).done());
        scale.apply(params, context(null));
        verify(ecs, never()).updateService(any(Consumer.class));
    }

    @Test
    void aRolloutTheCircuitBreakerFailedIsAFailure() {
        service(4, 1, "FAILED");
        StepFailure failure = assertThrows(StepFailure.class, () -> new EcsScale(() -> target)
                .await(new EcsScale.Params("region-b", 4, null), context(null)));
        assertFalse(failure.retryable());
        assertTrue(failure.getMessage().contains("FAILED: tasks failed to start"), failure.getMessage());
    }

    @Test
    void waitingEndsAtTheStepsDeadline() {
        service(4, 1, "IN_PROGRESS");
        StepFailure failure = assertThrows(StepFailure.class, () -> new EcsScale(() -> target)
                .await(new EcsScale.Params("region-b", 4, null), context(Instant.now().plusMillis(50))));
        assertTrue(failure.getMessage().startsWith("gave up waiting for region-b service at 4"), failure.getMessage());
    }

    @Test
    void rollbackRestoresTheCountFound() throws Exception {
        service(4, 4, "COMPLETED");
        new EcsScale(() -> target).rollback(new EcsScale.Params("region-b", null, "active"),
                Change.to("1", "4").observing(new EcsScale.Observed(4)), Optional.empty(), context(null));
        verify(ecs, never()).updateService(any(Consumer.class));
        service(4, 4, "COMPLETED");
        StepFailure failure = assertThrows(StepFailure.class, () -> new EcsScale(() -> target).rollback(
                new EcsScale.Params("region-b", null, "active"), Change.to("1", "4").observing(new EcsScale.Observed(1)),
                Optional.empty(), context(Instant.now().plusMillis(50))));
        verify(ecs, times(1)).updateService(any(Consumer.class));
        assertTrue(failure.getMessage().contains("region-b service at 1"), failure.getMessage());
    }

    private void dials(int a, int b) {
        when(ga.describeEndpointGroup(any(Consumer.class))).thenAnswer(call -> {
            DescribeEndpointGroupRequest.Builder request = DescribeEndpointGroupRequest.builder();
            ((Consumer<DescribeEndpointGroupRequest.Builder>) call.getArgument(0)).accept(request);
            int dial = request.build().endpointGroupArn().endsWith("098765zyxwvu") ? a : b;
            return DescribeEndpointGroupResponse.builder().endpointGroup(g -> g.trafficDialPercentage((float) dial))
                    .build();
        });
    }

    @Test
    void drainingEveryRegionIsRefusedUnlessAllowed() throws Exception {
        dials(0, 100);
        TrafficSet set = new TrafficSet(() -> target);
        StepFailure failure = assertThrows(StepFailure.class,
                () -> set.plan(new TrafficSet.Params("region-b", 0, false), context(null)));
        assertTrue(failure.getMessage().contains("allowFullDrain"), failure.getMessage());
        assertFalse(set.plan(new TrafficSet.Params("region-b", 0, true), context(null)).done());
        verify(ga, never()).updateEndpointGroup(any(Consumer.class));
    }

    @Test
    void aDialChangeWaitsOutADeployAndThrottlingThenIsNotRepeated() throws Exception {
        int[] b = {0};
        when(ga.describeEndpointGroup(any(Consumer.class))).thenAnswer(call -> DescribeEndpointGroupResponse.builder()
                .endpointGroup(g -> g.trafficDialPercentage((float) b[0])).build());
        when(ga.updateEndpointGroup(any(Consumer.class))).thenAnswer(call -> {
            b[0] = 100;
            return UpdateEndpointGroupResponse.builder().build();
        });
        AwsServiceException throttled = GlobalAcceleratorException.builder().statusCode(400).requestId("r-1")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded")
                        .build()).build();
        when(ga.describeAccelerator(any(Consumer.class)))
                .thenReturn(accelerator("IN_PROGRESS"))
                .thenThrow(throttled)
                .thenReturn(accelerator("DEPLOYED"));
        TrafficSet set = new TrafficSet(() -> target);
        TrafficSet.Params params = new TrafficSet.Params("region-b", 100, false);
        set.apply(params, context(null));
        verify(ga, times(1)).updateEndpointGroup(any(Consumer.class));
        assertTrue(set.plan(params, context(null)).done());
        set.apply(params, context(null));
        verify(ga, times(1)).updateEndpointGroup(any(Consumer.class));
    }

    @Test
    void anAwsErrorNamesTheOperationTheCodeAndTheRequestId() {
        AwsServiceException denied = GlobalAcceleratorException.builder().statusCode(400).requestId("r-42")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                        .errorMessage("not authorized").build()).build();
        when(ga.describeEndpointGroup(any(Consumer.class))).thenThrow(denied);
        StepFailure failure = assertThrows(StepFailure.class, () -> new TrafficSet(() -> target)
                .plan(new TrafficSet.Params("region-b", 100, false), context(null)));
        assertEquals("DescribeEndpointGroup: AccessDeniedException: not authorized (HTTP 400, request id r-42)",
                failure.getMessage());
        assertFalse(failure.retryable());
    }

    private static DescribeAcceleratorResponse accelerator(String status) {
        return DescribeAcceleratorResponse.builder().accelerator(a -> a.status(status)).build();
    }

    private void globalCluster(String writer, String transitionTo) {
        GlobalCluster.Builder cluster = GlobalCluster.builder().globalClusterIdentifier("orders-global")
                .globalClusterMembers(
                        GlobalClusterMember.builder().dbClusterArn(arn("us-east-1", "orders-a"))
                                .isWriter(writer.equals("orders-a")).build(),
                        GlobalClusterMember.builder().dbClusterArn(arn("us-west-2", "orders-b"))
                                .isWriter(writer.equals("orders-b")).build());
        if (transitionTo != null) {
            cluster.failoverState(FailoverState.builder().status("switching-over")
                    .fromDbClusterArn(arn("us-east-1", writer)).toDbClusterArn(transitionTo).build());
        }
        when(rds.describeGlobalClusters(any(Consumer.class))).thenReturn(
                DescribeGlobalClustersResponse.builder().globalClusters(cluster.build()).build());
    }

    private static String arn(String region, String cluster) {
        return "arn:aws:rds:" + region + ":111122223333:cluster:" + cluster;
    }

    @Test
    void aSwitchoverAlreadyInFlightToTheTargetIsAwaitedNotStartedAgain() throws Exception {
        globalCluster("orders-a", arn("us-west-2", "orders-b"));
        when(aws.cloudWatch(anyString())).thenThrow(new IllegalStateException("not in this test"));
        AuroraSwitchover switchover = new AuroraSwitchover(() -> target);
        Change plan = switchover.plan(new AuroraSwitchover.Params("region-b"), context(null));
        assertTrue(plan.current().contains("switching-over to region-b"), plan.current());
        verify(rds, never()).switchoverGlobalCluster(any(Consumer.class));
    }

    @Test
    void aTransitionToAnotherClusterStopsTheStep() {
        globalCluster("orders-a", arn("us-east-1", "orders-c"));
        StepFailure failure = assertThrows(StepFailure.class, () -> new AuroraSwitchover(() -> target)
                .plan(new AuroraSwitchover.Params("region-b"), context(null)));
        assertFalse(failure.retryable());
        assertTrue(failure.getMessage().contains("already switching-over"), failure.getMessage());
    }

    @Test
    void aTargetClusterTheGlobalDatabaseDoesNotHoldIsDriftThatStopsThePlan() {
        when(rds.describeGlobalClusters(any(Consumer.class))).thenReturn(DescribeGlobalClustersResponse.builder()
                .globalClusters(GlobalCluster.builder().globalClusterIdentifier("orders-global").globalClusterMembers(
                        GlobalClusterMember.builder().dbClusterArn(arn("us-east-1", "orders-a")).isWriter(true).build(),
                        GlobalClusterMember.builder().dbClusterArn(arn("us-west-2", "orders-old")).isWriter(false)
                                .build()).build()).build());
        StepFailure failure = assertThrows(StepFailure.class, () -> new AuroraSwitchover(() -> target)
                .plan(new AuroraSwitchover.Params("region-b"), context(null)));
        assertFalse(failure.retryable());
        assertTrue(failure.getMessage().contains("region-b's cluster " + arn("us-west-2", "orders-b")
                + " is not a member of the global database"), failure.getMessage());
        verify(rds, never()).switchoverGlobalCluster(any(Consumer.class));
    }

    @Test
    void aSettledWriterIsAlreadyDone() throws Exception {
        globalCluster("orders-b", null);
        assertTrue(new AuroraSwitchover(() -> target).plan(new AuroraSwitchover.Params("region-b"), context(null)).done());
    }

    @Test
    void anUnplannedFailoverWithoutConsentIsRefused() {
        globalCluster("orders-a", null);
        when(aws.cloudWatch(anyString())).thenThrow(new IllegalStateException("lag is not read before consent"));
        StepFailure failure = assertThrows(StepFailure.class, () -> new AuroraFailover(() -> target)
                .start(new AuroraFailover.Params("region-b", false), target, null, target.region("region-b"), context(null)));
        assertTrue(failure.getMessage().contains("allowDataLoss"), failure.getMessage());
    }
}
