package dev.gafail.lab.load;

import java.time.Duration;
import java.time.Instant;

/**
 * One request the client load sent.
 *
 * @param status 0 when no answer came (refused, reset, timed out)
 * @param region the region that answered ({@code X-Region}), or "" without an answer
 */
public record Sample(Instant at, Duration latency, boolean write, int status, String region) {

    public boolean ok() {
        return status == 200 || status == 201;
    }

    public Instant end() {
        return at.plus(latency);
    }
}
