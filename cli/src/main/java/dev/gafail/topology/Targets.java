package dev.gafail.topology;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The team's targets for a topology: what users must see in each region (an SLO), and how fast and with
 * how little loss a region's failure must be recovered from. A drill's verdict measures against them.
 */
public final class Targets {

    private Targets() {
    }

    /**
     * A region's service level objective, measured over {@code window} and only once it holds at least
     * {@code minSamples} requests, so that a quiet minute decides nothing. A null objective is not set.
     *
     * @param availability the lowest share of requests answered without a server error or a failed
     *                     connection, in percent (99.5)
     * @param p95          the highest 95th percentile of latency
     * @param p99          the highest 99th percentile of latency
     * @param errorRate    the highest share of requests that failed in any way, in percent (2)
     */
    public record Slo(Double availability, Duration p95, Duration p99, Double errorRate, Duration window,
                      int minSamples) {

        public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
        public static final int DEFAULT_MIN_SAMPLES = 100;

        Map<String, Object> variables() {
            Map<String, Object> out = new LinkedHashMap<>();
            put(out, "availability", availability);
            put(out, "p95", p95 == null ? null : p95.toMillis());
            put(out, "p99", p99 == null ? null : p99.toMillis());
            put(out, "errorRate", errorRate);
            out.put("window", window.toMillis());
            out.put("minSamples", minSamples);
            return out;
        }
    }

    /**
     * How a region's failure must be recovered from, and who owns these targets.
     *
     * @param rto   from the fault to users served again as the SLO says, in the other region
     * @param rpo   how old the oldest acknowledged write an unplanned failover loses may be (a planned one loses none)
     * @param owner who answers for the targets (a team, a person, an address)
     */
    public record Recovery(Duration rto, Duration rpo, String owner) {

        Map<String, Object> variables() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rto", rto.toMillis());
            out.put("rpo", rpo.toMillis());
            out.put("owner", owner);
            return out;
        }
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
