package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** STS: the lab's account, for gafail's account check. */
final class LabSts implements AwsService {

    @Override
    public ServiceShape shape() {
        return ServiceShape.STS;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        if (!request.operation().equals("GetCallerIdentity")) {
            throw request.unknownOperation();
        }
        return JsonNodeFactory.instance.objectNode().put("Arn", "arn:aws:iam::" + LabResources.ACCOUNT + ":root")
                .put("UserId", LabResources.ACCOUNT).put("Account", LabResources.ACCOUNT);
    }
}
