package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * STS: who calls, for gafail's account check and the holder a lock names. Each access key is a
 * session of its own of the lab's operator role, named by the key, so that two responders with two
 * key pairs are two identities on one machine (signatures are not checked: any pair will do).
 */
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
        String session = request.accessKeyId();
        return JsonNodeFactory.instance.objectNode()
                .put("Arn", "arn:aws:sts::" + LabResources.ACCOUNT + ":assumed-role/" + LabResources.OPERATOR_ROLE + "/" + session)
                .put("UserId", LabResources.OPERATOR_ROLE_ID + ":" + session).put("Account", LabResources.ACCOUNT);
    }
}
