package dev.gafail.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outputs that {@code cdk deploy --outputs-file} writes for the infra/aws stacks, as a
 * {@code gafail.yaml}. The output keys are defined here and used by the stacks, so the two cannot
 * drift: the global stack names the accelerator, its endpoint groups and the global database, and whether
 * both regions write through its writer endpoint; each regional stack names its region, database cluster
 * (and the RDS Data API's way in to it), ECS service, health URL and AWS FIS experiment templates; the state
 * stack, when deployed, the bucket of the team's state.
 */
public final class TopologyImport {

    /** On every stack: the topology's name. */
    public static final String TOPOLOGY = "GafailTopology";
    public static final String ACCELERATOR_ARN = "AcceleratorArn";
    public static final String ACCELERATOR_DNS = "AcceleratorDnsName";
    public static final String GLOBAL_DATABASE = "GlobalDatabase";
    /** On the global stack: {@code true} when both regions write through the global database's writer endpoint. */
    public static final String WRITER_ENDPOINT = "WriterEndpoint";
    /** The alarm names, comma-separated, that gate changes in each region. */
    public static final String ALARMS = "GatingAlarms";
    public static final String REGION = "Region";
    public static final String AWS_REGION = "AwsRegion";
    public static final String DB_CLUSTER_ARN = "DbClusterArn";
    public static final String ECS_CLUSTER = "EcsCluster";
    public static final String ECS_SERVICE = "EcsService";
    public static final String ACTIVE_COUNT = "ActiveCount";
    public static final String WARM_COUNT = "WarmCount";
    public static final String HEALTHZ = "HealthzUrl";
    /** A regional stack's {@code dataApi}: the secret of its cluster's credentials, in its own region, and the database. */
    public static final String DATA_API_SECRET_ARN = "DataApiSecretArn";
    public static final String DATA_API_DATABASE = "DataApiDatabase";
    /** A regional stack's outputs that start with this name an FIS experiment template: {@link #experimentKey}. */
    public static final String EXPERIMENT = "Experiment";
    /** On the state stack: the bucket, key prefix and AWS region of {@code state.s3}. */
    public static final String STATE_BUCKET = "StateBucket";
    public static final String STATE_PREFIX = "StatePrefix";
    public static final String STATE_REGION = "StateRegion";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TopologyImport() {
    }

    /** The global stack's output key for a region's endpoint group: {@code EndpointGroupArnRegionA}. */
    public static String endpointGroupKey(String region) {
        return "EndpointGroupArn" + camel(region);
    }

    /**
     * A regional stack's output key for its FIS experiment template of {@code scenario}:
     * {@code ExperimentDependencyTimeout} for {@code dependency-timeout}. The import turns the key back
     * into the scenario, exactly for names whose every dash is followed by a letter.
     */
    public static String experimentKey(String scenario) {
        return EXPERIMENT + camel(scenario);
    }

    /** {@code region-a} as {@code RegionA}: each dash-separated part capitalized, the dashes dropped. */
    private static String camel(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            if (!part.isEmpty()) {
                out.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return out.toString();
    }

    /** {@code DependencyTimeout} as {@code dependency-timeout}: a dash before each capital but the first. */
    private static String dashed(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c) && !out.isEmpty()) {
                out.append('-');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    /**
     * The topology for the stacks in {@code outputs} ({@code {"StackName": {"Key": "value"}}}).
     *
     * @throws IllegalArgumentException naming the stack and output that is missing or wrong
     */
    public static String yaml(JsonNode outputs) {
        JsonNode global = null;
        JsonNode state = null;
        List<JsonNode> regions = new ArrayList<>();
        List<String> stacks = new ArrayList<>();
        for (Map.Entry<String, JsonNode> stack : outputs.properties()) {
            stacks.add(stack.getKey());
            if (stack.getValue().has(ACCELERATOR_ARN)) {
                global = stack.getValue();
            } else if (stack.getValue().has(REGION)) {
                regions.add(stack.getValue());
            } else if (stack.getValue().has(STATE_BUCKET)) {
                state = stack.getValue();
            }
        }
        if (global == null || regions.size() != 2) {
            throw new IllegalArgumentException("expected the outputs of the global stack (with " + ACCELERATOR_ARN
                    + ") and of two regional stacks (with " + REGION + "); found stacks " + stacks
                    + " (deploy them all with `cdk deploy --all --outputs-file FILE`)");
        }
        StringBuilder yaml = new StringBuilder("# Written by `gafail topology import` from the infra/aws stacks' outputs.\n")
                .append("apiVersion: gafail.dev/v1\nkind: Topology\n")
                .append("metadata: {name: ").append(q(text(global, TOPOLOGY))).append("}\n")
                .append("endpoint: ").append(q("http://" + text(global, ACCELERATOR_DNS))).append('\n')
                .append("accelerator: {arn: ").append(q(text(global, ACCELERATOR_ARN))).append("}\n")
                .append("globalDatabase: ").append(q(text(global, GLOBAL_DATABASE))).append('\n')
                // Stacks deployed before this output existed say nothing: the writer moves first, right either way.
                .append(global.has(WRITER_ENDPOINT) ? "writerEndpoint: " + bool(global, WRITER_ENDPOINT) + "\n" : "")
                .append("alarms: [");
        String alarms = text(global, ALARMS);
        List<String> names = alarms.isBlank() ? List.of() : List.of(alarms.split(","));
        yaml.append(String.join(", ", names.stream().map(String::strip).map(TopologyImport::q).toList()))
                .append("]\nregions:\n");
        for (JsonNode region : regions) {
            String name = text(region, REGION);
            yaml.append("  ").append(name).append(":\n")
                    .append("    awsRegion: ").append(q(text(region, AWS_REGION))).append('\n')
                    .append("    endpointGroupArn: ").append(q(text(global, endpointGroupKey(name)))).append('\n')
                    .append("    dbClusterArn: ").append(q(text(region, DB_CLUSTER_ARN))).append('\n')
                    .append("    ecs: {cluster: ").append(q(text(region, ECS_CLUSTER))).append(", service: ")
                    .append(q(text(region, ECS_SERVICE))).append(", activeCount: ")
                    .append(number(region, ACTIVE_COUNT)).append(", warmCount: ").append(number(region, WARM_COUNT))
                    .append("}\n")
                    .append("    healthz: ").append(q(text(region, HEALTHZ))).append('\n');
            // Stacks deployed before the experiment templates existed have none.
            Map<String, String> experiments = experiments(region);
            if (!experiments.isEmpty()) {
                yaml.append("    experiments: {").append(String.join(", ", experiments.entrySet().stream()
                        .map(e -> q(e.getKey()) + ": " + q(e.getValue())).toList())).append("}\n");
            }
            // Stacks deployed before the Data API was turned on have none.
            if (region.has(DATA_API_SECRET_ARN)) {
                yaml.append("    dataApi: {secretArn: ").append(q(text(region, DATA_API_SECRET_ARN)))
                        .append(", database: ").append(q(text(region, DATA_API_DATABASE))).append("}\n");
            }
        }
        // Without the state stack (deployed before it existed), the state stays in the local folder.
        if (state != null) {
            yaml.append("state: {s3: {bucket: ").append(q(text(state, STATE_BUCKET))).append(", prefix: ")
                    .append(q(text(state, STATE_PREFIX))).append(", region: ").append(q(text(state, STATE_REGION)))
                    .append("}}\n");
        }
        return yaml.toString();
    }

    /** A regional stack's experiment templates, by scenario, in the order of their names. */
    private static Map<String, String> experiments(JsonNode region) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> output : region.properties()) {
            String key = output.getKey();
            if (key.startsWith(EXPERIMENT) && key.length() > EXPERIMENT.length()) {
                out.put(dashed(key.substring(EXPERIMENT.length())), text(region, key));
            }
        }
        return out;
    }

    private static String text(JsonNode stack, String key) {
        JsonNode value = stack.get(key);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("no output " + key + " in the stack that has " + (stack.has(REGION)
                    ? "region " + stack.path(REGION).asString()
                    : stack.has(STATE_BUCKET) ? "the state bucket" : "the accelerator"));
        }
        return value.asString();
    }

    private static int number(JsonNode stack, String key) {
        String text = text(stack, key);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("output " + key + " is '" + text + "', not a whole number");
        }
    }

    private static boolean bool(JsonNode stack, String key) {
        String text = text(stack, key);
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("output " + key + " is '" + text + "', not true or false");
        }
        return Boolean.parseBoolean(text);
    }

    /** A YAML double-quoted scalar (JSON's string syntax is YAML's). */
    private static String q(String text) {
        return JSON.writeValueAsString(text);
    }
}
