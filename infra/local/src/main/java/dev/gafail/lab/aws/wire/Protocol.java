package dev.gafail.lab.aws.wire;

import java.util.Optional;

/**
 * The wire protocols of the AWS APIs the lab answers, told apart as AWS's front ends tell them:
 * Smithy RPCv2 CBOR by its {@code smithy-protocol} header, the JSON protocols by {@code X-Amz-Target}
 * and their content type, AWS Query by its form body, and REST-JSON by having none of these (a JSON
 * body or none, its operation named by the method and path). Each has its Smithy trait name as
 * {@link #id}, which the lab's request log records.
 */
public enum Protocol {
    AWS_JSON_1_0("AWS JSON 1.0", "awsJson1_0", "application/x-amz-json-1.0"),
    AWS_JSON_1_1("AWS JSON 1.1", "awsJson1_1", "application/x-amz-json-1.1"),
    AWS_QUERY("AWS Query", "awsQuery", "text/xml"),
    /** EC2's own Query dialect: the same requests, replies without a Result wrapper, lists of {@code item}s. */
    EC2_QUERY("EC2 Query", "ec2Query", "text/xml"),
    RPC_V2_CBOR("Smithy RPCv2 CBOR", "rpcv2Cbor", "application/cbor"),
    REST_JSON("REST-JSON", "restJson1", "application/json");

    /** The header that names RPCv2's format, on its requests and replies. */
    static final String SMITHY_PROTOCOL = "smithy-protocol";
    static final String RPC_V2_CBOR_FORMAT = "rpc-v2-cbor";

    private final String title;
    private final String id;
    private final String replyType;

    Protocol(String title, String id, String replyType) {
        this.title = title;
        this.id = id;
        this.replyType = replyType;
    }

    /** The protocol a request speaks; empty when it speaks none the lab knows. */
    static Optional<Protocol> of(WireRequest request) {
        String type = request.mediaType();
        String smithy = request.header(SMITHY_PROTOCOL);
        if (!smithy.isEmpty()) {
            return smithy.equals(RPC_V2_CBOR_FORMAT) ? Optional.of(RPC_V2_CBOR) : Optional.empty();
        }
        if (!request.header("X-Amz-Target").isEmpty()) {
            return switch (type) {
                case "application/x-amz-json-1.0" -> Optional.of(AWS_JSON_1_0);
                case "application/x-amz-json-1.1", "application/json", "" -> Optional.of(AWS_JSON_1_1);
                default -> Optional.empty();
            };
        }
        boolean json = type.equals("application/json") || type.startsWith("application/x-amz-json-");
        if (type.equals("application/x-www-form-urlencoded") || !json && request.bodyText().contains("Action=")) {
            return Optional.of(AWS_QUERY);
        }
        // REST-JSON: a JSON body without a target, or no body at all (GET /experiments)
        if (json || type.isEmpty() && request.body().length == 0) {
            return Optional.of(REST_JSON);
        }
        return Optional.empty();
    }

    /**
     * The protocol in which to refuse a request that speaks none the lab knows: the one it comes
     * closest to, so that its client can read the refusal.
     */
    static Protocol nearest(WireRequest request) {
        if (!request.header(SMITHY_PROTOCOL).isEmpty()) {
            return RPC_V2_CBOR;
        }
        return request.header("X-Amz-Target").isEmpty() ? AWS_QUERY : AWS_JSON_1_1;
    }

    /**
     * The protocol a request of this form speaks to the service it is signed for: a Query form body is
     * EC2's dialect when it is signed for EC2, the one service that speaks it.
     */
    Protocol toService(String signingName) {
        return this == AWS_QUERY && signingName.equals(ServiceShape.EC2.signingName()) ? EC2_QUERY : this;
    }

    /** AWS Query and EC2's name errors by an XML {@code Code}; the others by {@code __type}, and their codes differ. */
    public boolean query() {
        return this == AWS_QUERY || this == EC2_QUERY;
    }

    /**
     * Whether the operation is named apart from the path: by {@code X-Amz-Target}, or RPCv2's
     * {@code /service/S/operation/O}; AWS Query names it in its body, REST-JSON by method and path.
     */
    boolean targeted() {
        return this == AWS_JSON_1_0 || this == AWS_JSON_1_1 || this == RPC_V2_CBOR;
    }

    /** The error code of a request the endpoint cannot serve: an unknown operation, service or protocol. */
    String unknownOperationCode() {
        return query() ? "InvalidAction" : "UnknownOperationException";
    }

    /** The content type of replies in this protocol. */
    String replyType() {
        return replyType;
    }

    /** The protocol's Smithy trait name ({@code awsJson1_0}, {@code awsQuery}, {@code rpcv2Cbor}...). */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return title;
    }
}
