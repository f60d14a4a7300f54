package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import dev.gafail.lab.edge.Edge;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * ECS, answered from the sample-api processes: each region's service {@code api}, whose desired
 * count is a number of processes. A scale runs in the background; the rollout reads IN_PROGRESS
 * until as many processes are healthy as desired.
 */
final class LabEcs implements AwsService {

    private static final String TASK_FAMILY = "lab-api";

    private final LabRegions lab;
    private final Map<String, Integer> desired = new ConcurrentHashMap<>();
    private final Map<String, Thread> scaling = new ConcurrentHashMap<>();

    LabEcs(LabRegions lab) {
        this.lab = lab;
        lab.regions().forEach(r -> desired.put(r, lab.processes(r)));
    }

    @Override
    public ServiceShape shape() {
        return ServiceShape.ECS;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        return switch (request.operation()) {
            case "DescribeServices" -> describeServices(request);
            case "UpdateService" -> updateService(request);
            case "DescribeTaskDefinition" -> describeTaskDefinition(request);
            default -> throw request.unknownOperation();
        };
    }

    private String region(AwsRequest request) {
        return LabResources.labRegion(request.region()).orElseThrow(() -> AwsFault.invalid("ClusterNotFoundException",
                "the lab has no ECS cluster in " + request.region()));
    }

    private ObjectNode service(String region) {
        int want = desired.getOrDefault(region, 0);
        int running = lab.edge().view().stream().filter(v -> v.region().equals(region)).findFirst()
                .map(Edge.RegionView::healthyEndpoints).orElse(0);
        Thread busy = scaling.get(region);
        boolean rolling = busy != null && busy.isAlive() || running != want;
        ObjectNode service = JsonNodeFactory.instance.objectNode().put("serviceName", LabResources.ECS_SERVICE)
                .put("clusterArn", "arn:aws:ecs:" + LabResources.AWS_REGIONS.get(region) + ":" + LabResources.ACCOUNT
                        + ":cluster/" + LabResources.ECS_CLUSTER)
                .put("status", "ACTIVE").put("desiredCount", want).put("runningCount", running)
                .put("pendingCount", Math.max(0, want - running)).put("launchType", "FARGATE")
                .put("taskDefinition", taskDefinitionArn(region));
        service.putObject("deploymentConfiguration").put("maximumPercent", 200).put("minimumHealthyPercent", 100)
                .putObject("deploymentCircuitBreaker").put("enable", true).put("rollback", true);
        ArrayNode subnets = service.putObject("networkConfiguration").putObject("awsvpcConfiguration")
                .put("assignPublicIp", "DISABLED").putArray("subnets");
        LabResources.subnets(region).forEach(subnets::add);
        service.putArray("deployments").addObject().put("id", "ecs-svc/lab-" + region).put("status", "PRIMARY")
                .put("desiredCount", want).put("runningCount", running)
                .put("rolloutState", rolling ? "IN_PROGRESS" : "COMPLETED");
        return service;
    }

    private static String taskDefinitionArn(String region) {
        return "arn:aws:ecs:" + LabResources.AWS_REGIONS.get(region) + ":" + LabResources.ACCOUNT
                + ":task-definition/" + TASK_FAMILY + ":1";
    }

    /** The task definition every process of the region runs: Fargate's, a quarter vCPU. */
    private ObjectNode describeTaskDefinition(AwsRequest request) {
        String region = region(request);
        String asked = request.text("taskDefinition");
        if (!asked.equals(taskDefinitionArn(region)) && !asked.equals(TASK_FAMILY) && !asked.equals(TASK_FAMILY + ":1")) {
            throw AwsFault.invalid("ClientException", "Unable to describe task definition " + asked);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode definition = out.putObject("taskDefinition").put("taskDefinitionArn", taskDefinitionArn(region))
                .put("family", TASK_FAMILY).put("revision", 1).put("status", "ACTIVE").put("networkMode", "awsvpc")
                .put("cpu", LabResources.TASK_CPU).put("memory", "512");
        definition.putArray("requiresCompatibilities").add("FARGATE");
        return out;
    }

    private ObjectNode describeServices(AwsRequest request) {
        String region = region(request);
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        ArrayNode services = reply.putArray("services");
        ArrayNode failures = reply.putArray("failures");
        for (JsonNode name : request.path("services")) {
            if (name.asString().equals(LabResources.ECS_SERVICE) || name.asString().endsWith("/" + LabResources.ECS_SERVICE)) {
                services.add(service(region));
            } else {
                failures.addObject().put("arn", name.asString()).put("reason", "MISSING");
            }
        }
        return reply;
    }

    private ObjectNode updateService(AwsRequest request) {
        String region = region(request);
        if (request.input().has("desiredCount")) {
            int count = request.path("desiredCount").asInt();
            if (count < 0 || count > 16) {
                throw AwsFault.invalid("InvalidParameterException", "the lab runs 0 to 16 tasks per region");
            }
            desired.put(region, count);
            Thread scale = new Thread(() -> {
                try {
                    lab.scale(region, count);
                } catch (Exception e) {
                    System.err.println("lab: scaling " + region + " to " + count + " failed: " + e.getMessage());
                }
            }, "lab-scale-" + region);
            scale.setDaemon(true);
            scaling.put(region, scale);
            scale.start();
        }
        return JsonNodeFactory.instance.objectNode().set("service", service(region));
    }
}
