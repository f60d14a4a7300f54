package dev.gafail.lab.aws.wire;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes outputs and errors in a protocol's shape, with Jackson, so that every value is written as its format needs. */
final class Replies {

    private static final Map<String, String> RPC_V2 = Map.of(Protocol.SMITHY_PROTOCOL, Protocol.RPC_V2_CBOR_FORMAT);
    /** The header that names a REST-JSON error's code. */
    static final String ERROR_TYPE = "x-amzn-ErrorType";

    private Replies() {
    }

    /**
     * The JSON protocols and RPCv2 CBOR carry the output as it is (CBOR none for an operation without
     * output, as Smithy's RPCv2 asks), REST-JSON with its route's status; AWS Query wraps it in {@code
     * <OpResponse><OpResult>…</OpResult><ResponseMetadata/></OpResponse>}, each list's items under
     * its member element.
     */
    static WireReply output(AwsRequest request, ServiceShape shape, ObjectNode output) {
        String id = UUID.randomUUID().toString();
        Protocol protocol = request.protocol();
        String operation = request.operation();
        return switch (protocol) {
            case AWS_JSON_1_0, AWS_JSON_1_1 -> new WireReply(200, protocol.replyType(),
                    Mappers.JSON.writeValueAsBytes(output), id, Map.of());
            case REST_JSON -> new WireReply(shape.status(operation), protocol.replyType(),
                    Mappers.JSON.writeValueAsBytes(output), id, Map.of());
            case RPC_V2_CBOR -> shape.withoutOutput().contains(operation) ? new WireReply(200, "", new byte[0], id, RPC_V2)
                    : new WireReply(200, protocol.replyType(), Mappers.CBOR.writeValueAsBytes(output), id, RPC_V2);
            case EC2_QUERY -> {
                ObjectNode document = Mappers.XML.createObjectNode();
                ObjectNode response = document.putObject(operation + "Response").put("requestId", id);
                response.setAll(withMembers(shape, output));
                yield new WireReply(200, protocol.replyType(), Mappers.XML.writeValueAsBytes(document), id, Map.of());
            }
            case AWS_QUERY -> {
                ObjectNode document = Mappers.XML.createObjectNode();
                ObjectNode response = document.putObject(operation + "Response");
                response.set(operation + "Result", withMembers(shape, output));
                response.putObject("ResponseMetadata").put("RequestId", id);
                yield new WireReply(200, protocol.replyType(), Mappers.XML.writeValueAsBytes(document), id, Map.of());
            }
        };
    }

    /**
     * {@code __type} and {@code message} for the JSON protocols and RPCv2 CBOR, with the Query code in
     * {@code x-amzn-query-error} too for a service that still speaks Query; {@code ErrorResponse} for
     * AWS Query; for REST-JSON the code in {@code x-amzn-ErrorType} (where restJson1 clients look first)
     * and the {@code message} in the body.
     */
    static WireReply fault(Protocol protocol, boolean queryCompatible, AwsFault fault) {
        String id = UUID.randomUUID().toString();
        String party = fault.status() < 500 ? "Sender" : "Receiver";
        if (protocol == Protocol.EC2_QUERY) {
            ObjectNode document = Mappers.XML.createObjectNode();
            ObjectNode response = document.putObject("Response");
            response.putObject("Errors").putObject("Error").put("Code", fault.code()).put("Message", fault.getMessage());
            response.put("RequestID", id);
            return new WireReply(fault.status(), protocol.replyType(), Mappers.XML.writeValueAsBytes(document), id,
                    Map.of());
        }
        if (protocol.query()) {
            ObjectNode document = Mappers.XML.createObjectNode();
            ObjectNode response = document.putObject("ErrorResponse");
            response.putObject("Error").put("Type", party).put("Code", fault.code()).put("Message", fault.getMessage());
            response.put("RequestId", id);
            return new WireReply(fault.status(), protocol.replyType(), Mappers.XML.writeValueAsBytes(document), id,
                    Map.of());
        }
        if (protocol == Protocol.REST_JSON) {
            return new WireReply(fault.status(), protocol.replyType(), Mappers.JSON.writeValueAsBytes(
                    Mappers.JSON.createObjectNode().put("message", fault.getMessage())), id,
                    Map.of(ERROR_TYPE, fault.code()));
        }
        ObjectNode error = Mappers.JSON.createObjectNode().put("__type", fault.code()).put("message", fault.getMessage());
        Map<String, String> headers = new HashMap<>();
        if (queryCompatible) {
            headers.put("x-amzn-query-error", fault.code() + ";" + party);
        }
        if (protocol == Protocol.RPC_V2_CBOR) {
            headers.putAll(RPC_V2);
            return new WireReply(fault.status(), protocol.replyType(), Mappers.CBOR.writeValueAsBytes(error), id, headers);
        }
        return new WireReply(fault.status(), protocol.replyType(), Mappers.JSON.writeValueAsBytes(error), id, headers);
    }

    private static ObjectNode withMembers(ServiceShape shape, ObjectNode output) {
        ObjectNode out = Mappers.XML.createObjectNode();
        for (Map.Entry<String, JsonNode> field : output.properties()) {
            out.set(field.getKey(), withMembers(shape, field.getKey(), field.getValue()));
        }
        return out;
    }

    private static JsonNode withMembers(ServiceShape shape, String name, JsonNode value) {
        if (value instanceof ObjectNode object) {
            return withMembers(shape, object);
        }
        if (value instanceof ArrayNode list) {
            String member = shape.memberName(name);
            ObjectNode wrapper = Mappers.XML.createObjectNode();
            ArrayNode members = wrapper.putArray(member);
            list.forEach(item -> members.add(withMembers(shape, member, item)));
            return wrapper;
        }
        return value;
    }
}
