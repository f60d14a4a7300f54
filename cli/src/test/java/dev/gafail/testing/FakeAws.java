package dev.gafail.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.gafail.lab.aws.wire.AwsEndpoint;
import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.Protocol;
import dev.gafail.lab.aws.wire.ServiceShape;
import dev.gafail.lab.aws.wire.WireReply;
import dev.gafail.lab.aws.wire.WireRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A wire-level stand-in for the AWS APIs gafail calls, on 127.0.0.1: WireMock receives what the
 * real SDK clients send, the lab's protocol layer ({@link AwsEndpoint}) reads each call and writes
 * each reply, and a small model of the two regions answers, one that moves as AWS
 * does (the accelerator IN_PROGRESS after an update, a switchover in flight for a few reads, ECS
 * tasks starting). It also serves each region's {@code /healthz} and the accelerator endpoint's,
 * from the same model. Every call is recorded with its signing region; faults can be injected.
 */
public final class FakeAws implements AutoCloseable {

    public static final String ACCOUNT = "111122223333";
    /** The key of the credentials STS hands out for a role (AssumeRole) and for a web identity. */
    public static final String ROLE_KEY = "ASIAEXAMPLE";
    public static final String WEB_IDENTITY_KEY = "ASIAWEBIDENTITY";
    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/]+)/");
    public static final String ACCELERATOR = "arn:aws:globalaccelerator::" + ACCOUNT + ":accelerator/1234abcd-ab12";
    public static final Set<String> MUTATING = Set.of("UpdateEndpointGroup", "SwitchoverGlobalCluster",
            "FailoverGlobalCluster", "UpdateService", "PutMetricData");

    /** One request as the stub saw it. */
    public record Call(String service, String operation, String signingRegion, String target, String body,
                       JsonNode input) {
    }

    /** A region of the model. */
    public record RegionModel(String name, String awsRegion, String group, String cluster, String clusterId) {
    }

    public final RegionModel a = new RegionModel("region-a", "us-east-1", ACCELERATOR + "/listener/l1/endpoint-group/ga",
            "arn:aws:rds:us-east-1:" + ACCOUNT + ":cluster:orders-a", "orders-a");
    public final RegionModel b = new RegionModel("region-b", "eu-west-1", ACCELERATOR + "/listener/l1/endpoint-group/gb",
            "arn:aws:rds:eu-west-1:" + ACCOUNT + ":cluster:orders-b", "orders-b");

    private final WireMockServer server;
    private final AwsEndpoint endpoint;
    private final List<Call> calls = new ArrayList<>();
    private final List<String> accessKeys = new ArrayList<>();

    // The model; guarded by this.
    private String account = ACCOUNT;
    private final Map<String, Integer> dials = new HashMap<>();
    private int acceleratorBusy;
    private String writer;
    private String transitionTo;
    private final List<String> databaseEvents = new CopyOnWriteArrayList<>();
    private int transitionLeft;
    private final Map<String, int[]> services = new HashMap<>();
    private final Map<String, Double> lag = new HashMap<>();
    private final Map<String, String> alarms = new LinkedHashMap<>();
    private final Map<String, Integer> throttles = new HashMap<>();
    private final Map<String, Integer> serverErrors = new HashMap<>();
    private final Map<String, String> rolloutFailures = new HashMap<>();
    private final Map<String, String> refusals = new HashMap<>();
    private final Map<Integer, String[]> alarmChanges = new HashMap<>();
    private int alarmReads;
    private final Set<String> absentAlarms = new HashSet<>();
    private final Set<String> lost = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> garbled = new HashMap<>();
    private byte[] garbledReply;
    private int settleReads = 2;
    /** Each region's {@code /healthz} {@code writes}, by region name: {@code local} unless a test says otherwise. */
    private final Map<String, String> writes = new HashMap<>();
    private boolean writerEndpoint;

    public FakeAws() {
        endpoint = new AwsEndpoint(List.of(AwsService.of(ServiceShape.GLOBAL_ACCELERATOR, this::globalAccelerator),
                AwsService.of(ServiceShape.ECS, this::ecs), AwsService.of(ServiceShape.RDS, this::rds),
                AwsService.of(ServiceShape.CLOUDWATCH, this::cloudWatch), AwsService.of(ServiceShape.STS, this::sts)))
                .inspecting(this::inspect);
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new Answer()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
        dials.put(a.group(), 100);
        dials.put(b.group(), 0);
        writer = a.cluster();
        services.put(a.name(), new int[] {4, 4});
        services.put(b.name(), new int[] {1, 1});
        lag.put(b.clusterId(), 120.0);
        lag.put(a.clusterId(), 80.0);
        alarms.put("orders-5xx", "OK");
        alarms.put("orders-p95", "OK");
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * Both regions write through a writer endpoint ({@code /healthz} says {@code writes: writer-endpoint}), and the
     * topologies written from now on say so ({@code writerEndpoint: true}).
     */
    public synchronized void writerEndpoint() {
        writerEndpoint = true;
        writes(a, "writer-endpoint");
        writes(b, "writer-endpoint");
    }

    /** What {@code region}'s {@code /healthz} says it writes through: {@code writer-endpoint} or {@code local}. */
    public synchronized void writes(RegionModel region, String how) {
        writes.put(region.name(), how);
    }

    /** Writes a topology for this model into {@code dir} and returns its path. */
    public Path writeTopology(Path dir) throws IOException {
        return writeTopology(dir, Map.of());
    }

    /**
     * Writes a topology whose {@code endpoints} send the keys of {@code elsewhere} (an AWS region, a
     * service) to their URLs instead of this stub: a region whose APIs are lost, say.
     */
    public Path writeTopology(Path dir, Map<String, String> elsewhere) throws IOException {
        StringBuilder moved = new StringBuilder();
        elsewhere.forEach((key, url) -> moved.append(", ").append(key).append(": \"").append(url).append('"'));
        StringBuilder yaml = new StringBuilder("""
                apiVersion: gafail.dev/v1
                kind: Topology
                metadata: {name: orders-api}
                endpoint: %s/edge
                accelerator: {arn: "%s"}
                globalDatabase: orders-global
                writerEndpoint: %s
                alarms: [orders-5xx, orders-p95]
                endpoints: {default: "%s"%s}
                regions:
                """.formatted(url(), ACCELERATOR, writerEndpoint, url(), moved));
        for (RegionModel r : List.of(a, b)) {
            yaml.append("""
                      %s:
                        awsRegion: %s
                        endpointGroupArn: "%s"
                        dbClusterArn: "%s"
                        ecs: {cluster: orders, service: api, activeCount: 4, warmCount: 1}
                        healthz: %s/%s/healthz
                    """.formatted(r.name(), r.awsRegion(), r.group(), r.cluster(), url(), r.name()));
        }
        Path file = dir.resolve("gafail.yaml");
        Files.writeString(file, yaml.toString());
        return file;
    }

    // --- the model, as tests set and read it

    public synchronized void account(String id) {
        account = id;
    }

    public synchronized void lag(String clusterId, Double millis) {
        if (millis == null) {
            lag.remove(clusterId);
        } else {
            lag.put(clusterId, millis);
        }
    }

    public synchronized void alarm(String name, String state) {
        alarms.put(name, state);
    }

    /** The next {@code times} calls of {@code operation} are throttled. */
    public synchronized void throttle(String operation, int times) {
        throttles.put(operation, times);
    }

    /** The next {@code times} calls of {@code operation} fail with HTTP 500. */
    public synchronized void serverError(String operation, int times) {
        serverErrors.put(operation, times);
    }

    /** The region's endpoints are unhealthy: the accelerator's data plane routes around it, whatever the dials. */
    public synchronized void lose(RegionModel region) {
        lost.add(region.name());
    }

    /** Alarm {@code name} does not exist in {@code region} (it still does in the other). */
    public synchronized void absentAlarm(RegionModel region, String name) {
        absentAlarms.add(region.awsRegion() + "/" + name);
    }

    /** Every call of {@code operation} is answered HTTP 200 with {@code body}, whatever its protocol wants. */
    public synchronized void garble(String operation, byte[] body) {
        garbled.put(operation, body);
    }

    /** When DescribeAlarms has been called {@code calls} times, alarm {@code name} turns {@code state}. */
    public synchronized void alarmAfter(int calls, String name, String state) {
        alarmChanges.put(calls, new String[] {name, state});
    }

    /** Calls of {@code operation} whose body contains {@code text} are refused with a ValidationException. */
    public synchronized void refuse(String operation, String text) {
        refusals.put(operation, text);
    }

    /** The next scale-up of {@code region} fails its rollout, as the circuit breaker does. */
    public synchronized void failRollout(String region, String reason) {
        rolloutFailures.put(region, reason);
    }

    public synchronized int dial(RegionModel region) {
        return dials.get(region.group());
    }

    public synchronized String writer() {
        return writer.equals(a.cluster()) ? a.name() : b.name();
    }

    public synchronized int desired(RegionModel region) {
        return services.get(region.name())[0];
    }

    /** The access key id each request was signed with, in order ("unsigned" for none). */
    public synchronized List<String> accessKeys() {
        return List.copyOf(accessKeys);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The mutating operations, in order, as {@code Operation@signing-region}. */
    public synchronized List<String> mutations() {
        return calls.stream().filter(c -> MUTATING.contains(c.operation()))
                .map(c -> c.operation() + "@" + c.signingRegion()).toList();
    }

    @Override
    public void close() {
        server.stop();
    }

    // --- the wire: the lab's protocol layer reads each call and writes each reply; the model answers

    private final class Answer implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "fake-aws";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            synchronized (FakeAws.this) {
                if (request.getMethod().getName().equals("GET") && request.getUrl().endsWith("/healthz")) {
                    return health(request.getUrl());
                }
                WireRequest wire = WireMockAws.request(request);
                Matcher signer = ACCESS_KEY.matcher(wire.header("Authorization"));
                accessKeys.add(signer.find() ? signer.group(1) : "unsigned");
                if (request.getBodyAsString().contains("Action=AssumeRoleWithWebIdentity")) {
                    return webIdentity(request.getBodyAsString());
                }
                WireReply reply = endpoint.handle(wire);
                if (garbledReply != null) {
                    byte[] body = garbledReply;
                    garbledReply = null;
                    return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", reply.contentType())
                            .withBody(body).build();
                }
                return WireMockAws.response(reply);
            }
        }
    }

    /** STS's AssumeRoleWithWebIdentity, which is not signed (the token is the proof), so the wire layer does not take it. */
    private ResponseDefinition webIdentity(String body) {
        calls.add(new Call("sts", "AssumeRoleWithWebIdentity", null, null, body, object()));
        String xml = """
                <AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>
                <Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>web-secret</SecretAccessKey>
                <SessionToken>web-session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
                <AssumedRoleUser><Arn>arn:aws:sts::%s:assumed-role/ci/gafail</Arn><AssumedRoleId>AROAEXAMPLE:ci</AssumedRoleId>
                </AssumedRoleUser></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>
                """.formatted(WEB_IDENTITY_KEY, account);
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "text/xml").withBody(xml).build();
    }

    /** Records the call, then answers with the fault a test injected, if any. */
    private void inspect(AwsRequest request) {
        String operation = request.operation();
        calls.add(new Call(request.service(), operation, request.region(), request.target(), request.body(),
                request.input()));
        garbledReply = garbled.get(operation);
        boolean json = request.protocol() != Protocol.AWS_QUERY;
        if (take(throttles, operation)) {
            throw AwsFault.invalid(json ? "ThrottlingException" : "Throttling", "Rate exceeded");
        }
        if (refusals.containsKey(operation) && request.body().contains(refusals.get(operation))) {
            throw AwsFault.invalid("ValidationException", "refused by the test");
        }
        if (take(serverErrors, operation)) {
            throw new AwsFault(500, json ? "InternalServerException" : "InternalFailure",
                    "We encountered an internal error");
        }
    }

    private static boolean take(Map<String, Integer> faults, String operation) {
        Integer left = faults.get(operation);
        if (left == null || left <= 0) {
            return false;
        }
        faults.put(operation, left - 1);
        return true;
    }

    private ResponseDefinition health(String path) {
        RegionModel region;
        if (path.startsWith("/edge")) {
            // The accelerator's data plane: the higher dial, but never a lost region while the other lives.
            region = lost.contains(a.name()) ? b : lost.contains(b.name()) ? a
                    : dials.get(b.group()) > dials.get(a.group()) ? b : a;
        } else {
            region = path.startsWith("/" + b.name()) ? b : a;
        }
        String role = region.cluster().equals(writer) && transitionTo == null ? "writer" : "reader";
        ObjectNode health = object().put("status", "ok").put("region", region.name()).put("role", role)
                .put("writes", writes.getOrDefault(region.name(), "local"));
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(health.toString()).build();
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private RegionModel regionOf(String awsRegion) {
        return awsRegion.equals(b.awsRegion()) ? b : a;
    }

    private ObjectNode globalAccelerator(AwsRequest request) {
        return switch (request.operation()) {
            case "DescribeAccelerator" -> {
                String status = acceleratorBusy > 0 ? "IN_PROGRESS" : "DEPLOYED";
                acceleratorBusy = Math.max(0, acceleratorBusy - 1);
                yield object().set("Accelerator", object().put("AcceleratorArn", ACCELERATOR).put("Status", status)
                        .put("Enabled", true));
            }
            case "DescribeEndpointGroup" -> object().set("EndpointGroup", group(request.text("EndpointGroupArn")));
            case "UpdateEndpointGroup" -> {
                String arn = request.text("EndpointGroupArn");
                dials.put(arn, request.path("TrafficDialPercentage").asInt());
                acceleratorBusy = settleReads;
                yield object().set("EndpointGroup", group(arn));
            }
            default -> throw request.unknownOperation();
        };
    }

    private ObjectNode group(String arn) {
        ObjectNode group = object().put("EndpointGroupArn", arn).put("TrafficDialPercentage", (float) dials.get(arn));
        group.putArray("EndpointDescriptions").addObject().put("EndpointId", "alb").put("HealthState", "HEALTHY");
        return group;
    }

    private ObjectNode ecs(AwsRequest request) {
        RegionModel region = regionOf(request.region());
        return switch (request.operation()) {
            case "DescribeServices" -> {
                ObjectNode out = object();
                out.putArray("services").add(service(region));
                out.putArray("failures");
                yield out;
            }
            case "UpdateService" -> {
                services.get(region.name())[0] = request.path("desiredCount").asInt();
                yield object().set("service", service(region));
            }
            default -> throw request.unknownOperation();
        };
    }

    /** Each read moves running one task toward desired, as tasks start and stop. */
    private ObjectNode service(RegionModel r) {
        int[] counts = services.get(r.name());
        String failed = rolloutFailures.get(r.name());
        ObjectNode primary = object().put("id", "ecs-svc/1").put("status", "PRIMARY");
        if (failed != null && counts[0] > counts[1]) {
            primary.put("rolloutState", "FAILED").put("rolloutStateReason", failed);
        } else {
            primary.put("rolloutState", "COMPLETED");
            if (counts[1] != counts[0]) {
                counts[1] += Integer.signum(counts[0] - counts[1]);
            }
        }
        primary.put("desiredCount", counts[0]).put("runningCount", counts[1]);
        ObjectNode service = object().put("serviceName", "api").put("desiredCount", counts[0])
                .put("runningCount", counts[1]).put("pendingCount", 0);
        service.putArray("deployments").add(primary);
        return service;
    }

    private ObjectNode rds(AwsRequest request) {
        return switch (request.operation()) {
            case "DescribeGlobalClusters" -> globalCluster();
            case "DescribeEvents" -> {
                ObjectNode out = object();
                ArrayNode events = out.putArray("Events");
                databaseEvents.forEach(message -> events.addObject().put("SourceType", "db-cluster")
                        .put("Message", message));
                yield out;
            }
            case "SwitchoverGlobalCluster", "FailoverGlobalCluster" -> {
                transitionTo = request.text("TargetDbClusterIdentifier");
                databaseEvents.add("Global " + (request.operation().startsWith("Failover") ? "failover" : "switchover")
                        + " to DB cluster " + transitionTo + " started.");
                transitionLeft = settleReads;
                yield object().set("GlobalCluster", object().put("GlobalClusterIdentifier", "orders-global"));
            }
            default -> throw request.unknownOperation();
        };
    }

    private ObjectNode globalCluster() {
        if (transitionTo != null && transitionLeft-- <= 0) {
            writer = transitionTo;
            transitionTo = null;
        }
        ObjectNode out = object();
        ObjectNode cluster = out.putArray("GlobalClusters").addObject().put("GlobalClusterIdentifier", "orders-global")
                .put("Status", "available");
        ArrayNode members = cluster.putArray("GlobalClusterMembers");
        for (RegionModel r : List.of(a, b)) {
            members.addObject().put("DBClusterArn", r.cluster()).put("IsWriter", r.cluster().equals(writer));
        }
        if (transitionTo != null) {
            cluster.putObject("FailoverState").put("Status", "switching-over").put("FromDbClusterArn", writer)
                    .put("ToDbClusterArn", transitionTo).put("IsDataLossAllowed", false);
        }
        return out;
    }

    private ObjectNode cloudWatch(AwsRequest request) {
        return switch (request.operation()) {
            case "GetMetricData" -> metricData(request);
            case "DescribeAlarms" -> alarms(request);
            case "PutMetricData" -> object();
            default -> throw request.unknownOperation();
        };
    }

    private ObjectNode metricData(AwsRequest request) {
        JsonNode query = request.path("MetricDataQueries").path(0);
        String cluster = query.path("MetricStat").path("Metric").path("Dimensions").path(0).path("Value").asString("");
        Double value = lag.get(cluster);
        ObjectNode out = object();
        ObjectNode result = out.putArray("MetricDataResults").addObject().put("Id", "m0").put("StatusCode", "Complete");
        if (value != null) {
            result.putArray("Timestamps").addPOJO(Instant.now());
            result.putArray("Values").add(value);
        }
        return out;
    }

    private ObjectNode alarms(AwsRequest request) {
        String[] change = alarmChanges.remove(alarmReads++);
        if (change != null) {
            alarms.put(change[0], change[1]);
        }
        Set<String> names = new HashSet<>();
        request.path("AlarmNames").forEach(n -> names.add(n.asString()));
        String prefix = request.input().has("AlarmNamePrefix") ? request.text("AlarmNamePrefix") : null;
        ObjectNode out = object();
        ArrayNode listed = out.putArray("MetricAlarms");
        boolean unfiltered = names.isEmpty() && prefix == null;
        String stateValue = request.input().has("StateValue") ? request.text("StateValue") : null;
        alarms.forEach((name, state) -> {
            boolean wanted = unfiltered || names.contains(name) || prefix != null && name.startsWith(prefix);
            if (wanted && (stateValue == null || stateValue.equals(state))
                    && !absentAlarms.contains(request.region() + "/" + name)) {
                listed.addObject().put("AlarmName", name).put("StateValue", state);
            }
        });
        return out;
    }

    private ObjectNode sts(AwsRequest request) {
        if (request.operation().equals("AssumeRole")) {
            ObjectNode out = object();
            out.putObject("Credentials").put("AccessKeyId", ROLE_KEY).put("SecretAccessKey", "assumed")
                    .put("SessionToken", "token").put("Expiration", "2099-01-01T00:00:00Z");
            out.putObject("AssumedRoleUser").put("Arn", "arn:aws:sts::" + account + ":assumed-role/oncall/gafail")
                    .put("AssumedRoleId", "AROAEXAMPLE:gafail");
            return out;
        }
        if (!request.operation().equals("GetCallerIdentity")) {
            throw request.unknownOperation();
        }
        return object().put("Arn", "arn:aws:sts::" + account + ":assumed-role/oncall/alice")
                .put("UserId", "AROAEXAMPLE:alice").put("Account", account);
    }
}
