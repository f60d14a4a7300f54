package dev.gafail.lab.aws.wire;

import com.ctc.wstx.api.InvalidCharHandler;
import com.ctc.wstx.api.WstxOutputProperties;
import com.ctc.wstx.stax.WstxOutputFactory;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.xml.XmlFactory;
import tools.jackson.dataformat.xml.XmlMapper;

/** Writes outputs and errors in a protocol's shape, with Jackson, so that every value is escaped as its format needs. */
final class Replies {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final XmlMapper XML = XmlMapper.builder(XmlFactory.builder().xmlOutputFactory(xmlOutput()).build())
            .build();

    private Replies() {
    }

    /** Characters XML 1.0 cannot carry (control characters in a message) become U+FFFD rather than failing the reply. */
    private static WstxOutputFactory xmlOutput() {
        WstxOutputFactory factory = new WstxOutputFactory();
        factory.setProperty(WstxOutputProperties.P_OUTPUT_INVALID_CHAR_HANDLER,
                new InvalidCharHandler.ReplacingHandler('\uFFFD'));
        return factory;
    }

    /**
     * The JSON protocols carry the output as it is; AWS Query wraps it in {@code
     * <OpResponse><OpResult>…</OpResult><ResponseMetadata/></OpResponse>}, each list's items under
     * its member element.
     */
    static WireReply output(AwsRequest request, ServiceShape shape, ObjectNode output) {
        String id = UUID.randomUUID().toString();
        Protocol protocol = request.protocol();
        if (protocol.json()) {
            return new WireReply(200, protocol.replyType(), JSON.writeValueAsBytes(output), id);
        }
        String operation = request.operation();
        ObjectNode document = XML.createObjectNode();
        ObjectNode response = document.putObject(operation + "Response");
        response.set(operation + "Result", withMembers(shape, output));
        response.putObject("ResponseMetadata").put("RequestId", id);
        return new WireReply(200, protocol.replyType(), XML.writeValueAsBytes(document), id);
    }

    /** {@code __type} and {@code message} for the JSON protocols, {@code ErrorResponse} for AWS Query. */
    static WireReply fault(Protocol protocol, AwsFault fault) {
        String id = UUID.randomUUID().toString();
        if (protocol.json()) {
            ObjectNode error = JSON.createObjectNode().put("__type", fault.code()).put("message", fault.getMessage());
            return new WireReply(fault.status(), protocol.replyType(), JSON.writeValueAsBytes(error), id);
        }
        ObjectNode document = XML.createObjectNode();
        ObjectNode response = document.putObject("ErrorResponse");
        response.putObject("Error").put("Type", fault.status() < 500 ? "Sender" : "Receiver").put("Code", fault.code())
                .put("Message", fault.getMessage());
        response.put("RequestId", id);
        return new WireReply(fault.status(), protocol.replyType(), XML.writeValueAsBytes(document), id);
    }

    private static ObjectNode withMembers(ServiceShape shape, ObjectNode output) {
        ObjectNode out = XML.createObjectNode();
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
            ObjectNode wrapper = XML.createObjectNode();
            ArrayNode members = wrapper.putArray(member);
            list.forEach(item -> members.add(withMembers(shape, member, item)));
            return wrapper;
        }
        return value;
    }
}
