package dev.gafail.infra;

import dev.gafail.topology.StateBucket;
import dev.gafail.topology.TopologyImport;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The bucket of the team's lock, journals and audit trail, in a third region, neither region-a's nor
 * region-b's, so that it outlives the loss of either: a stack of its own, since a stack lives in one
 * region. Versioned, with Object Lock enabled (so that audit records can be retained), encrypted with
 * S3's own keys (SSE-S3: no KMS key whose permissions and region the operator would also depend on),
 * closed to the public, TLS only, and kept when the stack is deleted.
 */
public final class StateStack extends Stack {

    /**
     * Old versions are the rewritten lock's and the deleted objects': kept long enough to investigate. An
     * audit record has an old version only if someone overwrote or deleted it, and S3 expires none still
     * under its retention.
     */
    static final Duration NONCURRENT_VERSIONS_KEPT = Duration.days(90);

    private final StateBucket state;

    public StateStack(Construct scope, InfraConfig config) {
        super(scope, config.stateStackName(), StackProps.builder()
                .env(Environment.builder().account(config.account()).region(config.state().awsRegion()).build())
                .description("gafail state: the S3 bucket of the team's lock, journals and audit trail")
                .build());
        state = new StateBucket(config.stateBucket(), config.statePrefix(), config.state().awsRegion());
        Bucket bucket = Bucket.Builder.create(this, "Bucket").bucketName(state.bucket())
                .versioned(true)
                // Object Lock without a default retention: gafail gives each audit record its own, and a
                // bucket default would also lock the lock and journal objects, which are deleted and rewritten.
                .objectLockEnabled(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder().id("noncurrent-versions")
                        .noncurrentVersionExpiration(NONCURRENT_VERSIONS_KEPT)
                        .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // A bucket kept after its stack is gone still refuses plain HTTP.
        bucket.getPolicy().applyRemovalPolicy(RemovalPolicy.RETAIN);

        StackOutputs.add(this, TopologyImport.TOPOLOGY, config.name());
        StackOutputs.add(this, TopologyImport.STATE_BUCKET, state.bucket());
        StackOutputs.add(this, TopologyImport.STATE_PREFIX, state.prefix());
        StackOutputs.add(this, TopologyImport.STATE_REGION, state.region());
    }

    /** The bucket, prefix and region, as the topology names them. */
    public StateBucket state() {
        return state;
    }
}
