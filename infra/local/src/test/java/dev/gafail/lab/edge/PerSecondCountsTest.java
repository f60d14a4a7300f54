package dev.gafail.lab.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A 5xx alarm over the last 10 s must clear 10 s after the errors stop, however seldom it is asked. */
class PerSecondCountsTest {

    private static final Instant T = Instant.parse("2026-11-30T13:00:00Z");
    private static final Duration TEN = Duration.ofSeconds(10);

    @Test
    void aBurstCountsWhileItIsInThePeriodAndNotOnceItHasLeftIt() {
        PerSecondCounts errors = new PerSecondCounts();
        for (int i = 0; i < 300; i++) {
            errors.add(T.plusMillis(i * 10L));
        }
        assertEquals(300, errors.sum(T.plusSeconds(3), TEN));
        assertEquals(100, errors.sum(T.plusSeconds(11), TEN), "only the burst's last second is in (2 s .. 11 s]");
        assertEquals(0, errors.sum(T.plusSeconds(12), TEN));
        assertEquals(0, errors.sum(T.plusSeconds(600), TEN), "a slot ten minutes later is another second's");
    }

    @Test
    void aSlotReusedTenMinutesLaterCountsOnlyItsOwnSecond() {
        PerSecondCounts requests = new PerSecondCounts();
        requests.add(T);
        requests.add(T.plusSeconds(600));
        assertEquals(1, requests.sum(T.plusSeconds(600), TEN));
    }
}
