package dev.gafail.lab.aws.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The protocol layer the lab and the tests' fake AWS share: requests read, dispatched and answered in each protocol. */
class AwsEndpointTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What a service under test saw, one input per call. */
    private final List<AwsRequest> seen = new ArrayList<>();

    private final AwsService rds = AwsService.of(ServiceShape.RDS, request -> {
        seen.add(request);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode event = out.putArray("Events").addObject().put("Message", "a <b> & \"c\" \u0001 d");
        event.putArray("EventCategories").add("failover").add("notification");
        return out;
    });
    private final AwsService cloudWatch = AwsService.of(ServiceShape.CLOUDWATCH, request -> {
        seen.add(request);
        throw new IllegalStateException("a bug in the service");
    });
    private final AwsService accelerator = AwsService.of(ServiceShape.GLOBAL_ACCELERATOR, request -> {
        seen.add(request);
        if (request.operation().equals("UpdateEndpointGroup")) {
            throw AwsFault.invalid("InvalidArgumentException", "quote \" backslash \\ newline \n end");
        }
        return JsonNodeFactory.instance.objectNode().put("Echo", request.text("EndpointGroupArn"));
    });
    private final AwsEndpoint endpoint = new AwsEndpoint(List.of(rds, cloudWatch, accelerator));

    private static String authorization(String region, String service) {
        return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/" + region + "/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123";
    }

    private static WireRequest query(String region, String service, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return new WireRequest("POST", "/", Map.of("Authorization", authorization(region, service),
                "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static WireRequest json(String version, String region, String target, String body) {
        return new WireRequest("POST", "/", Map.of("authorization", authorization(region, "globalaccelerator"),
                "x-amz-target", target, "content-type", "application/x-amz-json-" + version),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static Document xml(WireReply reply) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(reply.body()));
    }

    private static String text(Document document, String tag) {
        return document.getElementsByTagName(tag).item(0).getTextContent();
    }

    @Test
    void aQueryFormBecomesTheInputTreeTheJsonProtocolsWouldCarry() {
        endpoint.handle(query("us-east-1", "rds", Map.of("Action", "DescribeEvents", "Version", "2014-10-31",
                "SourceIdentifier", "lab-region-a", "Filters.Filter.1.Name", "category",
                "Filters.Filter.1.Values.Value.1", "failover", "Filters.Filter.1.Values.Value.2", "notification",
                "EventCategories.member.2", "second", "EventCategories.member.1", "first")));
        AwsRequest request = seen.get(0);
        assertEquals("DescribeEvents", request.operation());
        assertEquals("us-east-1", request.region());
        assertEquals(Protocol.AWS_QUERY, request.protocol());
        assertEquals(JSON.readTree("""
                {"Version": "2014-10-31", "SourceIdentifier": "lab-region-a",
                 "Filters": [{"Name": "category", "Values": ["failover", "notification"]}],
                 "EventCategories": ["first", "second"]}"""), request.input());
    }

    @Test
    void aQueryReplyNamesListMembersAsTheServiceDoesAndEscapesEveryValue() throws Exception {
        WireReply reply = endpoint.handle(query("us-east-1", "rds", Map.of("Action", "DescribeEvents")));
        assertEquals(200, reply.status());
        assertEquals("text/xml", reply.contentType());
        Document document = xml(reply);
        Element root = document.getDocumentElement();
        assertEquals("DescribeEventsResponse", root.getTagName());
        assertEquals("a <b> & \"c\" \uFFFD d", text(document, "Message"), "a control character XML cannot carry is replaced");
        assertEquals(2, ((Element) document.getElementsByTagName("EventCategories").item(0))
                .getElementsByTagName("EventCategory").getLength());
        assertEquals(1, document.getElementsByTagName("Event").getLength());
        assertEquals(reply.requestId(), text(document, "RequestId"));
    }

    @Test
    void jsonRepliesAndErrorsKeepTheCallersJsonVersionAndEscapeTheMessage() {
        WireReply ok = endpoint.handle(json("1.1", "us-west-2", "GlobalAccelerator_V20180706.DescribeEndpointGroup",
                "{\"EndpointGroupArn\": \"arn:x\\\"y\"}"));
        assertEquals(200, ok.status());
        assertEquals("application/x-amz-json-1.1", ok.contentType());
        assertEquals("arn:x\"y", JSON.readTree(ok.body()).path("Echo").asString());

        WireReply refused = endpoint.handle(json("1.1", "us-west-2", "GlobalAccelerator_V20180706.UpdateEndpointGroup",
                "{}"));
        assertEquals(400, refused.status());
        JsonNode error = JSON.readTree(refused.body());
        assertEquals("InvalidArgumentException", error.path("__type").asString());
        assertEquals("quote \" backslash \\ newline \n end", error.path("message").asString());
    }

    @Test
    void aProtocolTheServiceDoesNotSpeakIsRefusedInTheCallersProtocol() {
        WireReply reply = endpoint.handle(new WireRequest("POST", "/", Map.of("Authorization",
                authorization("us-east-1", "monitoring"), "X-Amz-Target", "GraniteServiceVersion20100801.DescribeAlarms",
                "Content-Type", "application/x-amz-json-1.0"), "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, reply.status());
        assertEquals("application/x-amz-json-1.0", reply.contentType());
        JsonNode error = JSON.readTree(reply.body());
        assertEquals("UnknownOperationException", error.path("__type").asString());
        assertEquals("the lab answers monitoring over AWS Query, not AWS JSON 1.0", error.path("message").asString());
        assertTrue(seen.isEmpty(), "the service never saw it");
    }

    @Test
    void unsignedMalformedAndUnknownRequestsGetAwsErrorShapes() throws Exception {
        WireReply unsigned = endpoint.handle(new WireRequest("POST", "/", Map.of("Content-Type",
                "application/x-www-form-urlencoded"), "Action=DescribeEvents".getBytes(StandardCharsets.UTF_8)));
        assertEquals(403, unsigned.status());
        assertEquals("MissingAuthenticationToken", text(xml(unsigned), "Code"));

        WireReply malformed = endpoint.handle(json("1.1", "us-west-2", "GlobalAccelerator_V20180706.DescribeAccelerator",
                "{\"AcceleratorArn\": "));
        assertEquals(400, malformed.status());
        assertEquals("SerializationException", JSON.readTree(malformed.body()).path("__type").asString());

        WireReply badEscape = endpoint.handle(new WireRequest("POST", "/", Map.of("Authorization",
                authorization("us-east-1", "rds")), "Action=DescribeEvents&SourceIdentifier=%zz".getBytes(
                StandardCharsets.UTF_8)));
        assertEquals("MalformedQueryString", text(xml(badEscape), "Code"));

        WireReply unknownService = endpoint.handle(query("us-east-1", "sns", Map.of("Action", "Publish")));
        assertEquals(400, unknownService.status());
        assertEquals("InvalidAction", text(xml(unknownService), "Code"));
        assertTrue(seen.isEmpty());
    }

    @Test
    void aBugInAServiceIsAServerErrorNotADroppedConnection() throws Exception {
        WireReply reply = endpoint.handle(query("us-east-1", "monitoring", Map.of("Action", "DescribeAlarms")));
        assertEquals(500, reply.status());
        Document document = xml(reply);
        assertEquals("InternalFailure", text(document, "Code"));
        assertEquals("Receiver", text(document, "Type"));
    }

    @Test
    void anEndpointForOneRegionRefusesWhatIsSignedForAnother() {
        AwsEndpoint east = endpoint.onlyFor("us-east-1");
        WireReply elsewhere = east.handle(json("1.1", "us-west-2", "GlobalAccelerator_V20180706.DescribeAccelerator",
                "{}"));
        assertEquals(403, elsewhere.status());
        assertEquals("InvalidSignatureException", JSON.readTree(elsewhere.body()).path("__type").asString());
        assertTrue(seen.isEmpty());
        WireReply here = east.handle(json("1.1", "us-east-1", "GlobalAccelerator_V20180706.DescribeAccelerator",
                "{}"));
        assertEquals(200, here.status());
    }

    @Test
    void anInspectorSeesEachCallAndMayAnswerInTheServicesStead() {
        List<String> inspected = new ArrayList<>();
        AwsEndpoint throttled = endpoint.inspecting(request -> {
            inspected.add(request.operation() + "@" + request.region());
            throw AwsFault.invalid("ThrottlingException", "Rate exceeded");
        });
        WireReply reply = throttled.handle(json("1.1", "us-west-2", "GlobalAccelerator_V20180706.DescribeAccelerator",
                "{}"));
        assertEquals(List.of("DescribeAccelerator@us-west-2"), inspected);
        assertEquals("ThrottlingException", JSON.readTree(reply.body()).path("__type").asString());
        assertTrue(seen.isEmpty());
    }

    @Test
    void aRecorderHearsOfEveryRequestWithItsRegionOperationAndOutcome() {
        List<AwsEndpoint.Exchange> heard = new ArrayList<>();
        AwsEndpoint east = endpoint.onlyFor("us-east-1").recording(heard::add);
        east.handle(json("1.1", "us-east-1", "GlobalAccelerator_V20180706.DescribeEndpointGroup", "{}"));
        east.handle(json("1.1", "us-west-2", "GlobalAccelerator_V20180706.DescribeAccelerator", "{}"));
        east.handle(new WireRequest("POST", "/", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "Action=DescribeEvents".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(
                new AwsEndpoint.Exchange("us-east-1", "us-east-1", "globalaccelerator", "DescribeEndpointGroup", 200, ""),
                new AwsEndpoint.Exchange("us-east-1", "us-west-2", "globalaccelerator", "DescribeAccelerator", 403,
                        "InvalidSignatureException"),
                new AwsEndpoint.Exchange("us-east-1", "", "", "", 403, "MissingAuthenticationToken")), heard);
    }
}
