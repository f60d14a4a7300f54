package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import dev.gafail.lab.edge.Edge;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Global Accelerator, answered from the edge: its traffic dials and its endpoints' health. */
final class LabGlobalAccelerator implements AwsService {

    /** How long the accelerator reads IN_PROGRESS after a dial change (the edge applies it at once). */
    private static final Duration DEPLOYING = Duration.ofMillis(500);

    private final LabRegions lab;
    private volatile Instant deployedAt = Instant.EPOCH;

    LabGlobalAccelerator(LabRegions lab) {
        this.lab = lab;
    }

    @Override
    public ServiceShape shape() {
        return ServiceShape.GLOBAL_ACCELERATOR;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        return switch (request.operation()) {
            case "DescribeAccelerator" -> describeAccelerator();
            case "DescribeEndpointGroup" -> JsonNodeFactory.instance.objectNode()
                    .set("EndpointGroup", group(groupRegion(request)));
            case "UpdateEndpointGroup" -> updateEndpointGroup(request);
            default -> throw request.unknownOperation();
        };
    }

    private ObjectNode describeAccelerator() {
        String status = Instant.now().isBefore(deployedAt) ? "IN_PROGRESS" : "DEPLOYED";
        ObjectNode accelerator = JsonNodeFactory.instance.objectNode().put("AcceleratorArn", LabResources.ACCELERATOR)
                .put("Name", "gafail-lab").put("Status", status).put("Enabled", true);
        return JsonNodeFactory.instance.objectNode().set("Accelerator", accelerator);
    }

    private String groupRegion(AwsRequest request) {
        String arn = request.text("EndpointGroupArn");
        return lab.regions().stream().filter(r -> LabResources.endpointGroupArn(r).equals(arn)).findFirst()
                .orElseThrow(() -> AwsFault.invalid("EndpointGroupNotFoundException", "no endpoint group " + arn));
    }

    private ObjectNode group(String region) {
        Edge.RegionView view = lab.edge().view().stream().filter(v -> v.region().equals(region)).findFirst()
                .orElseThrow();
        ObjectNode group = JsonNodeFactory.instance.objectNode()
                .put("EndpointGroupArn", LabResources.endpointGroupArn(region))
                .put("EndpointGroupRegion", LabResources.AWS_REGIONS.get(region))
                .put("TrafficDialPercentage", (float) view.dial()).put("HealthCheckPath", "/healthz")
                .put("HealthCheckIntervalSeconds", 2).put("ThresholdCount", 2);
        group.putArray("EndpointDescriptions").addObject().put("EndpointId", "lab-" + region)
                .put("HealthState", view.healthyEndpoints() > 0 ? "HEALTHY" : "UNHEALTHY");
        return group;
    }

    private ObjectNode updateEndpointGroup(AwsRequest request) {
        String region = groupRegion(request);
        if (request.input().has("TrafficDialPercentage")) {
            double dial = request.path("TrafficDialPercentage").asDouble();
            if (dial < 0 || dial > 100) {
                throw AwsFault.invalid("InvalidArgumentException", "TrafficDialPercentage must be 0-100");
            }
            deployedAt = Instant.now().plus(DEPLOYING);
            lab.dial(region, (int) Math.round(dial));
        }
        return JsonNodeFactory.instance.objectNode().set("EndpointGroup", group(region));
    }
}
