package dev.gafail.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.customresources.SdkCallsPolicyOptions;
import software.amazon.awscdk.services.rds.CfnDBCluster;
import software.constructs.Construct;

/**
 * The Aurora global database's writer endpoint, a DNS name that Aurora points at the current writer instance,
 * whichever region holds it. Read with the RDS API ({@code DescribeGlobalClusters}, {@code Endpoint}) at
 * deploy time: CloudFormation documents {@code GlobalEndpoint.Address} as a return value of
 * {@code AWS::RDS::GlobalCluster}, but its handler is reported not to return it
 * (cloudformation-coverage-roadmap#2364, open), and CDK 2.263.0 has no {@code attrGlobalEndpointAddress}.
 */
final class GlobalWriterEndpoint extends Construct {

    static final String ENDPOINT = "GlobalClusters.0.Endpoint";

    private final String address;

    /** @param primary the global database's first member: the endpoint leads nowhere before it exists */
    GlobalWriterEndpoint(Construct scope, InfraConfig config, CfnDBCluster primary) {
        super(scope, "GlobalWriterEndpoint");
        String id = config.globalDatabase();
        AwsSdkCall describe = AwsSdkCall.builder().service("RDS").action("describeGlobalClusters")
                .parameters(Map.of("GlobalClusterIdentifier", id))
                .physicalResourceId(PhysicalResourceId.of(id)).outputPaths(List.of(ENDPOINT)).build();
        AwsCustomResource lookup = AwsCustomResource.Builder.create(this, "Lookup")
                .onCreate(describe).onUpdate(describe)
                .policy(AwsCustomResourcePolicy.fromSdkCalls(SdkCallsPolicyOptions.builder().resources(List.of(
                        "arn:" + Stack.of(this).getPartition() + ":rds::" + config.account() + ":global-cluster:" + id))
                        .build()))
                // The Lambda runtime's own SDK has the field (since October 2024); no download at deploy time.
                .installLatestAwsSdk(false)
                .build();
        lookup.getNode().addDependency(primary);
        address = lookup.getResponseField(ENDPOINT);
    }

    /** The endpoint's host name, as deployed. */
    String address() {
        return address;
    }
}
