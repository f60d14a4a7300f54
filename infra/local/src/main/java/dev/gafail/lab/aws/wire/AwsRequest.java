package dev.gafail.lab.aws.wire;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One AWS API call, read off the wire whatever its protocol: the service and AWS region it is signed
 * for (the SigV4 credential scope), the operation, and its input as one JSON tree, so that a service
 * reads its input the same way in every protocol it answers. {@code body} is the request as sent.
 */
public record AwsRequest(String service, String region, String operation, Protocol protocol, ObjectNode input,
                         String target, String body) {

    /** A top-level input member as text, "" when absent. */
    public String text(String member) {
        return input.path(member).asString("");
    }

    public JsonNode path(String member) {
        return input.path(member);
    }

    /** The reply to an operation the service does not answer, in its protocol's words. */
    public AwsFault unknownOperation() {
        return AwsFault.invalid(protocol.unknownOperationCode(),
                "the lab does not answer " + service + " " + operation);
    }
}
