package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * EC2's DescribeSubnets, for the two subnets of each region's service ({@link LabResources#subnets}): each
 * has {@link LabResources#SUBNET_ADDRESSES} addresses less one for each of the region's sample-api processes
 * it holds (a Fargate task takes one), the processes spread over the two.
 */
final class LabEc2 implements AwsService {

    private final LabRegions lab;

    LabEc2(LabRegions lab) {
        this.lab = lab;
    }

    @Override
    public ServiceShape shape() {
        return ServiceShape.EC2;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        if (!request.operation().equals("DescribeSubnets")) {
            throw request.unknownOperation();
        }
        String region = LabResources.labRegion(request.region()).orElseThrow(() -> AwsFault.invalid(
                "InvalidSubnetID.NotFound", "the lab has no subnets in " + request.region()));
        List<String> subnets = LabResources.subnets(region);
        List<String> asked = new ArrayList<>();
        request.path("SubnetId").forEach(id -> asked.add(id.asString()));
        if (asked.isEmpty()) {
            asked.addAll(subnets);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode set = out.putArray("subnetSet");
        int processes = lab.processes(region);
        for (String id : asked) {
            int index = subnets.indexOf(id);
            if (index < 0) {
                throw AwsFault.invalid("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
            }
            // the first subnet takes the odd process out
            int held = processes / subnets.size() + (index < processes % subnets.size() ? 1 : 0);
            set.add(subnet(region, id, index, LabResources.SUBNET_ADDRESSES - held));
        }
        return out;
    }

    private static JsonNode subnet(String region, String id, int index, int free) {
        String awsRegion = LabResources.AWS_REGIONS.get(region);
        return JsonNodeFactory.instance.objectNode().put("subnetId", id).put("state", "available")
                .put("vpcId", "vpc-0lab" + region.substring(region.length() - 1) + "00000001")
                .put("availabilityZone", awsRegion + (char) ('a' + index))
                .put("cidrBlock", "10." + (region.endsWith("a") ? 1 : 2) + "." + index + ".0/24")
                .put("availableIpAddressCount", free).put("ownerId", LabResources.ACCOUNT);
    }
}
