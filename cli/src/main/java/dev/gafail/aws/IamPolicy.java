package dev.gafail.aws;

import dev.gafail.topology.Arns;
import dev.gafail.topology.StateBucket;
import dev.gafail.topology.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A least-privilege IAM policy for a set of IAM actions: each scoped to the topology's resources
 * where the API allows it (CloudWatch's GetMetricData and PutMetricData allow none), statements
 * grouped by the resources they share; and, when the topology keeps its state in S3, what gafail's
 * state calls need in that bucket, under its prefix only. Never an action wildcard.
 */
public final class IamPolicy {

    /**
     * What the S3 state calls need on the objects under the prefix: GetObject also for HeadObject and
     * for a DeleteObject conditional on an ETag; PutObject also for conditional writes (If-None-Match,
     * If-Match), which need no action of their own; DeleteObject for releasing the lock.
     */
    public static final List<String> STATE_OBJECT_ACTIONS = List.of("s3:DeleteObject", "s3:GetObject",
            "s3:PutObject");
    /** ListObjectsV2 under the prefix; it also lets S3 answer a read of a missing object 404, not 403. */
    public static final String STATE_LIST_ACTION = "s3:ListBucket";

    private IamPolicy() {
    }

    /**
     * What the policy's resources are built from: a topology's names, or (for infrastructure code
     * that has not been deployed yet) placeholders that resolve to them, since nothing here parses them.
     *
     * @param state the bucket of the team's state, or null when it is kept in a local folder
     */
    public record Scope(String partition, String account, String acceleratorArn, String globalDatabase,
                        List<RegionScope> regions, List<String> alarms, StateBucket state) {

        public Scope {
            regions = List.copyOf(regions);
            alarms = List.copyOf(alarms);
        }

        public static Scope of(Topology topology) {
            return new Scope(Arns.partition(topology.acceleratorArn()), topology.account(), topology.acceleratorArn(),
                    topology.globalDatabase(), topology.regions().values().stream().map(r -> new RegionScope(
                            r.awsRegion(), r.endpointGroupArn(), r.dbClusterArn(), r.ecs().cluster(),
                            r.ecs().service())).toList(), topology.alarms(), topology.stateBucket().orElse(null));
        }
    }

    /** One region's resources, by the names gafail acts on. */
    public record RegionScope(String awsRegion, String endpointGroupArn, String dbClusterArn, String ecsCluster,
                              String ecsService) {
    }

    /** The policy document; without a topology, every resource is {@code *}. */
    public static Map<String, Object> document(Collection<String> actions, Topology topology) {
        return document(actions, topology == null ? null : Scope.of(topology));
    }

    /** The policy document for {@code scope}; without one, every resource is {@code *}. */
    public static Map<String, Object> document(Collection<String> actions, Scope scope) {
        Map<List<String>, TreeSet<String>> byResources = new LinkedHashMap<>();
        for (String action : new TreeSet<>(actions)) {
            List<String> resources = scope == null ? List.of("*") : resources(action, scope);
            byResources.computeIfAbsent(resources, r -> new TreeSet<>()).add(action);
        }
        List<Map<String, Object>> statements = new ArrayList<>();
        byResources.forEach((resources, grouped) -> {
            Map<String, Object> statement = new LinkedHashMap<>();
            statement.put("Sid", sid(grouped.first(), statements.size()));
            statement.put("Effect", "Allow");
            statement.put("Action", List.copyOf(grouped));
            statement.put("Resource", resources.size() == 1 ? resources.get(0) : resources);
            statements.add(statement);
        });
        if (scope != null && scope.state() != null) {
            statements.addAll(stateStatements(scope.partition(), scope.state()));
        }
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", statements);
        return policy;
    }

    /** The ARNs {@code action} may act on in {@code scope}. */
    static List<String> resources(String action, Scope scope) {
        String account = scope.account();
        String partition = scope.partition();
        List<String> out = new ArrayList<>();
        String globalCluster = "arn:" + partition + ":rds::" + account + ":global-cluster:" + scope.globalDatabase();
        for (RegionScope r : scope.regions()) {
            switch (action) {
                case "globalaccelerator:DescribeEndpointGroup", "globalaccelerator:UpdateEndpointGroup" ->
                        out.add(r.endpointGroupArn());
                case "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster" -> out.add(r.dbClusterArn());
                case "ecs:DescribeServices", "ecs:UpdateService" -> out.add("arn:" + partition + ":ecs:" + r.awsRegion()
                        + ":" + account + ":service/" + r.ecsCluster() + "/" + r.ecsService());
                case "cloudwatch:DescribeAlarms" -> {
                    String prefix = "arn:" + partition + ":cloudwatch:" + r.awsRegion() + ":" + account + ":alarm:";
                    if (scope.alarms().isEmpty()) {
                        out.add(prefix + "*");
                    }
                    scope.alarms().forEach(a -> out.add(prefix + a));
                }
                default -> { }
            }
        }
        switch (action) {
            case "globalaccelerator:DescribeAccelerator" -> out.add(scope.acceleratorArn());
            case "rds:DescribeGlobalClusters" -> out.add(globalCluster);
            case "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster" -> out.add(0, globalCluster);
            default -> { }
        }
        return out.isEmpty() ? List.of("*") : out;
    }

    /**
     * The objects under the state prefix, and listing the bucket limited to that prefix. Without a
     * prefix the bucket is gafail's alone, and a listing with no prefix (s3:prefix absent, which
     * StringLike would refuse) stays allowed.
     */
    private static List<Map<String, Object>> stateStatements(String partition, StateBucket state) {
        String bucket = "arn:" + partition + ":s3:::" + state.bucket();
        String prefix = literal(state.prefix());
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("Sid", "GafailStateObjects");
        objects.put("Effect", "Allow");
        objects.put("Action", STATE_OBJECT_ACTIONS);
        objects.put("Resource", bucket + "/" + prefix + "*");
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("Sid", "GafailStateList");
        list.put("Effect", "Allow");
        list.put("Action", List.of(STATE_LIST_ACTION));
        list.put("Resource", bucket);
        if (!state.prefix().isEmpty()) {
            list.put("Condition", Map.of("StringLike", Map.of("s3:prefix", prefix + "*")));
        }
        return List.of(objects, list);
    }

    /** {@code text} matched as written: IAM's wildcards and '$' as the policy variables that stand for them. */
    private static String literal(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c == '*' || c == '?' || c == '$' ? "${" + c + "}" : String.valueOf(c));
        }
        return out.toString();
    }

    private static String sid(String action, int index) {
        String service = action.substring(0, action.indexOf(':'));
        return "Gafail" + Character.toUpperCase(service.charAt(0)) + service.substring(1) + (index + 1);
    }
}
