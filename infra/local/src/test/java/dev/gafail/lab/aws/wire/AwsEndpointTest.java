package dev.gafail.lab.aws.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.cbor.CBORParser;

/** The protocol layer the lab and the tests' fake AWS share: requests read, dispatched and answered in each protocol. */
class AwsEndpointTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final CBORMapper CBOR = CBORMapper.builder().build();
    /** A timestamp with milliseconds, as every protocol carries them. */
    private static final Instant AT = Instant.parse("2026-11-29T10:15:30.250Z");
    private static final String GRANITE = "/service/GraniteServiceVersion20100801/operation/";
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
        return switch (request.operation()) {
            case "GetMetricData" -> {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                ObjectNode result = out.putArray("MetricDataResults").addObject().put("Id", "m1");
                result.putArray("Timestamps").addPOJO(AT);
                result.putArray("Values").add(42.5);
                yield out;
            }
            case "PutMetricData" -> JsonNodeFactory.instance.objectNode();
            case "DeleteAlarms" -> throw AwsFault.invalid("ResourceNotFound", "no alarm lab-5xx");
            default -> throw new IllegalStateException("a bug in the service");
        };
    });
    private final AwsService accelerator = AwsService.of(ServiceShape.GLOBAL_ACCELERATOR, request -> {
        seen.add(request);
        if (request.operation().equals("UpdateEndpointGroup")) {
            throw AwsFault.invalid("InvalidArgumentException", "quote \" backslash \\ newline \n end");
        }
        return JsonNodeFactory.instance.objectNode().put("Echo", request.text("EndpointGroupArn"));
    });
    private final AwsService fis = AwsService.of(ServiceShape.FIS, request -> {
        seen.add(request);
        if (request.text("id").equals("EXTmissing")) {
            throw new AwsFault(404, "ResourceNotFoundException", "Experiment template not found: EXTmissing");
        }
        return JsonNodeFactory.instance.objectNode().put("operation", request.operation()).putPOJO("at", AT);
    });
    private final AwsEndpoint endpoint = new AwsEndpoint(List.of(rds, cloudWatch, accelerator, fis));

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
        return json(version, region, target, body, "globalaccelerator");
    }

    private static WireRequest json(String version, String region, String target, String body, String service) {
        return new WireRequest("POST", "/", Map.of("authorization", authorization(region, service),
                "x-amz-target", target, "content-type", "application/x-amz-json-" + version),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A REST-JSON request as the SDKs send one: a JSON body with its Content-Type, or neither. */
    private static WireRequest rest(String method, String target, String body) {
        Map<String, String> headers = new HashMap<>(Map.of("Authorization", authorization("us-east-1", "fis")));
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return new WireRequest(method, target, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** An RPCv2 CBOR request as the SDKs send one: no Content-Type without a body. */
    private static WireRequest cbor(String region, String service, String path, byte[] body, String... headers) {
        Map<String, String> all = new HashMap<>(Map.of("Authorization", authorization(region, service),
                "smithy-protocol", "rpc-v2-cbor", "Accept", "application/cbor"));
        if (body.length > 0) {
            all.put("Content-Type", "application/cbor");
        }
        for (int i = 0; i < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        return new WireRequest("POST", path, all, body);
    }

    /**
     * GetMetricData's input in CBOR as the Java SDK writes it: {@code StartTime} as tag 1 on epoch
     * seconds, {@code Period} as an integer.
     */
    private static byte[] metricQueryInCbor() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = CBOR.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeName("MetricDataQueries");
            out.writeStartArray();
            out.writeStartObject();
            out.writeStringProperty("Id", "m1");
            out.writeName("MetricStat");
            out.writeStartObject();
            out.writeNumberProperty("Period", 60);
            out.writeEndObject();
            out.writeEndObject();
            out.writeEndArray();
            out.writeName("StartTime");
            ((CBORGenerator) out).writeTag(1);
            out.writeNumber(AT.toEpochMilli() / 1000.0);
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /** GetMetricData with the same input in AWS Query, AWS JSON 1.0 and RPCv2 CBOR, in that order. */
    private List<WireReply> getMetricDataInEachProtocol() {
        return List.of(
                endpoint.handle(query("us-east-1", "monitoring", Map.of("Action", "GetMetricData", "Version",
                        "2010-08-01", "MetricDataQueries.member.1.Id", "m1",
                        "MetricDataQueries.member.1.MetricStat.Period", "60", "StartTime", AT.toString()))),
                endpoint.handle(json("1.0", "us-east-1", "GraniteServiceVersion20100801.GetMetricData",
                        "{\"MetricDataQueries\": [{\"Id\": \"m1\", \"MetricStat\": {\"Period\": 60}}], \"StartTime\": "
                                + BigDecimal.valueOf(AT.toEpochMilli(), 3) + "}", "monitoring")),
                endpoint.handle(cbor("us-east-1", "monitoring", GRANITE + "GetMetricData", metricQueryInCbor())));
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
        assertFalse(refused.headers().containsKey("x-amzn-query-error"), "Global Accelerator never spoke Query");
    }

    @Test
    void aProtocolTheServiceDoesNotSpeakIsRefusedInTheCallersProtocol() {
        WireReply json = endpoint.handle(json("1.0", "us-east-1", "GlobalAccelerator_V20180706.DescribeAccelerator", "{}"));
        assertEquals(400, json.status());
        assertEquals("application/x-amz-json-1.0", json.contentType());
        JsonNode error = JSON.readTree(json.body());
        assertEquals("UnknownOperationException", error.path("__type").asString());
        assertEquals("the lab answers globalaccelerator over AWS JSON 1.1, not AWS JSON 1.0", error.path("message").asString());

        WireReply cbor = endpoint.handle(cbor("us-east-1", "rds", "/service/AmazonRDSv19/operation/DescribeEvents",
                new byte[0]));
        assertEquals(400, cbor.status());
        assertEquals("application/cbor", cbor.contentType());
        assertEquals("rpc-v2-cbor", cbor.headers().get("smithy-protocol"));
        assertEquals("the lab answers rds over AWS Query, not Smithy RPCv2 CBOR",
                CBOR.readTree(cbor.body()).path("message").asString());

        WireReply elsewhere = endpoint.handle(json("1.0", "us-east-1", "Monitoring.GetMetricData", "{}", "monitoring"));
        assertEquals("the lab answers monitoring as GraniteServiceVersion20100801, not Monitoring.GetMetricData",
                JSON.readTree(elsewhere.body()).path("message").asString(), "the X-Amz-Target names another service");
        assertTrue(seen.isEmpty(), "the service never saw them");
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
        east.handle(cbor("us-east-1", "monitoring", GRANITE + "GetMetricData", new byte[0]));
        assertEquals(List.of(
                new AwsEndpoint.Exchange("us-east-1", "us-east-1", "globalaccelerator", "DescribeEndpointGroup",
                        "awsJson1_1", 200, ""),
                new AwsEndpoint.Exchange("us-east-1", "us-west-2", "globalaccelerator", "DescribeAccelerator",
                        "awsJson1_1", 403, "InvalidSignatureException"),
                new AwsEndpoint.Exchange("us-east-1", "", "", "", "awsQuery", 403, "MissingAuthenticationToken"),
                new AwsEndpoint.Exchange("us-east-1", "us-east-1", "monitoring", "GetMetricData", "rpcv2Cbor", 200, "")),
                heard);
    }

    @Test
    void cloudWatchReadsTheSameInputInEachOfItsThreeProtocols() {
        List<WireReply> replies = getMetricDataInEachProtocol();
        replies.forEach(reply -> assertEquals(200, reply.status(), reply.bodyText()));
        assertEquals(List.of(Protocol.AWS_QUERY, Protocol.AWS_JSON_1_0, Protocol.RPC_V2_CBOR),
                seen.stream().map(AwsRequest::protocol).toList());
        for (AwsRequest request : seen) {
            assertEquals("GetMetricData", request.operation(), request.protocol().toString());
            assertEquals("m1", request.path("MetricDataQueries").path(0).path("Id").asString());
            assertEquals(60, request.path("MetricDataQueries").path(0).path("MetricStat").path("Period").asInt());
            assertEquals(Optional.of(AT), request.time("StartTime"), request.protocol().toString());
        }
        assertEquals(seen.get(1).input(), seen.get(2).input(), "AWS JSON 1.0 and RPCv2 CBOR give the same tree");
        assertEquals(seen.get(2).input(), JSON.readTree(seen.get(2).body()), "an RPCv2 request is recorded as JSON text");
    }

    @Test
    void eachProtocolWritesATimestampAsItsClientsReadIt() throws Exception {
        List<WireReply> replies = getMetricDataInEachProtocol();

        WireReply query = replies.get(0);
        assertEquals("text/xml", query.contentType());
        Element timestamps = (Element) xml(query).getElementsByTagName("Timestamps").item(0);
        assertEquals("2026-11-29T10:15:30.250Z", timestamps.getElementsByTagName("member").item(0).getTextContent(),
                "ISO 8601 in AWS Query");

        WireReply json = replies.get(1);
        assertEquals("application/x-amz-json-1.0", json.contentType());
        JsonNode result = JSON.readTree(json.body()).path("MetricDataResults").path(0);
        assertTrue(json.bodyText().contains("\"Timestamps\":[1795947330.250]"), "epoch seconds in AWS JSON: "
                + json.bodyText());
        assertEquals(42.5, result.path("Values").path(0).asDouble());

        WireReply cbor = replies.get(2);
        assertEquals("application/cbor", cbor.contentType());
        assertEquals("rpc-v2-cbor", cbor.headers().get("smithy-protocol"));
        try (JsonParser in = CBOR.createParser(cbor.body())) {
            while (!"Timestamps".equals(in.currentName())) {
                in.nextToken();
            }
            assertEquals(JsonToken.START_ARRAY, in.nextToken());
            assertEquals(JsonToken.VALUE_NUMBER_FLOAT, in.nextToken());
            assertEquals(1, ((CBORParser) in).getCurrentTag(), "tag 1, epoch-based date/time, in RPCv2 CBOR");
            assertEquals(1795947330.25, in.getDoubleValue());
        }
    }

    @Test
    void anErrorInEachProtocolCarriesItsCodeWhereThatProtocolsClientsLookForIt() throws Exception {
        WireReply query = endpoint.handle(query("us-east-1", "monitoring", Map.of("Action", "DeleteAlarms")));
        assertEquals(400, query.status());
        assertEquals("ResourceNotFound", text(xml(query), "Code"));
        assertEquals("Sender", text(xml(query), "Type"));

        WireReply json = endpoint.handle(json("1.0", "us-east-1", "GraniteServiceVersion20100801.DeleteAlarms", "{}",
                "monitoring"));
        assertEquals(400, json.status());
        assertEquals("application/x-amz-json-1.0", json.contentType());
        assertEquals("ResourceNotFound", JSON.readTree(json.body()).path("__type").asString());
        assertEquals("ResourceNotFound;Sender", json.headers().get("x-amzn-query-error"),
                "CloudWatch still speaks Query: its JSON errors name their Query code too");

        WireReply cbor = endpoint.handle(cbor("us-east-1", "monitoring", GRANITE + "DeleteAlarms", new byte[0]));
        assertEquals(400, cbor.status());
        assertEquals("application/cbor", cbor.contentType());
        assertEquals("rpc-v2-cbor", cbor.headers().get("smithy-protocol"));
        assertEquals("ResourceNotFound;Sender", cbor.headers().get("x-amzn-query-error"));
        JsonNode error = CBOR.readTree(cbor.body());
        assertEquals("ResourceNotFound", error.path("__type").asString());
        assertEquals("no alarm lab-5xx", error.path("message").asString());

        WireReply bug = endpoint.handle(cbor("us-east-1", "monitoring", GRANITE + "DescribeAlarms", new byte[0]));
        assertEquals(500, bug.status());
        assertEquals("InternalServerException;Receiver", bug.headers().get("x-amzn-query-error"));
        assertEquals("InternalServerException", CBOR.readTree(bug.body()).path("__type").asString());
    }

    @Test
    void anRpcV2RequestWithoutABodyIsAnEmptyInputAndAnOperationWithoutOutputAnswersWithoutABody() {
        WireReply reply = endpoint.handle(cbor("us-east-1", "monitoring", GRANITE + "PutMetricData", new byte[0]));
        assertEquals(200, reply.status());
        assertEquals(0, reply.body().length);
        assertEquals("", reply.contentType(), "a reply without a body names no content type");
        assertEquals("rpc-v2-cbor", reply.headers().get("smithy-protocol"));
        assertEquals(JsonNodeFactory.instance.objectNode(), seen.get(0).input());
    }

    @Test
    void malformedCborIsA400InCborNotADroppedConnection() {
        for (byte[] body : List.of(new byte[] {(byte) 0xbf, 0x61}, new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xff})) {
            WireReply reply = endpoint.handle(cbor("us-east-1", "monitoring", GRANITE + "GetMetricData", body));
            assertEquals(400, reply.status());
            assertEquals("application/cbor", reply.contentType());
            assertEquals("rpc-v2-cbor", reply.headers().get("smithy-protocol"));
            assertEquals("SerializationException", CBOR.readTree(reply.body()).path("__type").asString(),
                    HexFormat.of().formatHex(body));
        }
        assertTrue(seen.isEmpty());
    }

    @Test
    void anRpcV2RequestOffItsRouteIsRefusedInCbor() {
        List<WireRequest> misrouted = List.of(
                cbor("us-east-1", "monitoring", "/operation/GetMetricData", new byte[0]),
                cbor("us-east-1", "monitoring", GRANITE + "GetMetricData/extra", new byte[0]),
                cbor("us-east-1", "monitoring", GRANITE + "GetMetricData", new byte[0], "X-Amz-Target",
                        "GraniteServiceVersion20100801.GetMetricData"),
                cbor("us-east-1", "monitoring", GRANITE + "GetMetricData", new byte[0], "smithy-protocol",
                        "rpc-v2-json"));
        for (WireRequest request : misrouted) {
            WireReply reply = endpoint.handle(request);
            assertEquals(400, reply.status(), request.toString());
            assertEquals("UnknownOperationException", CBOR.readTree(reply.body()).path("__type").asString(),
                    request.path() + " " + request.headers());
        }
        WireReply namespaced = endpoint.handle(cbor("us-east-1", "monitoring",
                "/prefix/service/com.amazonaws.cloudwatch.GraniteServiceVersion20100801/operation/GetMetricData",
                new byte[0]));
        assertEquals(200, namespaced.status(), "a prefix and the service's absolute shape id are the same route");
        assertEquals(1, seen.size());
    }

    @Test
    void aRestJsonRequestIsNamedByItsMethodAndPathWithItsLabelsAndQueryInItsInput() {
        List<WireReply> replies = List.of(
                endpoint.handle(rest("POST", "/experiments", "{\"experimentTemplateId\": \"EXT1\", \"clientToken\":"
                        + " \"t-1\", \"tags\": {\"gafail:execution\": \"ex 1\"}}")),
                endpoint.handle(rest("GET", "/experiments?experimentTemplateId=EXT1&maxResults=5", null)),
                endpoint.handle(rest("GET", "/experiments/EXP1", null)),
                endpoint.handle(rest("DELETE", "/experiments/EXP1", null)),
                endpoint.handle(rest("POST", "/tags/arn%3Aaws%3Afis%3Aus-east-1%3A000000000000%3Aexperiment%2FEXP1",
                        "{\"tags\": {\"a+b\": \"c d\"}}")));
        replies.forEach(reply -> assertEquals(200, reply.status(), reply.bodyText()));
        assertEquals(List.of("StartExperiment", "ListExperiments", "GetExperiment", "StopExperiment", "TagResource"),
                seen.stream().map(AwsRequest::operation).toList());
        assertEquals(JSON.readTree("""
                {"experimentTemplateId": "EXT1", "clientToken": "t-1", "tags": {"gafail:execution": "ex 1"}}"""),
                seen.get(0).input());
        assertEquals(JSON.readTree("{\"experimentTemplateId\": \"EXT1\", \"maxResults\": \"5\"}"), seen.get(1).input());
        assertEquals(5, seen.get(1).path("maxResults").asInt(), "a query parameter reads as the number it is");
        assertEquals("EXP1", seen.get(2).text("id"));
        assertEquals("EXP1", seen.get(3).text("id"));
        assertEquals("arn:aws:fis:us-east-1:000000000000:experiment/EXP1", seen.get(4).text("resourceArn"),
                "a label's escaped colons and slash decoded");
        assertEquals("c d", seen.get(4).path("tags").path("a+b").asString());
        seen.forEach(request -> assertEquals(Protocol.REST_JSON, request.protocol()));
        WireReply started = replies.get(0);
        assertEquals("application/json", started.contentType());
        assertTrue(started.bodyText().contains("\"at\":1795947330.250"), "epoch seconds in REST-JSON: "
                + started.bodyText());
    }

    @Test
    void aRestJsonErrorCarriesItsCodeInXAmznErrorTypeAndItsMessageInTheBody() {
        WireReply missing = endpoint.handle(rest("GET", "/experimentTemplates/EXTmissing", null));
        assertEquals(404, missing.status());
        assertEquals("ResourceNotFoundException", missing.headers().get("x-amzn-ErrorType"));
        assertEquals("application/json", missing.contentType());
        assertEquals(JSON.readTree("{\"message\": \"Experiment template not found: EXTmissing\"}"),
                JSON.readTree(missing.body()));

        List<WireReply> offRoute = List.of(endpoint.handle(rest("GET", "/nowhere", null)),
                endpoint.handle(rest("PUT", "/experiments/EXP1", "{}")),
                endpoint.handle(rest("GET", "/experiments/EXP1/more", null)),
                endpoint.handle(rest("GET", "/experiments/", null)));
        for (WireReply reply : offRoute) {
            assertEquals(404, reply.status(), reply.bodyText());
            assertEquals("UnknownOperationException", reply.headers().get("x-amzn-ErrorType"));
        }

        WireReply targeted = endpoint.handle(json("1.1", "us-east-1", "FaultInjectionSimulator.GetExperiment",
                "{\"id\": \"EXP1\"}", "fis"));
        assertEquals(400, targeted.status());
        assertEquals("the lab answers fis over REST-JSON, not AWS JSON 1.1",
                JSON.readTree(targeted.body()).path("message").asString());
        WireReply unrouted = endpoint.handle(rest("GET", "/experiments", null));
        assertEquals(200, unrouted.status(), "no body and no content type: REST-JSON");
        assertEquals(List.of("GetExperimentTemplate", "ListExperiments"), seen.stream().map(AwsRequest::operation)
                .toList(), "the requests off its routes and in another protocol never reached the service");
    }

    @Test
    void theRequestLogNamesARestJsonRequestByItsRouteEvenWhenItIsNeverAnswered() {
        List<AwsEndpoint.Exchange> heard = new ArrayList<>();
        AwsEndpoint east = endpoint.onlyFor("us-east-1").recording(heard::add);
        east.handle(rest("GET", "/experiments/EXP1", null));
        east.unanswered(rest("DELETE", "/experiments/EXP1", null));
        assertEquals(List.of(
                new AwsEndpoint.Exchange("us-east-1", "us-east-1", "fis", "GetExperiment", "restJson1", 200, ""),
                new AwsEndpoint.Exchange("us-east-1", "us-east-1", "fis", "StopExperiment", "restJson1", 0,
                        AwsEndpoint.UNANSWERED)), heard);
    }
}
