package dev.gafail.lab.clients;

import dev.gafail.lab.Lab;
import dev.gafail.lab.aws.LabResources;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a client read from the lab, stated the same way whichever client read it ({@code writer} is
 * {@code region-a}, {@code dial region-b} is {@code 0}...), so that clients agree when their facts
 * are equal. The lab's own view ({@link #of}) is what each is held to.
 */
record Facts(Map<String, String> values) {

    static final String WRITER = "writer";
    static final String ACCOUNT = "account";
    /** The error of a call signed for one AWS region and sent to another's port. */
    static final String REFUSED = "refused elsewhere";
    /** How near now a metric's timestamp must be to read as {@code recent}: the lab stamps its datapoints now. */
    private static final Duration RECENT = Duration.ofMinutes(5);

    Facts {
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    static String dial(String region) {
        return "dial " + region;
    }

    /** ECS service {@code api}: {@code running/desired rollout}. */
    static String ecs(String region) {
        return "ecs " + region;
    }

    static String alarm(String awsRegion) {
        return "alarm lab-5xx " + awsRegion;
    }

    /** The load balancer's RequestCount, its sum over the lab's life (GetMetricData). */
    static String requests(String region) {
        return "requests " + region;
    }

    /** Whether that datapoint's timestamp read as a time near now: a wrong unit or format would not. */
    static String requestsAt(String region) {
        return "requests " + region + " time";
    }

    /** The lab region of a global cluster member's ARN ({@code ...:cluster:lab-region-a}). */
    static String clusterRegion(String arn) {
        return arn.substring(arn.lastIndexOf(":lab-") + ":lab-".length());
    }

    static String recency(Instant time) {
        return Duration.between(time, Instant.now()).abs().compareTo(RECENT) < 0 ? "recent" : time.toString();
    }

    /**
     * The lab's own view, from {@link Lab#status()}: RequestCount over the clients' hour is every request
     * the edge has answered, as the lab's CloudWatch counts each second of its last ten minutes and the lab
     * is younger than that.
     */
    static Facts of(Lab.Status status) {
        Map<String, String> facts = new TreeMap<>();
        for (Lab.RegionStatus region : status.regions()) {
            String name = region.region();
            if (region.database().equals("writer")) {
                facts.put(WRITER, name);
            }
            facts.put(dial(name), String.valueOf(region.dial()));
            boolean settled = region.healthyEndpoints() == region.processes();
            facts.put(ecs(name), region.healthyEndpoints() + "/" + region.processes() + " "
                    + (settled ? "COMPLETED" : "IN_PROGRESS"));
            // lab-5xx is ALARM from 5 answers 5xx in 10 s; these tests make none
            facts.put(alarm(region.awsRegion()), region.serverErrors() == 0 ? "OK" : "some 5xx");
            facts.put(requests(name), String.valueOf(region.requests()));
            facts.put(requestsAt(name), "recent");
        }
        facts.put(ACCOUNT, LabResources.ACCOUNT);
        facts.put(REFUSED, "SignatureDoesNotMatch");
        return new Facts(facts);
    }

    /** These facts of {@code keys} alone: what a client that reads only those must agree with. */
    Facts only(Collection<String> keys) {
        Map<String, String> kept = new TreeMap<>(values);
        kept.keySet().retainAll(keys);
        return new Facts(kept);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
