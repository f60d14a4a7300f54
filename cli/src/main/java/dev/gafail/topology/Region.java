package dev.gafail.topology;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One of the two regions: where it is at AWS, its accelerator endpoint group, its Aurora cluster
 * (a member of the global database), its ECS service and its health URL.
 *
 * @param experiments the AWS FIS experiment templates in this region's FIS, by scenario name
 */
public record Region(String name, String awsRegion, String endpointGroupArn, String dbClusterArn, EcsService ecs,
                     URI healthz, Map<String, String> experiments) {

    public Region {
        experiments = Collections.unmodifiableMap(new LinkedHashMap<>(experiments));
    }

    /** The Aurora cluster's identifier, the last part of its ARN. */
    public String dbClusterId() {
        return Arns.resource(dbClusterArn);
    }

    Map<String, Object> variables() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("awsRegion", awsRegion);
        out.put("endpointGroupArn", endpointGroupArn);
        out.put("dbClusterArn", dbClusterArn);
        out.put("ecs", Map.of("cluster", ecs.cluster(), "service", ecs.service(), "activeCount", ecs.activeCount(),
                "warmCount", ecs.warmCount()));
        out.put("healthz", healthz.toString());
        out.put("experiments", experiments);
        return out;
    }

    /** The region's ECS service and its two sizes: taking traffic, and warm (standing by). */
    public record EcsService(String cluster, String service, int activeCount, int warmCount) {
    }
}
