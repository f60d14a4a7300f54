package dev.gafail.aws;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which AWS API locations answer, as one command has found: an AWS region's APIs, or Global
 * Accelerator's control plane. Locations the operator expects to be lost (an unplanned failover's
 * old region, and the single-region accelerator control plane) are suspects: tried with short time
 * limits and no retries, and once one gives no answer (no connection, no reply in time) it is lost
 * for the rest of the command: later calls fail at once, without the network, so it is tried at most
 * once. Any other location that gives no answer is only reported so: a blip in the surviving region
 * must not end a failover that its polls and retries would ride out.
 */
public final class Reachability {

    /** The location of Global Accelerator's control plane, whichever AWS region hosts it. */
    public static final String ACCELERATOR = "globalaccelerator";

    private final Map<String, String> regionNames;
    private final Predicate<String> suspect;
    private final Map<String, String> lost;

    /**
     * @param regionNames AWS region to the topology's name for it, to say which region did not answer
     * @param suspects    locations expected to be lost: AWS regions, or {@link #ACCELERATOR}
     */
    public Reachability(Map<String, String> regionNames, Set<String> suspects) {
        this(Map.copyOf(regionNames), Set.copyOf(suspects)::contains, new ConcurrentHashMap<>());
    }

    private Reachability(Map<String, String> regionNames, Predicate<String> suspect, Map<String, String> lost) {
        this.regionNames = regionNames;
        this.suspect = suspect;
        this.lost = lost;
    }

    /**
     * The same memo, with every location a suspect: for a deliberate check of which locations answer
     * ({@code aws.reachable}), whose finding the rest of the command then goes by.
     */
    public Reachability everySuspect() {
        return new Reachability(regionNames, location -> true, lost);
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
        return suspect.test(location);
    }

    /** Why {@code location} is known lost, if it is. */
    public Optional<String> lost(String location) {
        return Optional.ofNullable(lost.get(location));
    }

    void markLost(String location, String why) {
        lost.putIfAbsent(location, why);
    }
}
