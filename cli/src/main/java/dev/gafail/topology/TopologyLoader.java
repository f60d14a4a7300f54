package dev.gafail.topology;

import dev.gafail.runbook.ApprovalPolicy;
import dev.gafail.yaml.Durations;
import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.PositionedTree;
import dev.gafail.yaml.Problem;
import dev.gafail.yaml.SchemaCheckedYaml;
import dev.gafail.yaml.UserFiles;
import dev.gafail.yaml.YamlDocuments;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code gafail.yaml} into a {@link Topology}, or reports every problem in it at once, with
 * line and column: YAML, then the JSON Schema, then what the schema cannot say (one account, the
 * database clusters in their regions, the endpoint groups under the accelerator).
 */
public final class TopologyLoader {

    private static final String SHAPE = "a topology is a YAML mapping with apiVersion, kind, metadata, endpoint,"
            + " accelerator, globalDatabase and regions";

    private final SchemaCheckedYaml yaml = new SchemaCheckedYaml(TopologyLoader.class, "topology.schema.json", SHAPE);

    public Topology load(Path file) throws InvalidFileException {
        return parse(file.toString(), UserFiles.read(file));
    }

    public Topology parse(String file, byte[] bytes) throws InvalidFileException {
        PositionedTree tree = yaml.read(file, bytes);
        List<Problem> problems = new ArrayList<>();
        check(tree, problems);
        if (!problems.isEmpty()) {
            throw YamlDocuments.sorted(problems);
        }
        return bind(tree);
    }

    private static void check(PositionedTree tree, List<Problem> problems) {
        JsonNode root = tree.root();
        List<String> urls = new ArrayList<>(List.of("/endpoint"));
        root.path("regions").propertyNames().forEach(r -> urls.add("/regions/" + r + "/healthz"));
        root.path("endpoints").propertyNames().forEach(e -> urls.add("/endpoints/" + e));
        for (String url : urls) {
            JsonNode value = root.at(url);
            if (value.isString()) {
                urlProblem(value.asString()).ifPresent(why -> problems.add(tree.problem(url, why)));
            }
        }
        String accelerator = root.at("/accelerator/arn").asString();
        String account = Arns.account(accelerator);
        Map<String, String> awsRegions = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.path("regions").properties()) {
            String at = "/regions/" + entry.getKey();
            JsonNode region = entry.getValue();
            String awsRegion = region.path("awsRegion").asString();
            String group = region.path("endpointGroupArn").asString();
            String cluster = region.path("dbClusterArn").asString();
            for (String[] arn : new String[][] {{"endpointGroupArn", group}, {"dbClusterArn", cluster}}) {
                if (!Arns.account(arn[1]).equals(account)) {
                    problems.add(tree.problem(at + "/" + arn[0], "account " + Arns.account(arn[1])
                            + " differs from the accelerator's account " + account + "; one topology is one account"));
                }
            }
            if (!group.startsWith(accelerator + "/listener/")) {
                problems.add(tree.problem(at + "/endpointGroupArn", "not an endpoint group of accelerator "
                        + accelerator));
            }
            if (!Arns.region(cluster).equals(awsRegion)) {
                problems.add(tree.problem(at + "/dbClusterArn", "cluster is in " + Arns.region(cluster)
                        + ", but the region's awsRegion is " + awsRegion));
            }
            String other = awsRegions.put(awsRegion, entry.getKey());
            if (other != null) {
                problems.add(tree.problem(at + "/awsRegion", "regions " + other + " and " + entry.getKey()
                        + " are both in " + awsRegion + "; a global database spans two AWS regions"));
            }
            if (region.at("/ecs/warmCount").asInt() > region.at("/ecs/activeCount").asInt()) {
                problems.add(tree.problem(at + "/ecs/warmCount", "warmCount " + region.at("/ecs/warmCount").asInt()
                        + " is more than activeCount " + region.at("/ecs/activeCount").asInt()));
            }
        }
    }

    /**
     * What the schema's pattern (http or https, then an authority) lets through and the HTTP clients
     * would refuse later: no host, or a port outside 1-65535 ({@code :999999}, {@code :0}).
     */
    static Optional<String> urlProblem(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URL: " + e.getMessage());
        }
        if (uri.getHost() == null) {
            String authority = uri.getRawAuthority();
            return Optional.of(authority == null ? "not a valid URL: it names no host"
                    : "not a valid URL: " + authority + " is not a host with an optional port from 1 to 65535");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return Optional.of("port " + uri.getPort() + " is not between 1 and 65535");
        }
        return Optional.empty();
    }

    private static Topology bind(PositionedTree tree) {
        JsonNode root = tree.root();
        Map<String, Region> regions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.path("regions").properties()) {
            JsonNode r = entry.getValue();
            JsonNode ecs = r.path("ecs");
            regions.put(entry.getKey(), new Region(entry.getKey(), r.path("awsRegion").asString(),
                    r.path("endpointGroupArn").asString(), r.path("dbClusterArn").asString(),
                    new Region.EcsService(ecs.path("cluster").asString(), ecs.path("service").asString(),
                            ecs.path("activeCount").asInt(), ecs.path("warmCount").asInt()),
                    URI.create(r.path("healthz").asString())));
        }
        List<String> alarms = new ArrayList<>();
        root.path("alarms").forEach(a -> alarms.add(a.asString()));
        Map<String, URI> endpoints = new LinkedHashMap<>();
        root.path("endpoints").properties().forEach(e -> endpoints.put(e.getKey(), URI.create(e.getValue().asString())));
        Map<String, String> parameters = new LinkedHashMap<>();
        root.path("parameters").properties().forEach(e -> parameters.put(e.getKey(), e.getValue().asString()));
        return new Topology(tree.file(), root.at("/metadata/name").asString(), URI.create(root.path("endpoint").asString()),
                root.at("/accelerator/arn").asString(),
                root.at("/accelerator/controlPlaneRegion").asString(Topology.DEFAULT_ACCELERATOR_REGION),
                root.path("globalDatabase").asString(), regions, alarms, endpoints,
                parameters, stateBucket(root.at("/state/s3")), ApprovalPolicy.at(tree, "/approvals"));
    }

    private static StateBucket stateBucket(JsonNode s3) {
        return s3.isMissingNode() ? null
                : new StateBucket(s3.path("bucket").asString(), s3.path("prefix").asString(""),
                        s3.path("region").asString(), s3.has("lease") ? Durations.parse(s3.path("lease").asString()).orElseThrow()
                        : StateBucket.DEFAULT_LEASE, auditRetention(s3.path("audit")));
    }

    /** {@code state.s3.audit}, its values checked by the schema already; defaults for what it leaves out. */
    private static StateBucket.AuditRetention auditRetention(JsonNode audit) {
        StateBucket.AuditRetention fallback = StateBucket.AuditRetention.DEFAULT;
        return new StateBucket.AuditRetention(audit.path("mode").asString(fallback.mode()).toUpperCase(Locale.ROOT),
                audit.path("retentionDays").asInt(fallback.days()));
    }
}
