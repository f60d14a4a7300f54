package dev.gafail.aws;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the AWS APIs gafail calls are: the AWS regions it calls (the topology's, and Global
 * Accelerator's control plane region), and the topology's endpoint overrides, keyed by service
 * ({@code rds}), by AWS region ({@code us-east-1}) or {@code default}; no overrides at AWS.
 */
public record ApiLocations(Map<String, URI> overrides, String acceleratorRegion, Set<String> regions) {

    public ApiLocations {
        overrides = Map.copyOf(overrides);
        Set<String> all = new LinkedHashSet<>(regions);
        all.add(acceleratorRegion);
        regions = Set.copyOf(all);
    }
}
