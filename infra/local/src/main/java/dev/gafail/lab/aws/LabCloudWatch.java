package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import dev.gafail.lab.edge.Edge;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * CloudWatch, answered from what the lab measures: replication lag (Aurora's RPO lag), the edge's
 * requests and 5xx per region (the load balancers' metrics), and one alarm per region on the 5xx.
 */
final class LabCloudWatch implements AwsService {

    private static final String ALARM = "lab-5xx";
    private static final int ALARM_5XX = 5;
    /** A high-resolution alarm's period: the lab's alarms clear in lab time, as its holds are short. */
    private static final Duration ALARM_PERIOD = Duration.ofSeconds(10);

    private final LabRegions lab;
    private final Edge edge;

    LabCloudWatch(LabRegions lab) {
        this.lab = lab;
        this.edge = lab.edge();
    }

    @Override
    public ServiceShape shape() {
        return ServiceShape.CLOUDWATCH;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        return switch (request.operation()) {
            case "GetMetricData" -> getMetricData(request);
            case "GetMetricStatistics" -> getMetricStatistics(request);
            case "DescribeAlarms" -> describeAlarms(request);
            case "PutMetricData" -> JsonNodeFactory.instance.objectNode();
            default -> throw request.unknownOperation();
        };
    }

    private ObjectNode getMetricData(AwsRequest request) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode results = out.putArray("MetricDataResults");
        for (JsonNode query : request.path("MetricDataQueries")) {
            JsonNode stat = query.path("MetricStat");
            String name = stat.path("Metric").path("MetricName").asString("");
            String dimension = stat.path("Metric").path("Dimensions").path(0).path("Value").asString("");
            ObjectNode result = results.addObject().put("Id", query.path("Id").asString(""))
                    .put("StatusCode", "Complete");
            metric(name, dimension, stat.path("Period").asInt(60)).ifPresent(value -> {
                result.putArray("Timestamps").addPOJO(Instant.now());
                result.putArray("Values").add(value);
            });
        }
        return out;
    }

    /**
     * GetMetricStatistics: one datapoint, now, carrying each requested statistic (the lab keeps no
     * history; a sum over the period and the latest value are what gafail and the AWS CLI ask for).
     */
    private ObjectNode getMetricStatistics(AwsRequest request) {
        String name = request.text("MetricName");
        String dimension = request.path("Dimensions").path(0).path("Value").asString("");
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("Label", name);
        ArrayNode points = out.putArray("Datapoints");
        metric(name, dimension, request.path("Period").asInt(60)).ifPresent(value -> {
            ObjectNode point = points.addObject().putPOJO("Timestamp", Instant.now());
            for (JsonNode statistic : request.path("Statistics")) {
                point.put(statistic.asString(), statistic.asString().equals("SampleCount") ? 1 : value);
            }
            point.put("Unit", name.startsWith("Aurora") ? "Milliseconds" : "Count");
        });
        return out;
    }

    /** A metric the lab measures, for its dimension's value, over the last {@code period} seconds; empty if none. */
    private Optional<Long> metric(String name, String dimension, int period) {
        return switch (name) {
            case "AuroraGlobalDBRPOLag" -> lag(dimension);
            case "RequestCount", "HTTPCode_Target_5XX_Count" -> loadBalancerRegion(dimension).map(r -> edge.recent(r,
                    name.startsWith("HTTPCode"), Duration.ofSeconds(period)));
            default -> Optional.empty();
        };
    }

    private Optional<Long> lag(String clusterId) {
        Optional<String> region = lab.regions().stream().filter(r -> ("lab-" + r).equals(clusterId)).findFirst();
        if (region.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong lag = lab.replicationLagMillis(region.get());
        return lag.isPresent() ? Optional.of(lag.getAsLong()) : Optional.empty();
    }

    /** The region of a load balancer dimension, {@code app/lab-region-a/lab}. */
    private Optional<String> loadBalancerRegion(String dimension) {
        return lab.regions().stream().filter(r -> ("app/lab-" + r + "/lab").equals(dimension)).findFirst();
    }

    /**
     * {@code lab-5xx}, in each region: ALARM when its load balancer answered {@value #ALARM_5XX} or more
     * 5xx in the last 10 s, as a CloudWatch alarm on {@code HTTPCode_Target_5XX_Count} (Sum, 10 s) would.
     * Filtered as DescribeAlarms filters: by name or prefix (every alarm without either) and by state. It
     * notifies the region's SNS topic.
     */
    private ObjectNode describeAlarms(AwsRequest request) {
        boolean named = StreamSupport.stream(request.path("AlarmNames").spliterator(), false)
                .anyMatch(n -> n.asString().equals(ALARM));
        boolean prefixed = request.input().has("AlarmNamePrefix") && ALARM.startsWith(request.text("AlarmNamePrefix"));
        boolean unfiltered = !request.input().has("AlarmNames") && !request.input().has("AlarmNamePrefix");
        boolean wanted = named || prefixed || unfiltered;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode alarms = out.putArray("MetricAlarms");
        Optional<String> region = LabResources.labRegion(request.region());
        if (wanted && region.isPresent()) {
            long errors = edge.recent(region.get(), true, ALARM_PERIOD);
            String state = errors >= ALARM_5XX ? "ALARM" : "OK";
            if (request.input().has("StateValue") && !request.text("StateValue").equals(state)) {
                return out;
            }
            ObjectNode alarm = alarms.addObject().put("AlarmName", ALARM).put("StateValue", state)
                    .put("StateReason", errors + " 5xx in the last " + ALARM_PERIOD.toSeconds() + " s (threshold "
                            + ALARM_5XX + ")")
                    .put("Namespace", "AWS/ApplicationELB").put("MetricName", "HTTPCode_Target_5XX_Count")
                    .put("ActionsEnabled", true);
            alarm.putArray("AlarmActions").add(LabResources.topicArn(region.get()));
        }
        return out;
    }
}
