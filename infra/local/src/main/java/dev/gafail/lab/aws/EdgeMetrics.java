package dev.gafail.lab.aws;

import dev.gafail.lab.edge.Edge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The edge's counters as CloudWatch metrics: requests and 5xx per region over a period, from
 * samples of the running totals (taken as metrics are asked for, and kept for ten minutes).
 */
final class EdgeMetrics {

    private static final Duration KEEP = Duration.ofMinutes(10);

    /** The running totals of every region at one moment: region to {requests, 5xx}. */
    private record Sample(Instant at, Map<String, long[]> totals) {
    }

    private final Edge edge;
    private final Deque<Sample> samples = new ArrayDeque<>();

    EdgeMetrics(Edge edge) {
        this.edge = edge;
        sample();
    }

    /** Requests ({@code errors} false) or 5xx answers in {@code region} during the last {@code period}. */
    synchronized long sum(String region, boolean errors, Duration period) {
        Sample now = sample();
        Instant from = now.at().minus(period);
        Sample base = samples.peekFirst();
        for (Sample s : samples) {
            if (s.at().isAfter(from)) {
                break;
            }
            base = s;
        }
        int which = errors ? 1 : 0;
        return now.totals().get(region)[which] - base.totals().getOrDefault(region, new long[2])[which];
    }

    private synchronized Sample sample() {
        Map<String, long[]> totals = new HashMap<>();
        edge.view().forEach(v -> totals.put(v.region(), new long[] {v.requests(), v.serverErrors()}));
        Sample s = new Sample(Instant.now(), totals);
        samples.addLast(s);
        while (samples.size() > 1 && samples.peekFirst().at().isBefore(s.at().minus(KEEP))) {
            samples.removeFirst();
        }
        return s;
    }
}
