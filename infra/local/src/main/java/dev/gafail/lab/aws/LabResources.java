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
    /** The role every caller of the lab acts as (each access key a session of its own), and its unique id. */
    public static final String OPERATOR_ROLE = "gafail-operator";
    static final String OPERATOR_ROLE_ID = "AROALABGAFAILOPERATOR";
    /**
     * The file in the lab's folder that holds the operator role's policy, which the lab's IAM simulates:
     * what {@code gafail iam-policy} generates for the bundled runbooks on the lab ({@link OperatorPolicySource}).
     */
    public static final String OPERATOR_POLICY = "operator-policy.json";
    /** The Fargate vCPUs the lab's account may run in each region: its 16 tasks of a quarter vCPU each. */
    static final double FARGATE_VCPUS = 4;
    /** Each region's ECS task definition: a quarter vCPU (256 CPU units), as infra/aws's. */
    static final String TASK_CPU = "256";
    /** The addresses each of a region's subnets has for tasks (a /24 less AWS's five). */
    static final int SUBNET_ADDRESSES = 251;
    /** The Aurora engine version both clusters run, and the class of their one instance each. */
    static final String ENGINE_VERSION = "16.4";
    /** How many days of backups each cluster keeps: Aurora's least (the lab keeps its archive while it runs). */
    static final int BACKUP_RETENTION_DAYS = 1;
    static final String INSTANCE_CLASS = "db.r6g.large";
    /** The database the sample API keeps its notes in, on each cluster: the Data API's default. */
    public static final String DATABASE = "notes";
    /** The subnet group and security group of the clusters, which a restore takes from its source. */
    static final String DB_SUBNET_GROUP = "lab-db";
    static final String DB_SECURITY_GROUP = "sg-0labdb0001";
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

    public static String operatorRoleArn() {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + OPERATOR_ROLE;
    }

    /** The two subnets of {@code region}'s service, one per availability zone. */
    static List<String> subnets(String region) {
        String letter = region.substring(region.length() - 1);
        return List.of("subnet-0lab" + letter + "0001", "subnet-0lab" + letter + "0002");
    }

    /** The one instance of {@code region}'s cluster. */
    static String instanceId(String region) {
        return "lab-" + region + "-1";
    }

    public static String endpointGroupArn(String region) {
        return ACCELERATOR + "/listener/lab/endpoint-group/" + region;
    }

    public static String clusterArn(String region) {
        return "arn:aws:rds:" + AWS_REGIONS.get(region) + ":" + ACCOUNT + ":cluster:lab-" + region;
    }

    /** The lab region whose member cluster {@code named} names, by its id or its ARN; empty for any other name. */
    static Optional<String> memberNamed(String named) {
        return AWS_REGIONS.keySet().stream().filter(r -> named.equals("lab-" + r) || named.equals(clusterArn(r)))
                .findFirst();
    }

    /**
     * The Secrets Manager secret the Data API signs in to {@code region}'s cluster with: the lab's database takes
     * any, but the topology names one as at AWS, where each region's secret lives in that region.
     */
    public static String dataApiSecretArn(String region) {
        return "arn:aws:secretsmanager:" + AWS_REGIONS.get(region) + ":" + ACCOUNT + ":secret:lab-db-" + region;
    }
}
