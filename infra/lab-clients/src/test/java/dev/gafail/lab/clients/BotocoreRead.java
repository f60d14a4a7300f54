package dev.gafail.lab.clients;

import dev.gafail.lab.Lab;
import dev.gafail.lab.aws.LabResources;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One read of the lab by a botocore client (the AWS CLIs, boto3): the service and operation as
 * botocore names them, the AWS region it is signed for and the port it goes to, its input in
 * botocore's shape (what {@code --cli-input-json} and boto3's keyword arguments take), and the facts
 * its output states. A refused call's output is {@code {"Error": {"Code": ...}}}.
 */
record BotocoreRead(String service, String operation, String awsRegion, String endpoint, ObjectNode input,
                    Function<JsonNode, Map<String, String>> facts) {

    private static final String API = "api";

    /** Every read, of both regions, as each botocore client makes them. */
    static List<BotocoreRead> of(Lab lab) {
        List<BotocoreRead> reads = new ArrayList<>();
        Lab.AcceleratorStatus accelerator = lab.status().accelerator();
        Instant now = Instant.now();
        for (String region : Lab.REGIONS) {
            String awsRegion = LabResources.AWS_REGIONS.get(region);
            String endpoint = lab.awsEndpoint(awsRegion);
            reads.add(new BotocoreRead("cloudwatch", "DescribeAlarms", awsRegion, endpoint, object(), out ->
                    Map.of(Facts.alarm(awsRegion), out.at("/MetricAlarms/0/StateValue").asString("none"))));
            reads.add(new BotocoreRead("cloudwatch", "GetMetricData", awsRegion, endpoint,
                    requestCount(region, now), out -> {
                        JsonNode result = out.at("/MetricDataResults/0");
                        return Map.of(Facts.requests(region), String.valueOf(result.at("/Values/0").asLong()),
                                Facts.requestsAt(region), Facts.recency(time(result.at("/Timestamps/0"))));
                    }));
            ObjectNode services = object().put("cluster", "lab");
            services.putArray("services").add(API);
            reads.add(new BotocoreRead("ecs", "DescribeServices", awsRegion, endpoint, services, out -> {
                JsonNode service = out.at("/services/0");
                return Map.of(Facts.ecs(region), service.path("runningCount").asInt() + "/"
                        + service.path("desiredCount").asInt() + " "
                        + service.at("/deployments/0/rolloutState").asString());
            }));
            reads.add(new BotocoreRead("globalaccelerator", "DescribeEndpointGroup", accelerator.region(),
                    accelerator.url(), object().put("EndpointGroupArn", LabResources.endpointGroupArn(region)),
                    out -> Map.of(Facts.dial(region), String.valueOf(out.at("/EndpointGroup/TrafficDialPercentage")
                            .asInt()))));
        }
        String east = lab.awsEndpoint("us-east-1");
        reads.add(new BotocoreRead("rds", "DescribeGlobalClusters", "us-east-1", east, object(), out -> {
            for (JsonNode member : out.at("/GlobalClusters/0/GlobalClusterMembers")) {
                if (member.path("IsWriter").asBoolean()) {
                    return Map.of(Facts.WRITER, Facts.clusterRegion(member.path("DBClusterArn").asString()));
                }
            }
            return Map.of(Facts.WRITER, "none");
        }));
        reads.add(new BotocoreRead("sts", "GetCallerIdentity", "us-east-1", east, object(),
                out -> Map.of(Facts.ACCOUNT, out.path("Account").asString())));
        reads.add(new BotocoreRead("sts", "GetCallerIdentity", "us-east-1", lab.awsEndpoint("us-west-2"), object(),
                out -> Map.of(Facts.REFUSED, out.at("/Error/Code").asString("not refused"))));
        return reads;
    }

    /** GetMetricData of the region's load balancer: its RequestCount summed over the last hour (the lab's life). */
    private static ObjectNode requestCount(String region, Instant now) {
        ObjectNode input = object().put("StartTime", now.minus(Duration.ofHours(1)).toString())
                .put("EndTime", now.plus(Duration.ofMinutes(1)).toString());
        ObjectNode stat = input.putArray("MetricDataQueries").addObject().put("Id", "requests").putObject("MetricStat");
        ObjectNode metric = stat.put("Period", 3600).put("Stat", "Sum").putObject("Metric")
                .put("Namespace", "AWS/ApplicationELB").put("MetricName", "RequestCount");
        metric.putArray("Dimensions").addObject().put("Name", "LoadBalancer").put("Value", "app/lab-" + region + "/lab");
        return input;
    }

    /**
     * A timestamp as botocore clients print it: ISO 8601 (boto3 here, the AWS CLI v2), or as it came
     * on the wire (the AWS CLI v1's default {@code cli_timestamp_format}: epoch seconds in AWS JSON).
     */
    private static Instant time(JsonNode printed) {
        return printed.isNumber() ? Instant.ofEpochMilli(Math.round(printed.asDouble() * 1000))
                : OffsetDateTime.parse(printed.asString()).toInstant();
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
