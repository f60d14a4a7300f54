package dev.gafail.lab;

import dev.gafail.lab.aws.ControlPlane;
import dev.gafail.lab.aws.LabResources;
import dev.gafail.lab.edge.Edge;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lab's {@code gafail.yaml}, in the topology format gafail documents (docs/TOPOLOGY.md),
 * written here without depending on gafail's code: resource names in the lab's pretend account,
 * the edge as the accelerator endpoint, each region's load balancer as its health URL, each region's
 * FIS experiment templates by scenario, and, when the lab has an S3, its bucket as the team's state, so
 * that every command on the lab shares it.
 */
public final class TopologyFile {

    private TopologyFile() {
    }

    /**
     * The topology of the lab whose edge and control plane these are, each port read from them.
     *
     * @param s3 the URL of the lab's S3, which holds the team's state; empty: none (the state stays in
     *           gafail's local folder)
     * @param writerEndpoint whether both regions' sample APIs write through the lab's writer endpoint
     */
    static String text(Edge edge, ControlPlane controlPlane, Optional<String> s3, int active, int warm,
                       boolean writerEndpoint) {
        StringBuilder yaml = new StringBuilder("# Written by `gafail lab up`: the lab's two regions on this machine.\n");
        yaml.append(header(edge, controlPlane));
        if (writerEndpoint) {
            yaml.append("""
                    # both regions write through the lab's writer endpoint, which follows the primary: the planned
                    # failover moves the traffic first, then the writer
                    writerEndpoint: true
                    """);
        }
        yaml.append("""
                # the lab's control plane answers the AWS APIs gafail calls (it does not check signatures):
                # each AWS region on a port of its own, Global Accelerator's control plane on one more (in
                # its region), IAM (global) and any other region on the default's
                endpoints:
                  default: "http://127.0.0.1:%d"
                  globalaccelerator: "http://127.0.0.1:%d"
                  iam: "http://127.0.0.1:%d"
                """.formatted(controlPlane.port(), controlPlane.acceleratorPort(), controlPlane.port()));
        for (String region : Lab.REGIONS) {
            yaml.append("  ").append(Lab.awsRegion(region)).append(": \"http://127.0.0.1:")
                    .append(controlPlane.port(Lab.awsRegion(region))).append("\"\n");
        }
        s3.ifPresent(url -> yaml.append("  s3: \"").append(url).append("\"\n"));
        yaml.append("""
                # the lab's edge and database settle in seconds: shorter holds and probes than at AWS
                parameters: {holdFor: 5s, probeInterval: 500ms}
                """);
        s3.ifPresent(url -> yaml.append("""
                # the team's lock, journals and audit trail: in the lab's S3 (Adobe S3Mock, above), in a third
                # AWS region, neither region's, so that they outlive the loss of either; each audit record is
                # retained a day under Object Lock (S3Mock reports the lock, but does not enforce it)
                state: {s3: {bucket: %s, prefix: %s, region: %s, audit: {retentionDays: 1}}}
                """.formatted(LabResources.STATE_BUCKET, LabResources.STATE_PREFIX, LabResources.STATE_REGION)));
        yaml.append(targets()).append("""
                # who is told what executions do: the lab's SNS, one topic per region, published to through the
                # region the execution moves to first; it keeps what it receives (sns-messages.jsonl, lab status)
                notifications:
                  - name: oncall
                    sns: {topics: {%s}}
                """.formatted(String.join(", ", Lab.REGIONS.stream()
                .map(r -> r + ": \"" + LabResources.topicArn(r) + "\"").toList())));
        return yaml.append(regions(edge, active, warm, true)).toString();
    }

    /**
     * The topology of Global Accelerator's control plane alone ({@code gafail lab up --only globalaccelerator}):
     * the accelerator's calls go to the lab; every other AWS call to {@code emulator} (the topology's
     * {@code endpoints.default}). The emulator is to hold the resources named here: the lab's global cluster
     * and clusters, ECS cluster and services, and alarm, in the lab's account (what infra/emulator/seed creates).
     */
    static String acceleratorOnly(Edge edge, ControlPlane controlPlane, String emulator, int active, int warm) {
        StringBuilder yaml = new StringBuilder("""
                # Written by `gafail lab up --only globalaccelerator`: Global Accelerator's control plane on this
                # machine, for an AWS emulator that has every other service gafail calls but not this one.
                """);
        yaml.append(header(edge, controlPlane)).append("""
                # Global Accelerator's calls go to the lab (in its region); every other service's to the emulator
                endpoints:
                  default: "%s"
                  globalaccelerator: "http://127.0.0.1:%d"
                parameters: {holdFor: 5s, probeInterval: 500ms}
                """.formatted(emulator, controlPlane.acceleratorPort()));
        return yaml.append(targets()).append(regions(edge, active, warm, false)).toString();
    }

    private static String header(Edge edge, ControlPlane controlPlane) {
        return """
                apiVersion: gafail.dev/v1
                kind: Topology
                metadata: {name: lab}
                endpoint: http://127.0.0.1:%d
                accelerator: {arn: "%s", controlPlaneRegion: %s}
                globalDatabase: %s
                alarms: [lab-5xx]
                """.formatted(edge.port(), LabResources.ACCELERATOR, controlPlane.acceleratorRegion(),
                LabResources.GLOBAL_DATABASE);
    }

    private static String targets() {
        return """
                # the team's targets, for drills' verdicts: the seed's k6 profile (failed < 2%, p95 < 1200 ms,
                # p99 < 2500 ms), over 30 s windows of at least 50 requests, wide enough for a shared 2-core machine;
                # the RPO an unplanned failover may lose (Aurora global database's typical, under a second; a
                # planned failover is held to none)
                slo:
                  default: {availability: 98, p95: 1200ms, p99: 2500ms, errorRate: 2, window: 30s, minSamples: 50}
                recovery: {rto: 2m, rpo: 1s, owner: lab}
                """;
    }

    /** Each region: its endpoint group, cluster, ECS service, load balancer and, with {@code experiments}, FIS templates. */
    private static String regions(Edge edge, int active, int warm, boolean experiments) {
        Map<String, Integer> regionPorts = new LinkedHashMap<>();
        Lab.REGIONS.forEach(region -> regionPorts.put(region, edge.regionPort(region)));
        StringBuilder yaml = new StringBuilder("regions:\n");
        regionPorts.forEach((region, port) -> {
            yaml.append("""
                      %s:
                        awsRegion: %s
                        endpointGroupArn: "%s"
                        dbClusterArn: "%s"
                        ecs: {cluster: %s, service: %s, activeCount: %d, warmCount: %d}
                        healthz: http://127.0.0.1:%d/healthz
                        dataApi: {secretArn: "%s", database: %s}
                    """.formatted(region, LabResources.AWS_REGIONS.get(region), LabResources.endpointGroupArn(region),
                    LabResources.clusterArn(region), LabResources.ECS_CLUSTER, LabResources.ECS_SERVICE, active, warm,
                    port, LabResources.dataApiSecretArn(region), LabResources.DATABASE));
            if (experiments) {
                yaml.append("""
                            # the FIS experiment templates in this region's FIS (peer-loss loses the other region)
                            experiments: {%s}
                        """.formatted(experiments(region)));
            }
        });
        return yaml.toString();
    }

    private static String experiments(String region) {
        return String.join(", ", LabResources.SCENARIOS.stream()
                .map(scenario -> scenario + ": " + LabResources.experimentTemplateId(region, scenario)).toList());
    }
}
