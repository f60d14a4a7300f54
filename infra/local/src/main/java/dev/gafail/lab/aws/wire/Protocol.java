package dev.gafail.lab.aws.wire;

import java.util.Optional;

/**
 * The wire protocols of the AWS APIs the lab answers, told apart as AWS's front ends tell them: the
 * JSON protocols by {@code X-Amz-Target} and their content type, AWS Query by its form body.
 */
public enum Protocol {
    AWS_JSON_1_0("AWS JSON 1.0", "application/x-amz-json-1.0"),
    AWS_JSON_1_1("AWS JSON 1.1", "application/x-amz-json-1.1"),
    AWS_QUERY("AWS Query", "text/xml");

    private final String title;
    private final String replyType;

    Protocol(String title, String replyType) {
        this.title = title;
        this.replyType = replyType;
    }

    /** The protocol a request speaks; empty when it speaks none the lab knows. */
    static Optional<Protocol> of(WireRequest request) {
        String type = request.mediaType();
        if (!request.header("X-Amz-Target").isEmpty()) {
            return switch (type) {
                case "application/x-amz-json-1.0" -> Optional.of(AWS_JSON_1_0);
                case "application/x-amz-json-1.1", "application/json", "" -> Optional.of(AWS_JSON_1_1);
                default -> Optional.empty();
            };
        }
        if (type.equals("application/x-www-form-urlencoded") || request.bodyText().contains("Action=")) {
            return Optional.of(AWS_QUERY);
        }
        return Optional.empty();
    }

    boolean json() {
        return this != AWS_QUERY;
    }

    /** The error code of a request the endpoint cannot serve: an unknown operation, service or protocol. */
    String unknownOperationCode() {
        return json() ? "UnknownOperationException" : "InvalidAction";
    }

    /** The content type of replies in this protocol. */
    String replyType() {
        return replyType;
    }

    @Override
    public String toString() {
        return title;
    }
}
