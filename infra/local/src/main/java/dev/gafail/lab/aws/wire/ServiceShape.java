package dev.gafail.lab.aws.wire;

import java.util.Map;
import java.util.Set;

/**
 * How an AWS service shows on the wire: the name its requests are signed for, the protocols it
 * answers, and for AWS Query the element names of its list members ({@code member} unless the
 * service names them, as RDS does). Replies carry no XML namespace: the SDKs and botocore match
 * elements by their local names.
 */
public record ServiceShape(String signingName, Set<Protocol> protocols, Map<String, String> listMembers) {

    public static final ServiceShape GLOBAL_ACCELERATOR = json("globalaccelerator");
    public static final ServiceShape ECS = json("ecs");
    public static final ServiceShape RDS = new ServiceShape("rds", Set.of(Protocol.AWS_QUERY),
            Map.of("GlobalClusters", "GlobalClusterMember",
            "GlobalClusterMembers", "GlobalClusterMember", "DBClusters", "DBCluster", "Events", "Event",
            "EventCategories", "EventCategory"));
    public static final ServiceShape CLOUDWATCH = query("monitoring");
    public static final ServiceShape STS = query("sts");

    public ServiceShape {
        protocols = Set.copyOf(protocols);
        listMembers = Map.copyOf(listMembers);
    }

    private static ServiceShape json(String signingName) {
        return new ServiceShape(signingName, Set.of(Protocol.AWS_JSON_1_1), Map.of());
    }

    private static ServiceShape query(String signingName) {
        return new ServiceShape(signingName, Set.of(Protocol.AWS_QUERY), Map.of());
    }

    /** The element name of a list's members in AWS Query replies. */
    String memberName(String list) {
        return listMembers.getOrDefault(list, "member");
    }
}
