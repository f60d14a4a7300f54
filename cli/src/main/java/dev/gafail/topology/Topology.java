package dev.gafail.topology;

import dev.gafail.runbook.ApprovalPolicy;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What gafail acts on ({@code gafail.yaml}): the accelerator, the Aurora global database, the two
 * regions, the alarms that gate changes, and where to reach the AWS APIs when not at AWS.
 *
 * @param file      where it was read from, for messages
 * @param acceleratorRegion the AWS region of Global Accelerator's control plane (us-west-2 at AWS)
 * @param writerEndpoint whether every region writes through the global database's writer endpoint (Aurora's
 *                  global writer endpoint), so that the target takes writes before it is the writer
 * @param regions   in the file's order
 * @param endpoints  endpoint overrides by service ({@code default}, {@code rds}, ...) or AWS region; empty at AWS
 * @param parameters values for runbook parameters of these names when {@code --set} gives none, as text
 * @param state      the S3 bucket of the team's state; null: gafail's local folder
 * @param approvals  who approves every execution's plan on it (a runbook may ask for more)
 * @param notifications where gafail tells people what its executions do, in the file's order
 * @param slo       each region's SLO (its own entry, else the file's {@code default}); a region without one is absent
 * @param recovery  the recovery targets and their owner; null when the file sets none
 */
public record Topology(String file, String name, URI endpoint, String acceleratorArn, String acceleratorRegion,
                       String globalDatabase, boolean writerEndpoint,
                       Map<String, Region> regions, List<String> alarms, Map<String, URI> endpoints,
                       Map<String, String> parameters, StateBucket state, ApprovalPolicy approvals,
                       List<Notifications.Sink> notifications, Map<String, Targets.Slo> slo,
                       Targets.Recovery recovery) {

    /** Global Accelerator's control plane lives in us-west-2 at AWS, whatever the regions it serves. */
    public static final String DEFAULT_ACCELERATOR_REGION = "us-west-2";

    public Topology {
        regions = Collections.unmodifiableMap(new LinkedHashMap<>(regions));
        alarms = List.copyOf(alarms);
        endpoints = Map.copyOf(endpoints);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        notifications = List.copyOf(notifications);
        slo = Collections.unmodifiableMap(new LinkedHashMap<>(slo));
    }

    /** The S3 bucket of the team's lock, journals and audit trail; empty: gafail's local folder. */
    public Optional<StateBucket> stateBucket() {
        return Optional.ofNullable(state);
    }

    public Optional<Region> region(String name) {
        return Optional.ofNullable(regions.get(name));
    }

    /** The region called {@code name}, or an exception naming the ones there are. */
    public Region require(String name) {
        return region(name).orElseThrow(() -> new IllegalArgumentException("no region '" + name
                + "' in topology " + this.name + "; its regions are " + String.join(", ", regions.keySet())));
    }

    /** The other region of the pair. */
    public Region peer(String name) {
        require(name);
        return regions.values().stream().filter(r -> !r.name().equals(name)).findFirst().orElseThrow();
    }

    /** The AWS account every ARN of the topology belongs to (the loader checks they agree). */
    public String account() {
        return Arns.account(acceleratorArn);
    }

    /** One execution per topology at a time. */
    public String lockScope() {
        return "topology:" + name;
    }

    /** The topology as runbook expressions see it: {@code topology.regions['region-b'].healthz}, {@code topology.peer[params.to]}. */
    public Map<String, Object> variables() {
        Map<String, Object> regionVariables = new LinkedHashMap<>();
        Map<String, Object> peers = new LinkedHashMap<>();
        regions.values().forEach(r -> {
            regionVariables.put(r.name(), r.variables());
            peers.put(r.name(), peer(r.name()).name());
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("endpoint", endpoint.toString());
        out.put("accelerator", Map.of("arn", acceleratorArn));
        out.put("globalDatabase", globalDatabase);
        out.put("writerEndpoint", writerEndpoint);
        out.put("regions", regionVariables);
        out.put("peer", peers);
        out.put("alarms", alarms);
        Map<String, Object> objectives = new LinkedHashMap<>();
        slo.forEach((region, objective) -> objectives.put(region, objective.variables()));
        out.put("slo", objectives);
        if (recovery != null) {
            out.put("recovery", recovery.variables());
        }
        return out;
    }
}
