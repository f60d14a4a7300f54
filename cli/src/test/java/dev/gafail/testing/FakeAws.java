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
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wire-level stand-in for the AWS APIs gafail calls, on 127.0.0.1: WireMock receives what the
 * real SDK clients send (AWS JSON 1.1 for Global Accelerator and ECS, AWS Query for RDS, CloudWatch
 * and STS), and one transformer answers from a small model of the two regions that moves as AWS
 * does (the accelerator IN_PROGRESS after an update, a switchover in flight for a few reads, ECS
 * tasks starting). It also serves each region's {@code /healthz} and the accelerator endpoint's,
 * from the same model. Every call is recorded with its signing region; faults can be injected.
 */
public final class FakeAws implements AutoCloseable {

    public static final String ACCOUNT = "111122223333";
    public static final String ACCELERATOR = "arn:aws:globalaccelerator::" + ACCOUNT + ":accelerator/1234abcd-ab12";
    public static final Set<String> MUTATING = Set.of("UpdateEndpointGroup", "SwitchoverGlobalCluster",
            "FailoverGlobalCluster", "UpdateService", "PutMetricData");

    /** One request as the stub saw it. */
    public record Call(String service, String operation, String signingRegion, String target, String body,
                       Map<String, String> params) {
    }

    /** A region of the model. */
    public record RegionModel(String name, String awsRegion, String group, String cluster, String clusterId) {
    }

    public final RegionModel a = new RegionModel("region-a", "us-east-1", ACCELERATOR + "/listener/l1/endpoint-group/ga",
            "arn:aws:rds:us-east-1:" + ACCOUNT + ":cluster:orders-a", "orders-a");
    public final RegionModel b = new RegionModel("region-b", "eu-west-1", ACCELERATOR + "/listener/l1/endpoint-group/gb",
            "arn:aws:rds:eu-west-1:" + ACCOUNT + ":cluster:orders-b", "orders-b");

    private final WireMockServer server;
    private final List<Call> calls = new ArrayList<>();

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
    private int settleReads = 2;

    public FakeAws() {
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

    /** Writes a topology for this model into {@code dir} and returns its path. */
    public Path writeTopology(Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: gafail.dev/v1
                kind: Topology
                metadata: {name: orders-api}
                endpoint: %s/edge
                accelerator: {arn: "%s"}
                globalDatabase: orders-global
                alarms: [orders-5xx, orders-p95]
                endpoints: {default: "%s"}
                regions:
                """.formatted(url(), ACCELERATOR, url()));
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

    // --- the wire

    private final class Answer implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "fake-aws";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            synchronized (FakeAws.this) {
                return answer(event.getRequest());
            }
        }
    }

    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");

    private ResponseDefinition answer(Request request) {
        String path = request.getUrl();
        if (request.getMethod().getName().equals("GET") && path.endsWith("/healthz")) {
            return health(path);
        }
        Matcher scope = SCOPE.matcher(String.valueOf(request.getHeader("Authorization")));
        String region = scope.find() ? scope.group(1) : "";
        String service = scope.group(2);
        String target = request.containsHeader("X-Amz-Target") ? request.getHeader("X-Amz-Target") : null;
        String body = request.getBodyAsString();
        Map<String, String> params = target == null ? form(body) : Map.of();
        String operation = target != null ? target.substring(target.indexOf('.') + 1) : params.get("Action");
        calls.add(new Call(service, operation, region, target, body, params));
        boolean json = target != null;
        if (take(throttles, operation)) {
            return error(json, 400, json ? "ThrottlingException" : "Throttling", "Rate exceeded");
        }
        if (refusals.containsKey(operation) && body.contains(refusals.get(operation))) {
            return error(json, 400, "ValidationException", "refused by the test");
        }
        if (take(serverErrors, operation)) {
            return error(json, 500, json ? "InternalServerException" : "InternalFailure", "We encountered an internal error");
        }
        return switch (operation) {
            case "DescribeAccelerator" -> {
                String status = acceleratorBusy > 0 ? "IN_PROGRESS" : "DEPLOYED";
                acceleratorBusy = Math.max(0, acceleratorBusy - 1);
                yield json("{\"Accelerator\": {\"AcceleratorArn\": \"" + ACCELERATOR + "\", \"Status\": \"" + status
                        + "\", \"Enabled\": true}}");
            }
            case "DescribeEndpointGroup" -> json("{\"EndpointGroup\": " + group(jsonField(body, "EndpointGroupArn")) + "}");
            case "UpdateEndpointGroup" -> {
                String arn = jsonField(body, "EndpointGroupArn");
                dials.put(arn, (int) Double.parseDouble(jsonField(body, "TrafficDialPercentage")));
                acceleratorBusy = settleReads;
                yield json("{\"EndpointGroup\": " + group(arn) + "}");
            }
            case "DescribeServices" -> json("{\"services\": [" + service(regionOf(region)) + "], \"failures\": []}");
            case "UpdateService" -> {
                RegionModel r = regionOf(region);
                int[] counts = services.get(r.name());
                counts[0] = Integer.parseInt(jsonField(body, "desiredCount"));
                yield json("{\"service\": " + service(r) + "}");
            }
            case "DescribeGlobalClusters" -> xml("DescribeGlobalClusters", globalCluster());
            case "DescribeEvents" -> xml("DescribeEvents", "<Events>" + String.join("", databaseEvents) + "</Events>");
            case "SwitchoverGlobalCluster", "FailoverGlobalCluster" -> {
                transitionTo = params.get("TargetDbClusterIdentifier");
                databaseEvents.add("<Event><SourceType>db-cluster</SourceType><Message>Global "
                        + (operation.startsWith("Failover") ? "failover" : "switchover") + " to DB cluster "
                        + transitionTo + " started.</Message></Event>");
                transitionLeft = settleReads;
                yield xml(operation, "<GlobalCluster><GlobalClusterIdentifier>orders-global</GlobalClusterIdentifier>"
                        + "</GlobalCluster>");
            }
            case "GetMetricData" -> xml("GetMetricData", metricData(params));
            case "DescribeAlarms" -> xml("DescribeAlarms", alarms(params));
            case "PutMetricData" -> xml("PutMetricData", "");
            case "GetCallerIdentity" -> xml("GetCallerIdentity", "<Arn>arn:aws:sts::" + account
                    + ":assumed-role/oncall/alice</Arn><UserId>AROAEXAMPLE:alice</UserId><Account>" + account + "</Account>");
            default -> error(json, 400, json ? "UnknownOperationException" : "InvalidAction", "unknown " + operation);
        };
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
            region = dials.get(b.group()) > dials.get(a.group()) ? b : a;
        } else {
            region = path.startsWith("/" + b.name()) ? b : a;
        }
        String role = region.cluster().equals(writer) && transitionTo == null ? "writer" : "reader";
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"status\": \"ok\", \"region\": \"" + region.name() + "\", \"role\": \"" + role + "\"}")
                .build();
    }

    private RegionModel regionOf(String awsRegion) {
        return awsRegion.equals(b.awsRegion()) ? b : a;
    }

    private String group(String arn) {
        return "{\"EndpointGroupArn\": \"" + arn + "\", \"TrafficDialPercentage\": " + dials.get(arn)
                + ".0, \"EndpointDescriptions\": [{\"EndpointId\": \"alb\", \"HealthState\": \"HEALTHY\"}]}";
    }

    /** Each read moves running one task toward desired, as tasks start and stop. */
    private String service(RegionModel r) {
        int[] counts = services.get(r.name());
        String failed = rolloutFailures.get(r.name());
        String primary = "{\"id\": \"ecs-svc/1\", \"status\": \"PRIMARY\", \"rolloutState\": \"COMPLETED\","
                + " \"desiredCount\": " + counts[0] + ", \"runningCount\": " + counts[1] + "}";
        if (failed != null && counts[0] > counts[1]) {
            primary = "{\"id\": \"ecs-svc/1\", \"status\": \"PRIMARY\", \"rolloutState\": \"FAILED\","
                    + " \"rolloutStateReason\": \"" + failed + "\", \"desiredCount\": " + counts[0]
                    + ", \"runningCount\": " + counts[1] + "}";
        } else if (counts[1] != counts[0]) {
            counts[1] += Integer.signum(counts[0] - counts[1]);
        }
        return "{\"serviceName\": \"api\", \"desiredCount\": " + counts[0] + ", \"runningCount\": " + counts[1]
                + ", \"pendingCount\": 0, \"deployments\": [" + primary + "]}";
    }

    private String globalCluster() {
        StringBuilder out = new StringBuilder("<GlobalClusters><GlobalClusterMember>"
                + "<GlobalClusterIdentifier>orders-global</GlobalClusterIdentifier><Status>available</Status>");
        if (transitionTo != null) {
            if (transitionLeft-- <= 0) {
                writer = transitionTo;
                transitionTo = null;
            }
        }
        out.append("<GlobalClusterMembers>");
        for (RegionModel r : List.of(a, b)) {
            out.append("<GlobalClusterMember><DBClusterArn>").append(r.cluster()).append("</DBClusterArn><IsWriter>")
                    .append(r.cluster().equals(writer)).append("</IsWriter></GlobalClusterMember>");
        }
        out.append("</GlobalClusterMembers>");
        if (transitionTo != null) {
            out.append("<FailoverState><Status>switching-over</Status><FromDbClusterArn>").append(writer)
                    .append("</FromDbClusterArn><ToDbClusterArn>").append(transitionTo)
                    .append("</ToDbClusterArn><IsDataLossAllowed>false</IsDataLossAllowed></FailoverState>");
        }
        return out.append("</GlobalClusterMember></GlobalClusters>").toString();
    }

    private String metricData(Map<String, String> params) {
        String cluster = params.get("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value");
        Double value = cluster == null ? null : lag.get(cluster);
        StringBuilder out = new StringBuilder("<MetricDataResults><member><Id>m0</Id><StatusCode>Complete</StatusCode>");
        if (value != null) {
            out.append("<Timestamps><member>").append(Instant.now()).append("</member></Timestamps><Values><member>")
                    .append(value).append("</member></Values>");
        }
        return out.append("</member></MetricDataResults>").toString();
    }

    private String alarms(Map<String, String> params) {
        String[] change = alarmChanges.remove(alarmReads++);
        if (change != null) {
            alarms.put(change[0], change[1]);
        }
        StringBuilder out = new StringBuilder("<MetricAlarms>");
        alarms.forEach((name, state) -> {
            boolean wanted = params.containsValue(name) || params.get("AlarmNamePrefix") != null
                    && name.startsWith(params.get("AlarmNamePrefix"));
            if (wanted) {
                out.append("<member><AlarmName>").append(name).append("</AlarmName><StateValue>").append(state)
                        .append("</StateValue></member>");
            }
        });
        return out.append("</MetricAlarms>").toString();
    }

    private static ResponseDefinition json(String body) {
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withHeader("x-amzn-RequestId", UUID.randomUUID().toString()).withBody(body).build();
    }

    private static ResponseDefinition xml(String operation, String result) {
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody("<" + operation + "Response><" + operation + "Result>" + result + "</" + operation
                        + "Result><ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata></"
                        + operation + "Response>").build();
    }

    private static ResponseDefinition error(boolean json, int status, String code, String message) {
        String id = "req-" + UUID.randomUUID();
        if (json) {
            return new ResponseDefinitionBuilder().withStatus(status).withHeader("x-amzn-RequestId", id)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody("{\"__type\": \"" + code + "\", \"message\": \"" + message + "\"}").build();
        }
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "text/xml")
                .withBody("<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error><RequestId>" + id + "</RequestId></ErrorResponse>").build();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String jsonField(String body, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"?([^\",}]*)\"?").matcher(body);
        return m.find() ? m.group(1) : "";
    }
}
