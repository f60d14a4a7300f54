package dev.gafail.lab.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The figures of {@code gafail demo}, from requests whose times and answers are known. */
class LoadReportTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private static Sample at(int second, int millis, boolean write, int status, String region) {
        return new Sample(T0.plusSeconds(second), Duration.ofMillis(millis), write, status, region);
    }

    @Test
    void rtoIsMeasuredFromTheStartToTheTargetsFirstWriteAndToTheLastRequestElsewhere() {
        List<Sample> samples = List.of(
                at(1, 10, true, 201, "region-a"),
                at(2, 20, false, 200, "region-a"),
                at(11, 5, true, 503, "region-a"),        // the old region, read-only after the switch
                at(12, 0, true, 0, ""),                   // no answer
                at(13, 30, false, 200, "region-b"),       // a read in the target is not a write
                at(14, 40, true, 201, "region-b"),
                at(16, 50, false, 200, "region-a"),       // still some traffic in the old region
                at(18, 10, true, 201, "region-b"),
                at(25, 10, false, 200, "region-b"));
        LoadReport report = LoadReport.of(samples, T0.plusSeconds(10), T0.plusSeconds(20), "region-b");

        assertEquals(Optional.of(Duration.ofMillis(4040)), report.firstWrite());
        assertEquals(Optional.of(Duration.ofMillis(6050)), report.allTraffic());
        assertEquals(new LoadReport.Window(2, 0, 0, 10, 20, 20, Map.of(), Map.of("region-a", 2L)), report.before());
        assertEquals(6, report.during().requests());
        assertEquals(2, report.during().failed());
        assertEquals(Map.of("503", 1L, "no answer", 1L), report.during().failures());
        assertEquals(30, report.during().p50(), "p50 of the five answers: 5, 10, 30, 40, 50 ms");
        assertEquals(50, report.during().p99());
        assertEquals(1, report.after().requests());
    }

    @Test
    void trafficThatNeverSettlesInTheTargetHasNoRto() {
        List<Sample> samples = List.of(
                at(11, 10, true, 201, "region-b"),
                at(15, 10, false, 200, "region-a"));     // rolled back: the old region answers last
        LoadReport report = LoadReport.of(samples, T0.plusSeconds(10), T0.plusSeconds(20), "region-b");

        assertEquals(Optional.of(Duration.ofMillis(1010)), report.firstWrite());
        assertEquals(Optional.empty(), report.allTraffic());
    }
}
