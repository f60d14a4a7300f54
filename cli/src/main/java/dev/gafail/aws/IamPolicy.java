package dev.gafail.aws;

import dev.gafail.topology.Arns;
import dev.gafail.topology.Region;
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
 * grouped by the resources they share. Never an action wildcard.
 */
public final class IamPolicy {

    private IamPolicy() {
    }

    /** The policy document; without a topology, every resource is {@code *}. */
    public static Map<String, Object> document(Collection<String> actions, Topology topology) {
        Map<List<String>, TreeSet<String>> byResources = new LinkedHashMap<>();
        for (String action : new TreeSet<>(actions)) {
            List<String> resources = topology == null ? List.of("*") : resources(action, topology);
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
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", statements);
        return policy;
    }

    /** The ARNs {@code action} may act on in {@code topology}. */
    static List<String> resources(String action, Topology topology) {
        String account = topology.account();
        String partition = Arns.partition(topology.acceleratorArn());
        List<String> out = new ArrayList<>();
        String globalCluster = "arn:" + partition + ":rds::" + account + ":global-cluster:" + topology.globalDatabase();
        for (Region r : topology.regions().values()) {
            switch (action) {
                case "globalaccelerator:DescribeEndpointGroup", "globalaccelerator:UpdateEndpointGroup" ->
                        out.add(r.endpointGroupArn());
                case "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster" -> out.add(r.dbClusterArn());
                case "ecs:DescribeServices", "ecs:UpdateService" -> out.add("arn:" + partition + ":ecs:" + r.awsRegion()
                        + ":" + account + ":service/" + r.ecs().cluster() + "/" + r.ecs().service());
                case "cloudwatch:DescribeAlarms" -> {
                    String prefix = "arn:" + partition + ":cloudwatch:" + r.awsRegion() + ":" + account + ":alarm:";
                    if (topology.alarms().isEmpty()) {
                        out.add(prefix + "*");
                    }
                    topology.alarms().forEach(a -> out.add(prefix + a));
                }
                default -> { }
            }
        }
        switch (action) {
            case "globalaccelerator:DescribeAccelerator" -> out.add(topology.acceleratorArn());
            case "rds:DescribeGlobalClusters" -> out.add(globalCluster);
            case "rds:SwitchoverGlobalCluster", "rds:FailoverGlobalCluster" -> out.add(0, globalCluster);
            default -> { }
        }
        return out.isEmpty() ? List.of("*") : out;
    }

    private static String sid(String action, int index) {
        String service = action.substring(0, action.indexOf(':'));
        return "Gafail" + Character.toUpperCase(service.charAt(0)) + service.substring(1) + (index + 1);
    }
}
