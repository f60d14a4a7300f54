package dev.gafail.lab.aws.wire;

import java.util.Map;
import java.util.Set;

/**
 * How an AWS service shows on the wire, as its current model (botocore's {@code service-2.json}
 * metadata) says: the name its requests are signed for; its Smithy service name, which the JSON
 * protocols put before the operation in {@code X-Amz-Target} and RPCv2 CBOR in the path (empty for a
 * service that speaks only AWS Query); the protocols it answers; for AWS Query the element names of
 * its list members ({@code member} unless the service names them, as RDS does); and the operations
 * the lab answers that have no output, whose RPCv2 CBOR replies have no body. Replies carry no XML
 * namespace: the SDKs and botocore match elements by their local names.
 */
public record ServiceShape(String signingName, String target, Set<Protocol> protocols, Map<String, String> listMembers,
                           Set<String> withoutOutput) {

    public static final ServiceShape GLOBAL_ACCELERATOR = json("globalaccelerator", "GlobalAccelerator_V20180706");
    public static final ServiceShape ECS = json("ecs", "AmazonEC2ContainerServiceV20141113");
    public static final ServiceShape RDS = new ServiceShape("rds", "", Set.of(Protocol.AWS_QUERY),
            Map.of("GlobalClusters", "GlobalClusterMember",
            "GlobalClusterMembers", "GlobalClusterMember", "DBClusters", "DBCluster", "Events", "Event",
            "EventCategories", "EventCategory"), Set.of());
    /**
     * CloudWatch, which the newest clients call in RPCv2 CBOR (the Java SDK from 2.40.7) or AWS JSON
     * 1.0 (botocore, which prefers JSON), and older ones in AWS Query.
     */
    public static final ServiceShape CLOUDWATCH = new ServiceShape("monitoring", "GraniteServiceVersion20100801",
            Set.of(Protocol.RPC_V2_CBOR, Protocol.AWS_JSON_1_0, Protocol.AWS_QUERY), Map.of(), Set.of("PutMetricData"));
    public static final ServiceShape STS = new ServiceShape("sts", "", Set.of(Protocol.AWS_QUERY), Map.of(), Set.of());

    public ServiceShape {
        protocols = Set.copyOf(protocols);
        listMembers = Map.copyOf(listMembers);
        withoutOutput = Set.copyOf(withoutOutput);
    }

    private static ServiceShape json(String signingName, String target) {
        return new ServiceShape(signingName, target, Set.of(Protocol.AWS_JSON_1_1), Map.of(), Set.of());
    }

    /**
     * A service that moved from AWS Query to another protocol and still speaks Query
     * ({@code awsQueryCompatible}): its errors in the other protocols name their Query code in the
     * {@code x-amzn-query-error} header too, so that clients raise the same errors whichever they speak.
     */
    boolean queryCompatible() {
        return protocols.contains(Protocol.AWS_QUERY) && protocols.size() > 1;
    }

    /** The element name of a list's members in AWS Query replies. */
    String memberName(String list) {
        return listMembers.getOrDefault(list, "member");
    }
}
