package dev.gafail.lab.aws.wire;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a request in its protocol into an {@link AwsRequest}: who signed it (the access key id) for
 * which service and AWS region (the SigV4 credential scope), the operation (from {@code X-Amz-Target}, RPCv2's path,
 * Query's {@code Action}, or a REST route once the service is known: {@link #routed}) and the input tree, the same
 * whatever the protocol.
 */
final class Requests {

    private static final Pattern SCOPE = Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    /**
     * {@code {prefix}/service/{service}/operation/{operation}}; the service may be an absolute shape
     * id with its {@code #} as {@code .}, which the Smithy spec asks servers to accept.
     */
    private static final Pattern RPC_V2_PATH = Pattern.compile(
            ".*/service/(?:[A-Za-z_][A-Za-z0-9_]*\\.)*([A-Za-z_][A-Za-z0-9_]*)/operation/([A-Za-z_][A-Za-z0-9_]*)");

    /** What a protocol reads off the body and path: {@code target} is {@code Service.Operation}, or "" for Query. */
    private record Call(String target, String operation, ObjectNode input, String body) {
    }

    private Requests() {
    }

    static AwsRequest read(WireRequest wire, Protocol protocol) {
        Matcher scope = SCOPE.matcher(wire.header("Authorization"));
        if (!scope.find()) {
            throw new AwsFault(403, protocol.query() ? "MissingAuthenticationToken"
                    : "MissingAuthenticationTokenException", "Request is missing Authentication Token");
        }
        Call call = switch (protocol) {
            case AWS_QUERY, EC2_QUERY -> query(wire);
            case RPC_V2_CBOR -> rpcV2(wire);
            case AWS_JSON_1_0, AWS_JSON_1_1 -> json(wire);
            // the operation is the service's route's: routed() names it
            case REST_JSON -> new Call("", "", object(Mappers.JSON, wire.body(), "a JSON object"), wire.bodyText());
        };
        return new AwsRequest(scope.group(3), scope.group(2), scope.group(1), call.operation(),
                protocol.toService(scope.group(3)), call.input(), call.target(), call.body());
    }

    /**
     * A REST-JSON request named by the service's route that its method and path match: the route's
     * operation, and its input with each path label and query parameter as a member of that name (as
     * FIS names them; values stay text, which a reader takes as a number where it wants one). A request
     * that matches no route is refused with 404, as REST services refuse an unknown path.
     */
    static AwsRequest routed(AwsRequest request, ServiceShape shape, WireRequest wire) {
        for (Route route : shape.routes()) {
            Optional<Map<String, String>> labels = route.match(wire.method(), wire.rawPath());
            if (labels.isPresent()) {
                ObjectNode input = request.input().deepCopy();
                wire.query().forEach(input::put);
                labels.get().forEach(input::put);
                return new AwsRequest(request.service(), request.region(), request.accessKeyId(), route.operation(),
                        request.protocol(), input, "", request.body());
            }
        }
        throw new AwsFault(404, Protocol.REST_JSON.unknownOperationCode(), "the lab answers no " + request.service()
                + " operation at " + wire.method() + " " + wire.rawPath());
    }

    private static Call query(WireRequest wire) {
        String body = wire.bodyText();
        try {
            ObjectNode input = QueryInput.read(body);
            String operation = input.path("Action").asString("");
            input.remove("Action");
            return new Call("", operation, input, body);
        } catch (IllegalArgumentException e) {
            throw AwsFault.invalid("MalformedQueryString", "cannot read the request: " + e.getMessage());
        }
    }

    private static Call json(WireRequest wire) {
        String target = wire.header("X-Amz-Target");
        String body = wire.bodyText();
        return new Call(target, target.substring(target.indexOf('.') + 1), object(Mappers.JSON, wire.body(), "a JSON object"),
                body);
    }

    /**
     * RPCv2 CBOR: the operation from the path, the input from the CBOR body (none is an empty input).
     * A request that also names an {@code X-Amz-Target} is refused, as the Smithy spec asks of servers.
     * Its body, for the record, is its input as JSON text.
     */
    private static Call rpcV2(WireRequest wire) {
        String path = wire.rawPath();
        Matcher route = RPC_V2_PATH.matcher(path);
        if (!wire.method().equals("POST") || !route.matches()) {
            throw AwsFault.invalid(Protocol.RPC_V2_CBOR.unknownOperationCode(), "an RPCv2 CBOR request is"
                    + " POST /service/{service}/operation/{operation}, not " + wire.method() + " " + path);
        }
        if (!wire.header("X-Amz-Target").isEmpty() || !wire.header("X-Amzn-Target").isEmpty()) {
            throw AwsFault.invalid(Protocol.RPC_V2_CBOR.unknownOperationCode(),
                    "an RPCv2 CBOR request must not carry X-Amz-Target or X-Amzn-Target");
        }
        ObjectNode input = object(Mappers.CBOR, wire.body(), "a CBOR map");
        return new Call(route.group(1) + "." + route.group(2), route.group(2), input, input.toString());
    }

    /** The body as one object of the format ({@code shape} names it); an empty body is an empty input. */
    private static ObjectNode object(ObjectMapper format, byte[] body, String shape) {
        if (body.length == 0) {
            return format.createObjectNode();
        }
        try {
            JsonNode tree = format.readTree(body);
            if (tree instanceof ObjectNode object) {
                return object;
            }
            throw AwsFault.invalid("SerializationException", "the request body is not " + shape);
        } catch (JacksonException e) {
            throw AwsFault.invalid("SerializationException", "cannot read the request as " + shape + ": "
                    + e.getOriginalMessage());
        }
    }
}
