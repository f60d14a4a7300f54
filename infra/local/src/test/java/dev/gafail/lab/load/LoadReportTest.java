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
        return new Sample(T0.plusSeconds(second), Duration.ofMillis(millis), write, status, region,
                Sample.Kind.PER_REQUEST, false, "r" + second);
    }

    /** An attempt of the logical request {@code request} by a client of {@code kind}. */
    private static Sample attempt(int second, Sample.Kind kind, int status, boolean retryAfter, String request) {
        return new Sample(T0.plusSeconds(second), Duration.ofMillis(10), true, status,
                status == 0 ? "" : second < 15 ? "region-a" : "region-b", kind, retryAfter, request);
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
        assertEquals(2, report.noticed(), "neither failure was a 503 with Retry-After retried to a success");
    }

    @Test
    void eachKindOfClientIsCountedApartBeforeDuringAndAfterTheSwitch() {
        Sample.Kind perRequest = Sample.Kind.PER_REQUEST;
        Sample.Kind keepAlive = Sample.Kind.KEEP_ALIVE;
        List<Sample> samples = List.of(
                attempt(1, perRequest, 201, false, "a"),
                attempt(2, keepAlive, 201, false, "b"),
                attempt(11, perRequest, 201, false, "c"),
                attempt(12, keepAlive, 503, true, "d"),
                attempt(13, keepAlive, 201, false, "d"),
                attempt(16, perRequest, 201, false, "e"),
                attempt(17, keepAlive, 201, false, "f"),  // reconnected: region-b
                attempt(21, keepAlive, 201, false, "g"));
        LoadReport report = LoadReport.of(samples, T0.plusSeconds(10), T0.plusSeconds(20), "region-b");

        assertEquals(List.of(perRequest, keepAlive), List.copyOf(report.kinds().keySet()));
        LoadReport.Periods mine = report.kinds().get(keepAlive);
        assertEquals(List.of(1, 3, 1), List.of(mine.before().requests(), mine.during().requests(),
                mine.after().requests()));
        assertEquals(1, mine.during().failed());
        assertEquals(Map.of("region-a", 2L, "region-b", 1L), mine.during().regions());
        LoadReport.Periods theirs = report.kinds().get(perRequest);
        assertEquals(List.of(1, 2, 0), List.of(theirs.before().requests(), theirs.during().requests(),
                theirs.after().requests()));
        assertEquals(0, theirs.during().failed());
        assertEquals(Map.of("region-a", 1L, "region-b", 1L), theirs.during().regions());
        assertEquals(5, report.during().requests(), "all kinds together");
        assertEquals(0, report.noticed(), "the one failure was a 503 with Retry-After, retried to a success");
    }

    @Test
    void onlyA503WithRetryAfterThatItsRequestLaterCompletedGoesUnnoticed() {
        Sample.Kind kind = Sample.Kind.KEEP_ALIVE;
        Sample retried = attempt(11, kind, 503, true, "retried");
        Sample noRetryAfter = attempt(12, kind, 503, false, "bare");
        Sample neverCompleted = attempt(13, kind, 503, true, "abandoned");
        Sample neverCompletedAgain = attempt(14, kind, 503, true, "abandoned");  // the load stopped
        Sample noAnswer = attempt(14, kind, 0, false, "lost");
        Sample completedBefore = attempt(16, kind, 503, true, "early");
        Sample outside = attempt(25, kind, 503, true, "late");
        List<Sample> samples = List.of(retried, attempt(12, kind, 201, false, "retried"),
                noRetryAfter, attempt(13, kind, 201, false, "bare"),
                neverCompleted, neverCompletedAgain,
                noAnswer, attempt(15, kind, 201, false, "lost"),
                attempt(15, kind, 201, false, "early"), completedBefore,
                outside);

        assertEquals(List.of(noRetryAfter, neverCompleted, neverCompletedAgain, noAnswer, completedBefore),
                LoadReport.unrecovered(samples, T0.plusSeconds(10), T0.plusSeconds(20)));
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
