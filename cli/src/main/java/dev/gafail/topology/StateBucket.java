package dev.gafail.topology;

/**
 * The S3 bucket that holds a team's lock, journals and audit trail for a topology ({@code state.s3}).
 *
 * @param prefix the key prefix, empty or ending in '/'
 * @param region the bucket's AWS region: best a third one, so the state outlives the loss of either of the topology's
 */
public record StateBucket(String bucket, String prefix, String region) {

    /** Where it is, as operators write it: {@code s3://bucket/prefix}. */
    public String url() {
        return "s3://" + bucket + "/" + prefix;
    }
}
