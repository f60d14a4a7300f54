package dev.gafail.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.actions.Target;
import dev.gafail.actions.UserTokens;
import dev.gafail.aws.ApiLocations;
import dev.gafail.aws.AwsClients;
import dev.gafail.aws.AwsProfiles;
import dev.gafail.aws.AwsSettings;
import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import dev.gafail.testing.AwsStub;
import dev.gafail.testing.FakeAws;
import dev.gafail.topology.Region;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The readiness reads of {@code gafail check} against stand-ins that speak each AWS protocol (IAM and STS in
 * AWS Query, Service Quotas, ECS and Global Accelerator in AWS JSON 1.1, EC2 in its own Query dialect), through
 * the real SDK clients: what each row makes of what AWS answers.
 */
class CheckWireTest {

    private static final String ROLE = "arn:aws:iam::" + FakeAws.ACCOUNT + ":role/ops/gafail-operator";
    private static final String DENIED_SERVICE = "arn:aws:ecs:eu-west-1:" + FakeAws.ACCOUNT + ":service/orders/api";
    private static final String ALB = "arn:aws:elasticloadbalancing:us-east-1:" + FakeAws.ACCOUNT
            + ":loadbalancer/app/orders/50dc6c495c0c9188";

    @TempDir
    Path dir;

    private FakeAws fake;
    private AwsStub stub;
    private AwsClients aws;
    private Target target;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAws();
        stub = new AwsStub(List.of(AwsService.of(ServiceShape.STS, CheckWireTest::sts),
                AwsService.of(ServiceShape.IAM, CheckWireTest::iam),
                AwsService.of(ServiceShape.SERVICE_QUOTAS, CheckWireTest::quotas),
                AwsService.of(ServiceShape.EC2, CheckWireTest::ec2), AwsService.of(ServiceShape.ECS, CheckWireTest::ecs),
                AwsService.of(ServiceShape.GLOBAL_ACCELERATOR, this::accelerator)));
        Map<String, String> here = Map.of("sts", stub.url(), "iam", stub.url(), "servicequotas", stub.url(), "ec2",
                stub.url(), "ecs", stub.url(), "globalaccelerator", stub.url());
        Topology topology = new TopologyLoader().load(fake.writeTopology(dir, here));
        aws = new AwsClients(new AwsSettings(AwsProfiles.none(), new ApiLocations(topology.endpoints(),
                topology.acceleratorRegion(), Set.of("us-east-1", "eu-west-1")), Map.of(), "test"));
        target = new Target(topology, aws, Duration.ofMillis(1), Clock.systemUTC(), UserTokens.NONE);
    }

    @AfterEach
    void stop() {
        aws.close();
        stub.close();
        fake.close();
    }

    private Region region(String name) {
        return target.topology().require(name);
    }

    @Test
    void theRoleBehindTheSessionIsSimulatedWithItsPathAndADeniedActionIsNamedWithItsResource() throws Exception {
        Finding.Outcome outcome = new Permissions(target, Set.of("ecs:DescribeServices", "ecs:UpdateService",
                "globalaccelerator:UpdateEndpointGroup", "cloudwatch:GetMetricData")).evaluate(Clock.systemUTC());

        assertEquals(Finding.Status.FAIL, outcome.status(), outcome.evidence());
        assertTrue(outcome.evidence().startsWith(ROLE + " may not call cloudwatch:GetMetricData on * (explicitDeny);"
                + " ecs:UpdateService on " + DENIED_SERVICE + " (implicitDeny) (gafail iam-policy"),
                "an action on any resource, judged as a whole, and one on one of its resources: " + outcome.evidence());
        List<AwsRequest> simulations = stub.calls("SimulatePrincipalPolicy");
        assertTrue(simulations.stream().allMatch(c -> c.text("PolicySourceArn").equals(ROLE)), "the role, path and all");
        assertTrue(simulations.stream().allMatch(c -> c.region().equals("us-east-1")), "IAM, in the topology's"
                + " partition, named by its first region");
        AwsRequest ecs = simulations.stream().filter(c -> c.path("ActionNames").toString().contains("ecs:"))
                .findFirst().orElseThrow();
        assertEquals(List.of("arn:aws:ecs:us-east-1:" + FakeAws.ACCOUNT + ":service/orders/api", DENIED_SERVICE),
                ecs.path("ResourceArns").valueStream().map(JsonNode::asString).toList(),
                "each action against the resources the generated policy scopes it to");
    }

    @Test
    void aRegionWhoseQuotaOrSubnetsCannotHoldItsActiveCountFailsNamingBoth() throws Exception {
        Capacity capacity = new Capacity(target);

        Finding.Outcome roomy = capacity.evaluate(region("region-a"), target.ecs().service(region("region-a")),
                Clock.systemUTC());
        Finding.Outcome tight = capacity.evaluate(region("region-b"), target.ecs().service(region("region-b")),
                Clock.systemUTC());

        assertEquals(Finding.Status.PASS, roomy.status(), roomy.evidence());
        assertTrue(roomy.evidence().contains("4 active tasks × 1 vCPU = 4 of the 16 Fargate vCPUs"), roomy.evidence());
        assertEquals(Finding.Status.FAIL, tight.status(), tight.evidence());
        assertTrue(tight.evidence().contains("4 active tasks × 1 vCPU = 4 of the 2 Fargate vCPUs the account may run"
                + " in eu-west-1"), "the default quota, where none was applied: " + tight.evidence());
        assertTrue(tight.evidence().contains("3 more task(s) need 3 address(es); subnets subnet-b1, subnet-b2 have 2"
                + " free"), tight.evidence());
        assertEquals(List.of("us-east-1", "eu-west-1"), stub.calls("DescribeSubnets").stream().map(AwsRequest::region)
                .toList(), "each region's subnets read in that region");
    }

    @Test
    void aCustomHealthCheckOnALoadBalancerEndpointIsFlaggedAndAGroupWithoutEndpointsFails() throws Exception {
        Configuration configuration = new Configuration(target);

        Finding.Outcome custom = configuration.accelerator(region("region-a"), Clock.systemUTC());
        Finding.Outcome empty = configuration.accelerator(region("region-b"), Clock.systemUTC());

        assertEquals(Finding.Status.WARN, custom.status(), custom.evidence());
        assertTrue(custom.evidence().contains("its health check (HTTP /healthz) is ignored for load balancer endpoints ("
                + ALB + ")"), custom.evidence());
        assertEquals(Finding.Status.FAIL, empty.status(), empty.evidence());
        assertTrue(empty.evidence().contains("has no endpoints"), empty.evidence());
    }

    @Test
    void aServiceWhoseCircuitBreakerDoesNotRollBackIsFlagged() throws Exception {
        Finding.Outcome guarded = Configuration.deployments(region("region-a"), target.ecs().service(region("region-a")),
                Clock.systemUTC());
        Finding.Outcome unguarded = Configuration.deployments(region("region-b"),
                target.ecs().service(region("region-b")), Clock.systemUTC());

        assertEquals(Finding.Status.PASS, guarded.status(), guarded.evidence());
        assertEquals(Finding.Status.WARN, unguarded.status(), unguarded.evidence());
        assertTrue(unguarded.evidence().contains("a deployment circuit breaker without rollback"), unguarded.evidence());
        Finding.Outcome none = Configuration.deployments(region("region-b"), Service.builder().serviceName("api").build(),
                Clock.systemUTC());
        assertEquals(Finding.Status.WARN, none.status(), none.evidence());
        assertTrue(none.evidence().contains("no deployment circuit breaker: a failed deployment in region-b is not"
                + " rolled back by itself"), none.evidence());
    }

    private static ObjectNode sts(AwsRequest request) {
        return JsonNodeFactory.instance.objectNode().put("Arn", "arn:aws:sts::" + FakeAws.ACCOUNT
                + ":assumed-role/gafail-operator/jane").put("UserId", "AROAEXAMPLE:jane").put("Account", FakeAws.ACCOUNT);
    }

    /** The role (under path /ops/) may call everything but UpdateService on region-b's service, and GetMetricData. */
    private static ObjectNode iam(AwsRequest request) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (request.operation().equals("GetRole")) {
            out.putObject("Role").put("Path", "/ops/").put("RoleName", request.text("RoleName")).put("Arn", ROLE)
                    .put("RoleId", "AROAEXAMPLE").put("CreateDate", "2026-01-01T00:00:00Z");
            return out;
        }
        out.put("IsTruncated", false);
        ArrayNode results = out.putArray("EvaluationResults");
        for (JsonNode action : request.path("ActionNames")) {
            // an action simulated on no resource in particular has no resource-specific results
            boolean anywhereDenied = action.asString().equals("cloudwatch:GetMetricData");
            ObjectNode result = results.addObject().put("EvalActionName", action.asString()).put("EvalResourceName", "*")
                    .put("EvalDecision", anywhereDenied ? "explicitDeny" : "allowed");
            ArrayNode specific = result.putArray("ResourceSpecificResults");
            for (JsonNode resource : request.path("ResourceArns")) {
                boolean denied = action.asString().equals("ecs:UpdateService")
                        && resource.asString().equals(DENIED_SERVICE);
                specific.addObject().put("EvalResourceName", resource.asString())
                        .put("EvalResourceDecision", denied ? "implicitDeny" : "allowed");
                if (denied) {
                    result.put("EvalDecision", "implicitDeny");
                }
            }
        }
        return out;
    }

    /** us-east-1's quota raised to 16 vCPUs; eu-west-1's never applied, its default 2. */
    private static ObjectNode quotas(AwsRequest request) {
        boolean applied = request.region().equals("us-east-1");
        if (request.operation().equals("GetServiceQuota") && !applied) {
            throw AwsFault.invalid("NoSuchResourceException", "no applied quota");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("Quota").put("ServiceCode", request.text("ServiceCode")).put("QuotaCode", request.text("QuotaCode"))
                .put("Value", applied ? 16.0 : 2.0);
        return out;
    }

    /** us-east-1's subnets have room; eu-west-1's two have an address left each. */
    private static ObjectNode ec2(AwsRequest request) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode subnets = out.putArray("subnetSet");
        request.path("SubnetId").forEach(id -> subnets.addObject().put("subnetId", id.asString())
                .put("availableIpAddressCount", request.region().equals("us-east-1") ? 200 : 1));
        return out;
    }

    /** region-a runs 4 of 4 tasks with a circuit breaker that rolls back; region-b 1, and its breaker does not roll back. */
    private static ObjectNode ecs(AwsRequest request) {
        boolean a = request.region().equals("us-east-1");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (request.operation().equals("DescribeTaskDefinition")) {
            out.putObject("taskDefinition").put("taskDefinitionArn", request.text("taskDefinition"))
                    .put("cpu", a ? "1 vCPU" : "1024");
            return out;
        }
        ObjectNode service = out.putArray("services").addObject().put("serviceName", "api").put("desiredCount", a ? 4 : 1)
                .put("runningCount", a ? 4 : 1).put("pendingCount", 0)
                .put("taskDefinition", "arn:aws:ecs:" + request.region() + ":" + FakeAws.ACCOUNT + ":task-definition/api:7");
        service.putObject("deploymentConfiguration").putObject("deploymentCircuitBreaker").put("enable", true)
                .put("rollback", a);
        String letter = a ? "a" : "b";
        service.putObject("networkConfiguration").putObject("awsvpcConfiguration").putArray("subnets")
                .add("subnet-" + letter + "1").add("subnet-" + letter + "2");
        out.putArray("failures");
        return out;
    }

    /** region-a's group: an ALB endpoint under an HTTP health check; region-b's: no endpoints at all. */
    private ObjectNode accelerator(AwsRequest request) {
        boolean a = request.text("EndpointGroupArn").equals(fake.a.group());
        ObjectNode group = JsonNodeFactory.instance.objectNode().put("EndpointGroupArn", request.text("EndpointGroupArn"))
                .put("TrafficDialPercentage", 100.0).put("HealthCheckProtocol", "HTTP").put("HealthCheckPath", "/healthz")
                .put("HealthCheckPort", 80);
        ArrayNode endpoints = group.putArray("EndpointDescriptions");
        if (a) {
            endpoints.addObject().put("EndpointId", ALB).put("HealthState", "HEALTHY");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("EndpointGroup", group);
        return out;
    }
}
