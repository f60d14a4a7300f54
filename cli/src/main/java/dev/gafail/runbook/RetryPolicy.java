package dev.gafail.runbook;

import java.time.Duration;

/** {@code attempts} counts the first try; the wait before try n+1 is backoff * 2^(n-1), jittered, at most maxBackoff. */
public record RetryPolicy(int attempts, Duration backoff, Duration maxBackoff) {

    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(30));
}
