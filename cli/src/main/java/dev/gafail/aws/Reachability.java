package dev.gafail.aws;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which AWS API locations answer, as one command has found: an AWS region's APIs, or Global
 * Accelerator's control plane. A location that gave no answer (no connection, no reply in time) is
 * lost for the rest of the command: later calls fail at once, without the network, so a lost region
 * is tried at most once. Locations the operator expects to be lost (an unplanned failover's old region
 * and the single-region accelerator control plane) are tried with short time limits and no retries.
 */
public final class Reachability {

    /** The location of Global Accelerator's control plane, whichever AWS region hosts it. */
    public static final String ACCELERATOR = "globalaccelerator";

    private final Map<String, String> regionNames;
    private final Set<String> suspects;
    private final Map<String, String> lost = new ConcurrentHashMap<>();

    /**
     * @param regionNames AWS region to the topology's name for it, to say which region did not answer
     * @param suspects    locations expected to be lost: AWS regions, or {@link #ACCELERATOR}
     */
    public Reachability(Map<String, String> regionNames, Set<String> suspects) {
        this.regionNames = Map.copyOf(regionNames);
        this.suspects = Set.copyOf(suspects);
    }

    /** Every location is expected to answer. */
    public static Reachability none() {
        return new Reachability(Map.of(), Set.of());
    }

    /** Where {@code service} in {@code awsRegion} lives, for this memo. */
    public static String location(String service, String awsRegion) {
        return service.equals(ACCELERATOR) ? ACCELERATOR : awsRegion;
    }

    /** "us-east-1's AWS APIs (region-a)" or "Global Accelerator's control plane (us-west-2)". */
    public String describe(String service, String awsRegion) {
        if (service.equals(ACCELERATOR)) {
            return "Global Accelerator's control plane (" + awsRegion + ")";
        }
        String name = regionNames.get(awsRegion);
        return awsRegion + "'s AWS APIs" + (name == null ? "" : " (" + name + ")");
    }

    public boolean suspect(String location) {
        return suspects.contains(location);
    }

    /** Why {@code location} is known lost, if it is. */
    public Optional<String> lost(String location) {
        return Optional.ofNullable(lost.get(location));
    }

    void markLost(String location, String why) {
        lost.putIfAbsent(location, why);
    }
}
