package dev.gafail.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.lab.load.Sample;
import dev.gafail.topology.Targets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The window, percentile and SLO arithmetic of load.check and load.stop, on requests whose answers are known. */
class SloJudgementTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:01:00Z");
    private static final Targets.Slo K6 = new Targets.Slo(98.0, Duration.ofMillis(1200), Duration.ofMillis(2500), 2.0,
            Duration.ofSeconds(30), 50);

    /** {@code count} requests, one every 100 ms ending just before {@code NOW}, each of {@code millis}. */
    private static List<Sample> steady(int count, int millis, int status, String region) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add(sample(NOW.minusMillis(100L * (count - i)), millis, i % 4 == 0, status, region));
        }
        return samples;
    }

    /** One request of a per-request client of an open loop, as drills send them. */
    private static Sample sample(Instant at, long millis, boolean write, int status, String region) {
        return new Sample(at, Duration.ofMillis(millis), write, status, region, Sample.Kind.PER_REQUEST, false,
                "r" + at.toEpochMilli());
    }

    @Test
    void aHealthyWindowMeetsEveryTargetAndSaysWhichHeld() {
        SloJudgement judged = SloJudgement.of(steady(100, 40, 200, "region-a"), NOW, K6, Optional.of("region-a"));

        assertTrue(judged.met(), judged.detail());
        assertEquals(List.of("availability", "errorRate", "p95", "p99", "region"), judged.held());
        assertEquals(new LoadFigures(100, 0, 100, 0, 40, 40, 40, Map.of("region-a", 100L)), judged.figures());
    }

    @Test
    void aSlowWindowFailsNamingTheMeasuredP95AndTheTarget() {
        List<Sample> samples = steady(100, 40, 200, "region-a");
        samples.addAll(steady(20, 1480, 200, "region-a").stream()
                .map(s -> sample(s.at().plusMillis(5), s.latency().toMillis(), false, 200, "region-a")).toList());
        SloJudgement judged = SloJudgement.of(samples, NOW, K6, Optional.empty());

        assertFalse(judged.met());
        assertEquals(List.of("p95 1480 ms > target 1200 ms"), judged.missed());
        assertEquals("p95 1480 ms > target 1200 ms over 30s (120 samples)", judged.detail());
        assertEquals(List.of("availability", "errorRate", "p99"), judged.held());
    }

    @Test
    void serverErrorsAndNoAnswersCostAvailabilityWhileEveryFailureCountsAsAnError() {
        List<Sample> samples = new ArrayList<>(steady(90, 20, 200, "region-a"));
        samples.addAll(steady(5, 20, 503, "region-a"));
        samples.addAll(steady(3, 20, 0, ""));
        samples.addAll(steady(2, 20, 409, "region-a"));
        SloJudgement judged = SloJudgement.of(samples, NOW, K6, Optional.empty());

        assertEquals(92.0, judged.figures().availability(), "8 of 100 unavailable: 5 server errors, 3 no answers");
        assertEquals(10.0, judged.figures().errorRate(), "the 409s fail too");
        assertEquals(List.of("availability 92% < target 98%", "error rate 10% > target 2%"), judged.missed());
    }

    @Test
    void aQuietWindowDecidesNothingEvenWhenEveryRequestFailed() {
        SloJudgement judged = SloJudgement.of(steady(49, 20, 503, "region-a"), NOW, K6, Optional.empty());

        assertTrue(judged.quiet());
        assertFalse(judged.met());
        assertEquals("only 49 samples in the last 30s; the SLO decides on at least 50", judged.detail());
    }

    @Test
    void onlyTheLastWindowCounts() {
        List<Sample> samples = new ArrayList<>();
        // An outage 40 s ago, outside the 30 s window.
        for (int i = 0; i < 100; i++) {
            samples.add(sample(NOW.minusSeconds(40).plusMillis(i), 0, false, 0, ""));
        }
        samples.addAll(steady(60, 30, 200, "region-b"));
        SloJudgement judged = SloJudgement.of(samples, NOW, K6, Optional.of("region-b"));

        assertTrue(judged.met(), judged.detail());
        assertEquals(60, judged.figures().requests());
    }

    @Test
    void splitTrafficFailsTheRegionTargetNamingWhereTheAnswersCameFrom() {
        List<Sample> samples = new ArrayList<>(steady(60, 30, 200, "region-a"));
        samples.addAll(steady(40, 30, 200, "region-b"));
        SloJudgement judged = SloJudgement.of(samples, NOW, K6, Optional.of("region-a"));

        assertEquals(List.of("region: 40 of 100 answers from region-b, not region-a"), judged.missed());
    }

    @Property
    void aPercentileIsOneOfTheAnsweredLatenciesWithAtLeastItsShareAtOrBelowIt(
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 5000) Integer> millis) {
        List<Sample> samples = millis.stream().map(m -> sample(NOW.minusSeconds(1), m, false, 200,
                "region-a")).toList();
        LoadFigures f = LoadFigures.of(samples);
        for (double[] p : new double[][] {{0.50, f.p50()}, {0.95, f.p95()}, {0.99, f.p99()}}) {
            assertTrue(millis.contains((int) p[1]), p[1] + " is a measured latency");
            long atOrBelow = millis.stream().filter(m -> m <= p[1]).count();
            long below = millis.stream().filter(m -> m < p[1]).count();
            assertTrue(atOrBelow >= Math.ceil(p[0] * millis.size()), "at least its share at or below it");
            assertTrue(below < Math.ceil(p[0] * millis.size()), "the smallest such latency");
        }
        assertTrue(f.p50() <= f.p95() && f.p95() <= f.p99());
    }

    @Property
    void availabilityAndErrorRateAreSharesOfTheWindow(@ForAll @IntRange(min = 0, max = 200) int ok,
                                                      @ForAll @IntRange(min = 0, max = 200) int serverErrors,
                                                      @ForAll @IntRange(min = 0, max = 200) int clientErrors) {
        List<Sample> samples = new ArrayList<>(steady(ok, 10, 200, "region-a"));
        samples.addAll(steady(serverErrors, 10, 500, "region-a"));
        samples.addAll(steady(clientErrors, 10, 429, "region-a"));
        LoadFigures f = LoadFigures.of(samples);
        int n = ok + serverErrors + clientErrors;

        assertEquals(n, f.requests());
        assertEquals(serverErrors + clientErrors, f.failed());
        assertEquals(n == 0 ? 100 : Math.round(10000.0 * (ok + clientErrors) / n) / 100.0, f.availability());
        assertEquals(n == 0 ? 0 : Math.round(10000.0 * (serverErrors + clientErrors) / n) / 100.0, f.errorRate());
    }
}
