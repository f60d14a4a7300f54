package dev.gafail.lab.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names the lab's AWS resources go by: its pretend account, its accelerator and clusters, its AWS
 * regions, its FIS experiment templates and SNS topics.
 */
public final class LabResources {

    public static final String ACCOUNT = "000000000000";
    public static final String ACCELERATOR = "arn:aws:globalaccelerator::" + ACCOUNT + ":accelerator/gafail-lab";
    /** The Aurora global database's identifier, its clusters' ECS cluster and service names (the same in both regions). */
    public static final String GLOBAL_DATABASE = "lab-global";
    public static final String ECS_CLUSTER = "lab";
    public static final String ECS_SERVICE = "api";
    public static final Map<String, String> AWS_REGIONS = Map.of("region-a", "us-east-1", "region-b", "us-west-2");
    /**
     * The bucket of the team's state (lock, journals, audit trail), its key prefix, and its AWS region:
     * a third one, neither region-a's nor region-b's, so that it outlives the loss of either.
     */
    public static final String STATE_BUCKET = "gafail";
    public static final String STATE_PREFIX = "lab/";
    public static final String STATE_REGION = "us-east-2";

    /**
     * The scenarios of the FIS experiment templates in each region's FIS: the region's service drained,
     * its database answering slowly, its database's stream to its replica held back, and the other
     * region lost with its APIs (in the region that survives it, whose FIS goes on answering).
     */
    public static final List<String> SCENARIOS = List.of("drain", "dependency-timeout", "replication-stall",
            "peer-loss");
    /** Each scenario's part of a template id, so that an id says its region and scenario. */
    private static final Map<String, String> SCENARIO_IDS = Map.of("drain", "drain0001", "dependency-timeout",
            "deptime01", "replication-stall", "replica01", "peer-loss", "peerloss1");
    /** The name of the SNS topic in each AWS region of the lab. */
    public static final String TOPIC = "gafail-lab";

    private LabResources() {
    }

    /**
     * The id of the experiment template for {@code scenario} in {@code region}'s FIS: fixed, 16
     * characters as FIS's own, region-a's drain {@code EXTlabadrain0001}.
     */
    public static String experimentTemplateId(String region, String scenario) {
        String part = SCENARIO_IDS.get(scenario);
        if (part == null || !AWS_REGIONS.containsKey(region)) {
            throw new IllegalArgumentException("no experiment template for " + scenario + " in " + region);
        }
        return "EXTlab" + region.substring(region.length() - 1) + part;
    }

    /** The lab's SNS topic in {@code region}'s AWS region, the one topic its SNS publishes to. */
    public static String topicArn(String region) {
        return "arn:aws:sns:" + AWS_REGIONS.get(region) + ":" + ACCOUNT + ":" + TOPIC;
    }

    /** The lab region an AWS region stands for, or empty. */
    public static Optional<String> labRegion(String awsRegion) {
        return AWS_REGIONS.entrySet().stream().filter(e -> e.getValue().equals(awsRegion)).map(Map.Entry::getKey)
                .findFirst();
    }

    public static String endpointGroupArn(String region) {
        return ACCELERATOR + "/listener/lab/endpoint-group/" + region;
    }

    public static String clusterArn(String region) {
        return "arn:aws:rds:" + AWS_REGIONS.get(region) + ":" + ACCOUNT + ":cluster:lab-" + region;
    }
}
