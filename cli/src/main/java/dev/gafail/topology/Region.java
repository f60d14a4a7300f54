package dev.gafail.topology;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One of the two regions: where it is at AWS, its accelerator endpoint group, its Aurora cluster
 * (a member of the global database), its ECS service and its health URL.
 *
 * @param experiments the AWS FIS experiment templates in this region's FIS, by scenario name
 * @param dataApi     how the RDS Data API signs in to this region's cluster (and to restores of it); null: not enabled
 */
public record Region(String name, String awsRegion, String endpointGroupArn, String dbClusterArn, EcsService ecs,
                     URI healthz, Map<String, String> experiments, DataApi dataApi) {

    public Region {
        experiments = Collections.unmodifiableMap(new LinkedHashMap<>(experiments));
    }

    /** The Aurora cluster's identifier, the last part of its ARN. */
    public String dbClusterId() {
        return Arns.resource(dbClusterArn);
    }

    /** The Data API's settings for this region's cluster; empty when the topology does not enable it there. */
    public Optional<DataApi> dataApiSettings() {
        return Optional.ofNullable(dataApi);
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
        out.put("dataApi", dataApi == null ? null : Map.of("secretArn", dataApi.secretArn(), "database", dataApi.database()));
        return out;
    }

    /**
     * The RDS Data API's way in to the region's cluster: the Secrets Manager secret of its credentials (in the
     * region's own Secrets Manager) and the database the statements run in.
     */
    public record DataApi(String secretArn, String database) {
    }

    /** The region's ECS service and its two sizes: taking traffic, and warm (standing by). */
    public record EcsService(String cluster, String service, int activeCount, int warmCount) {
    }
}
