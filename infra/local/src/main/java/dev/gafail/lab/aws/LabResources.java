package dev.gafail.lab.aws;

import java.util.Map;
import java.util.Optional;

/** The names the lab's AWS resources go by: its pretend account, its accelerator and clusters, its AWS regions. */
public final class LabResources {

    public static final String ACCOUNT = "000000000000";
    public static final String ACCELERATOR = "arn:aws:globalaccelerator::" + ACCOUNT + ":accelerator/gafail-lab";
    public static final Map<String, String> AWS_REGIONS = Map.of("region-a", "us-east-1", "region-b", "us-west-2");
    /**
     * The bucket of the team's state (lock, journals, audit trail), its key prefix, and its AWS region:
     * a third one, neither region-a's nor region-b's, so that it outlives the loss of either.
     */
    public static final String STATE_BUCKET = "gafail";
    public static final String STATE_PREFIX = "lab/";
    public static final String STATE_REGION = "us-east-2";

    private LabResources() {
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
