package dev.gafail.lab.aws.wire;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an AWS service shows on the wire, as its current model (botocore's {@code service-2.json}
 * metadata) says: the name its requests are signed for; its Smithy service name, which the JSON
 * protocols put before the operation in {@code X-Amz-Target} and RPCv2 CBOR in the path (empty for a
 * service that speaks only AWS Query or REST-JSON); the protocols it answers; for AWS Query the element
 * names of its list members ({@code member} unless the service names them, as RDS does); the operations
 * the lab answers that have no output, whose RPCv2 CBOR replies have no body; and for REST-JSON the
 * route of each operation the lab answers. Replies carry no XML namespace: the SDKs and botocore match
 * elements by their local names.
 */
public record ServiceShape(String signingName, String target, Set<Protocol> protocols, Map<String, String> listMembers,
                           Set<String> withoutOutput, List<Route> routes) {

    public static final ServiceShape GLOBAL_ACCELERATOR = json("globalaccelerator", "GlobalAccelerator_V20180706");
    public static final ServiceShape ECS = json("ecs", "AmazonEC2ContainerServiceV20141113");
    public static final ServiceShape RDS = new ServiceShape("rds", "", Set.of(Protocol.AWS_QUERY),
            Map.of("GlobalClusters", "GlobalClusterMember",
            "GlobalClusterMembers", "GlobalClusterMember", "DBClusters", "DBCluster", "Events", "Event",
            "EventCategories", "EventCategory", "DBClusterMembers", "DBClusterMember", "DBInstances", "DBInstance",
            "TagList", "Tag", "VpcSecurityGroups", "VpcSecurityGroupMembership"), Set.of(), List.of());
    /**
     * CloudWatch, which the newest clients call in RPCv2 CBOR (the Java SDK from 2.40.7) or AWS JSON
     * 1.0 (botocore, which prefers JSON), and older ones in AWS Query.
     */
    public static final ServiceShape CLOUDWATCH = new ServiceShape("monitoring", "GraniteServiceVersion20100801",
            Set.of(Protocol.RPC_V2_CBOR, Protocol.AWS_JSON_1_0, Protocol.AWS_QUERY), Map.of(), Set.of("PutMetricData"),
            List.of());
    public static final ServiceShape STS = query("sts");
    /**
     * SNS, in AWS Query alone: what its model lists, in botocore 1.43 and the SDK for Java up to 2.57.8
     * alike (SQS moved to AWS JSON 1.0; SNS has not).
     */
    public static final ServiceShape SNS = query("sns");
    /** IAM, in AWS Query alone: a global service, signed for us-east-1 in the aws partition. */
    public static final ServiceShape IAM = query("iam");
    /** Service Quotas, in AWS JSON 1.1. */
    public static final ServiceShape SERVICE_QUOTAS = json("servicequotas", "ServiceQuotasV20190624");
    /** EC2, in its own Query dialect. */
    public static final ServiceShape EC2 = new ServiceShape("ec2", "", Set.of(Protocol.EC2_QUERY), Map.of(), Set.of(),
            List.of());
    /** SSM (Parameter Store among it), in AWS JSON 1.1 alone, as its model and the SDK's marshallers say. */
    public static final ServiceShape SSM = json("ssm", "AmazonSSM");
    /** Fault Injection Service, in REST-JSON: the operations the lab answers, by method and path. */
    public static final ServiceShape FIS = new ServiceShape("fis", "", Set.of(Protocol.REST_JSON), Map.of(), Set.of(),
            List.of(new Route("POST", "/experiments", "StartExperiment"),
                    new Route("GET", "/experiments", "ListExperiments"),
                    new Route("GET", "/experiments/{id}", "GetExperiment"),
                    new Route("DELETE", "/experiments/{id}", "StopExperiment"),
                    new Route("GET", "/experimentTemplates", "ListExperimentTemplates"),
                    new Route("GET", "/experimentTemplates/{id}", "GetExperimentTemplate"),
                    new Route("POST", "/tags/{resourceArn}", "TagResource")));

    /** The RDS Data API, in REST-JSON: ExecuteStatement's route. */
    public static final ServiceShape RDS_DATA = new ServiceShape("rds-data", "", Set.of(Protocol.REST_JSON), Map.of(),
            Set.of(), List.of(new Route("POST", "/Execute", "ExecuteStatement")));

    public ServiceShape {
        protocols = Set.copyOf(protocols);
        listMembers = Map.copyOf(listMembers);
        withoutOutput = Set.copyOf(withoutOutput);
        routes = List.copyOf(routes);
    }

    private static ServiceShape json(String signingName, String target) {
        return new ServiceShape(signingName, target, Set.of(Protocol.AWS_JSON_1_1), Map.of(), Set.of(), List.of());
    }

    private static ServiceShape query(String signingName) {
        return new ServiceShape(signingName, "", Set.of(Protocol.AWS_QUERY), Map.of(), Set.of(), List.of());
    }

    /**
     * A service that moved from AWS Query to another protocol and still speaks Query
     * ({@code awsQueryCompatible}): its errors in the other protocols name their Query code in the
     * {@code x-amzn-query-error} header too, so that clients raise the same errors whichever they speak.
     */
    boolean queryCompatible() {
        return protocols.contains(Protocol.AWS_QUERY) && protocols.size() > 1;
    }

    /** The status of a REST operation's replies (200 for the other protocols). */
    int status(String operation) {
        return routes.stream().filter(r -> r.operation().equals(operation)).mapToInt(Route::status).findFirst()
                .orElse(200);
    }

    /** The element name of a list's members in AWS Query replies. */
    String memberName(String list) {
        return protocols.contains(Protocol.EC2_QUERY) ? "item" : listMembers.getOrDefault(list, "member");
    }
}
