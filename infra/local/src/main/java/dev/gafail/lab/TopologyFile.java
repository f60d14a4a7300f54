package dev.gafail.lab;

import java.util.Map;

/**
 * The lab's {@code gafail.yaml}, in the topology format gafail documents (docs/TOPOLOGY.md),
 * written here without depending on gafail's code: resource names in the lab's pretend account,
 * the edge as the accelerator endpoint, each region's load balancer as its health URL.
 */
final class TopologyFile {

    static final String ACCOUNT = "000000000000";
    static final String ACCELERATOR = "arn:aws:globalaccelerator::" + ACCOUNT + ":accelerator/gafail-lab";
    static final Map<String, String> AWS_REGIONS = Map.of("region-a", "us-east-1", "region-b", "us-west-2");

    private TopologyFile() {
    }

    static String endpointGroupArn(String region) {
        return ACCELERATOR + "/listener/lab/endpoint-group/" + region;
    }

    static String clusterArn(String region) {
        return "arn:aws:rds:" + AWS_REGIONS.get(region) + ":" + ACCOUNT + ":cluster:lab-" + region;
    }

    static String text(int edgePort, Map<String, Integer> regionPorts, int active, int warm) {
        StringBuilder yaml = new StringBuilder("""
                # Written by `gafail lab up`: the lab's two regions on this machine.
                apiVersion: gafail.dev/v1
                kind: Topology
                metadata: {name: lab}
                endpoint: http://127.0.0.1:%d
                accelerator: {arn: "%s"}
                globalDatabase: lab-global
                alarms: [lab-5xx]
                regions:
                """.formatted(edgePort, ACCELERATOR));
        regionPorts.forEach((region, port) -> yaml.append("""
                  %s:
                    awsRegion: %s
                    endpointGroupArn: "%s"
                    dbClusterArn: "%s"
                    ecs: {cluster: lab, service: api, activeCount: %d, warmCount: %d}
                    healthz: http://127.0.0.1:%d/healthz
                """.formatted(region, AWS_REGIONS.get(region), endpointGroupArn(region), clusterArn(region), active,
                warm, port)));
        return yaml.toString();
    }
}
