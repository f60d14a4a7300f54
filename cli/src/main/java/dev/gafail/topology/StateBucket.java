package dev.gafail.topology;

import java.time.Duration;

/**
 * The S3 bucket that holds a team's lock, journals and audit trail for a topology ({@code state.s3}).
 *
 * @param prefix the key prefix, empty or ending in '/'
 * @param region the bucket's AWS region: best a third one, so the state outlives the loss of either of the topology's
 * @param lease  how long the lock stays its holder's without renewal; a holder stops acting before then
 */
public record StateBucket(String bucket, String prefix, String region, Duration lease) {

    /** Long enough to ride out a slow S3 answer or two; short enough that a dead holder blocks no one long. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /** A bucket whose lock has the default lease. */
    public StateBucket(String bucket, String prefix, String region) {
        this(bucket, prefix, region, DEFAULT_LEASE);
    }

    /** Where it is, as operators write it: {@code s3://bucket/prefix}. */
    public String url() {
        return "s3://" + bucket + "/" + prefix;
    }
}
