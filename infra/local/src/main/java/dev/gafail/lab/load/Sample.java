package dev.gafail.lab.load;

import java.time.Duration;
import java.time.Instant;

/**
 * One request the client load sent: one attempt of a logical request, which a client may retry.
 *
 * @param status     0 when no answer came (refused, reset, timed out)
 * @param region     the region that answered ({@code X-Region}), or "" without an answer
 * @param kind       how the client that sent it connects
 * @param retryAfter whether the answer carried {@code Retry-After}: the server asked for a retry
 * @param request    the logical request it is an attempt of (a write's Idempotency-Key), so that its
 *                   attempts can be grouped; "" for a request that was never sent
 */
public record Sample(Instant at, Duration latency, boolean write, int status, String region, Kind kind,
                     boolean retryAfter, String request) {

    /** How a client connects: a new connection for every request, or one it keeps (HTTP keep-alive). */
    public enum Kind {
        PER_REQUEST("per-request"), KEEP_ALIVE("keep-alive");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Whether a request was answered as asked: a read 200, a write 201 (or 200, a replay of it). */
    static boolean ok(int status) {
        return status == 200 || status == 201;
    }

    public boolean ok() {
        return ok(status);
    }

    public Instant end() {
        return at.plus(latency);
    }
}
