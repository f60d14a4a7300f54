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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code gafail.yaml} into a {@link Topology}, or reports every problem in it at once, with
 * line and column: YAML, then the JSON Schema, then what the schema cannot say (one account, the
 * database clusters in their regions, the endpoint groups under the accelerator).
 */
public final class TopologyLoader {

    private static final String SHAPE = "a topology is a YAML mapping with apiVersion, kind, metadata, endpoint,"
            + " accelerator, globalDatabase and regions";
    /** The kinds of notification sink, as the file names them. */
    private static final List<String> SINK_KINDS = List.of("slack", "webhook", "sns");

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
        for (String key : root.path("slo").propertyNames()) {
            if (!key.equals(DEFAULT_SLO) && !root.path("regions").has(key)) {
                problems.add(tree.problem("/slo/" + key, "no region '" + key + "' in this topology; slo's keys are"
                        + " its regions (" + String.join(", ", root.path("regions").propertyNames()) + ") or "
                        + DEFAULT_SLO));
            }
        }
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
        checkNotifications(tree, problems);
    }

    /**
     * What the schema leaves to this: one kind per sink, no URL written inline (the schema lets a string
     * through so that this can say so without echoing it), names that tell sinks apart, SNS topics keyed
     * by the topology's regions and living in them.
     */
    private static void checkNotifications(PositionedTree tree, List<Problem> problems) {
        JsonNode root = tree.root();
        JsonNode sinks = root.path("notifications");
        List<String> names = sinkNames(sinks);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < sinks.size(); i++) {
            String at = "/notifications/" + i;
            JsonNode sink = sinks.get(i);
            List<String> kinds = SINK_KINDS.stream().filter(sink::has).toList();
            if (kinds.size() != 1) {
                problems.add(tree.problem(at, "a notification names exactly one of slack, webhook or sns"
                        + (kinds.isEmpty() ? "" : ", not " + String.join(" and ", kinds))));
                continue;
            }
            String kind = kinds.get(0);
            String url = at + "/" + kind + "/" + (kind.equals("slack") ? "webhook" : "url");
            if (!kind.equals("sns") && root.at(url).isString()) {
                problems.add(tree.problem(url, "a webhook URL is a secret:"
                        + " name where to read it, {env: NAME}, {file: PATH} or {ssm: NAME}, never the URL itself"));
            }
            Integer other = seen.putIfAbsent(names.get(i), i);
            if (other != null) {
                problems.add(tree.problem(sink.has("name") ? at + "/name" : at, "notifications " + (other + 1)
                        + " and " + (i + 1) + " are both named " + names.get(i) + "; give one a name of its own"));
            }
            for (Map.Entry<String, JsonNode> topic : sink.at("/sns/topics").properties()) {
                String pointer = at + "/sns/topics/" + topic.getKey();
                JsonNode region = root.path("regions").path(topic.getKey());
                if (region.isMissingNode()) {
                    problems.add(new Problem(tree.keyAt(pointer), "no region '" + topic.getKey()
                            + "' in this topology; its regions are "
                            + String.join(", ", root.path("regions").propertyNames()), pointer));
                } else if (!Arns.region(topic.getValue().asString()).equals(region.path("awsRegion").asString())) {
                    problems.add(tree.problem(pointer, "topic is in " + Arns.region(topic.getValue().asString())
                            + ", but " + topic.getKey() + "'s awsRegion is " + region.path("awsRegion").asString()
                            + "; a region's messages go through its own SNS"));
                }
            }
        }
    }

    /** Each sink's name: its own, else its kind, numbered from the second of that kind ({@code slack-2}). */
    private static List<String> sinkNames(JsonNode sinks) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> unnamed = new HashMap<>();
        for (JsonNode sink : sinks) {
            String kind = SINK_KINDS.stream().filter(sink::has).findFirst().orElse("notification");
            int n = unnamed.merge(kind, 1, Integer::sum);
            names.add(sink.has("name") ? sink.path("name").asString() : n == 1 ? kind : kind + "-" + n);
        }
        return names;
    }

    /**
     * What the schema's pattern (http or https, then an authority) lets through and the HTTP clients
     * would refuse later: no host, or a port outside 1-65535 ({@code :999999}, {@code :0}).
     */
    public static Optional<String> urlProblem(String text) {
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
                    URI.create(r.path("healthz").asString()), experiments(r.path("experiments")),
                    r.has("dataApi") ? new Region.DataApi(r.path("dataApi").path("secretArn").asString(),
                            r.path("dataApi").path("database").asString()) : null));
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
                root.path("globalDatabase").asString(), root.path("writerEndpoint").asBoolean(false), regions, alarms, endpoints,
                parameters, stateBucket(root.at("/state/s3")), ApprovalPolicy.at(tree, "/approvals"),
                notifications(tree), slo(root, regions.keySet()), recovery(root.path("recovery")));
    }

    /** The file's {@code default} objective, if any. */
    private static final String DEFAULT_SLO = "default";

    /** Each region's SLO: its own entry, else the default; the schema has checked the values. */
    private static Map<String, Targets.Slo> slo(JsonNode root, Set<String> regions) {
        Map<String, Targets.Slo> out = new LinkedHashMap<>();
        JsonNode slo = root.path("slo");
        for (String region : regions) {
            JsonNode entry = slo.has(region) ? slo.path(region) : slo.path(DEFAULT_SLO);
            if (!entry.isMissingNode()) {
                out.put(region, new Targets.Slo(entry.has("availability") ? entry.path("availability").asDouble() : null,
                        duration(entry.path("p95")), duration(entry.path("p99")),
                        entry.has("errorRate") ? entry.path("errorRate").asDouble() : null,
                        entry.has("window") ? duration(entry.path("window")) : Targets.Slo.DEFAULT_WINDOW,
                        entry.path("minSamples").asInt(Targets.Slo.DEFAULT_MIN_SAMPLES)));
            }
        }
        return out;
    }

    private static Targets.Recovery recovery(JsonNode recovery) {
        return recovery.isMissingNode() ? null : new Targets.Recovery(duration(recovery.path("rto")),
                duration(recovery.path("rpo")), recovery.path("owner").asString());
    }

    /** A duration the schema has checked; null when absent. */
    private static Duration duration(JsonNode text) {
        return text.isMissingNode() ? null : Durations.parse(text.asString()).orElseThrow();
    }

    private static List<Notifications.Sink> notifications(PositionedTree tree) {
        JsonNode sinks = tree.root().path("notifications");
        List<String> names = sinkNames(sinks);
        List<Notifications.Sink> out = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            JsonNode sink = sinks.get(i);
            Notifications.Kind kind = sink.has("slack") ? Notifications.Kind.SLACK
                    : sink.has("webhook") ? Notifications.Kind.WEBHOOK : Notifications.Kind.SNS;
            Map<String, String> topics = new LinkedHashMap<>();
            sink.at("/sns/topics").properties().forEach(t -> topics.put(t.getKey(), t.getValue().asString()));
            List<String> events = new ArrayList<>();
            sink.path("events").forEach(e -> events.add(e.asString()));
            JsonNode url = sink.at(kind == Notifications.Kind.SLACK ? "/slack/webhook" : "/webhook/url");
            out.add(new Notifications.Sink(names.get(i), kind, url.isObject() ? secret(tree.file(), url) : null, topics,
                    events, sink.path("dryRuns").asBoolean(false)));
        }
        return out;
    }

    /** Where a secret is read; a relative file is the topology file's neighbour, wherever gafail runs. */
    private static Notifications.Secret secret(String topologyFile, JsonNode secret) {
        Map.Entry<String, JsonNode> only = secret.properties().iterator().next();
        Notifications.Secret.Source source = Notifications.Secret.Source.valueOf(only.getKey().toUpperCase(Locale.ROOT));
        String name = only.getValue().asString();
        if (source == Notifications.Secret.Source.FILE) {
            Path parent = Path.of(topologyFile).toAbsolutePath().getParent();
            name = parent == null ? name : parent.resolve(name).normalize().toString();
        }
        return new Notifications.Secret(source, name);
    }

    private static Map<String, String> experiments(JsonNode experiments) {
        Map<String, String> out = new LinkedHashMap<>();
        experiments.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        return out;
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
