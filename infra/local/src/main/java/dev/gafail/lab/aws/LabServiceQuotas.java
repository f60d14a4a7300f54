package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Service Quotas: the one quota a failover depends on, Fargate's On-Demand vCPUs in each region, as applied
 * to the lab's account and as AWS's default (the same: the lab never raised it). Any other is NoSuchResource.
 */
final class LabServiceQuotas implements AwsService {

    private static final String FARGATE = "fargate";
    private static final String VCPU_QUOTA = "L-3032A538";

    @Override
    public ServiceShape shape() {
        return ServiceShape.SERVICE_QUOTAS;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        return switch (request.operation()) {
            case "GetServiceQuota", "GetAWSDefaultServiceQuota" -> quota(request);
            default -> throw request.unknownOperation();
        };
    }

    private static ObjectNode quota(AwsRequest request) {
        if (LabResources.labRegion(request.region()).isEmpty() || !request.text("ServiceCode").equals(FARGATE)
                || !request.text("QuotaCode").equals(VCPU_QUOTA)) {
            throw AwsFault.invalid("NoSuchResourceException", "The request failed because the specified service"
                    + " quota " + request.text("ServiceCode") + "/" + request.text("QuotaCode") + " does not exist in "
                    + request.region() + " (the lab has Fargate's vCPU quota only)");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("Quota").put("ServiceCode", FARGATE).put("ServiceName", "AWS Fargate")
                .put("QuotaArn", "arn:aws:servicequotas:" + request.region() + ":" + LabResources.ACCOUNT + ":"
                        + FARGATE + "/" + VCPU_QUOTA)
                .put("QuotaCode", VCPU_QUOTA).put("QuotaName", "Fargate On-Demand vCPU resource count")
                .put("Value", LabResources.FARGATE_VCPUS).put("Unit", "None").put("Adjustable", true)
                .put("GlobalQuota", false);
        return out;
    }
}
