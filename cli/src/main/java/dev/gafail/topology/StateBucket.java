package dev.gafail.topology;

import java.time.Duration;

/**
 * The S3 bucket that holds a team's lock, journals and audit trail for a topology ({@code state.s3}).
 *
 * @param prefix the key prefix, empty or ending in '/'
 * @param region the bucket's AWS region: best a third one, so the state outlives the loss of either of the topology's
 * @param lease  how long the lock stays its holder's without renewal; a holder stops acting before then
 * @param audit  the retention each audit record is written with, when the bucket has Object Lock
 */
public record StateBucket(String bucket, String prefix, String region, Duration lease, AuditRetention audit) {

    /** Long enough to ride out a slow S3 answer or two; short enough that a dead holder blocks no one long. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /** A bucket whose lock has the default lease. */
    public StateBucket(String bucket, String prefix, String region) {
        this(bucket, prefix, region, DEFAULT_LEASE);
    }

    /** A bucket whose audit records have the default retention. */
    public StateBucket(String bucket, String prefix, String region, Duration lease) {
        this(bucket, prefix, region, lease, AuditRetention.DEFAULT);
    }

    /**
     * The Object Lock retention of each audit record ({@code state.s3.audit}).
     *
     * @param mode COMPLIANCE (nobody, root included, can shorten or remove it) or GOVERNANCE (whoever has
     *             s3:BypassGovernanceRetention can)
     */
    public record AuditRetention(String mode, int days) {

        /** A year, which nobody can cut short: what an auditor asks for. */
        public static final AuditRetention DEFAULT = new AuditRetention("COMPLIANCE", 365);
    }

    /** Where it is, as operators write it: {@code s3://bucket/prefix}. */
    public String url() {
        return "s3://" + bucket + "/" + prefix;
    }
}
