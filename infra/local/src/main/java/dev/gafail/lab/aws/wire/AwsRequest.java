package dev.gafail.lab.aws.wire;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One AWS API call, read off the wire whatever its protocol: the service and AWS region it is signed
 * for and the access key id that signed it (the SigV4 credential), the operation, and its input as one
 * JSON tree, so that a service reads its input the same way in every protocol it answers. {@code target} is {@code
 * Service.Operation} ({@code X-Amz-Target}, or RPCv2's path), "" for AWS Query; {@code body} is the
 * request as sent, or for RPCv2 CBOR its input as JSON text.
 */
public record AwsRequest(String service, String region, String accessKeyId, String operation, Protocol protocol,
                         ObjectNode input, String target, String body) {

    /** A top-level input member as text, "" when absent. */
    public String text(String member) {
        return input.path(member).asString("");
    }

    public JsonNode path(String member) {
        return input.path(member);
    }

    /**
     * A top-level timestamp member, empty when absent: ISO 8601 text in AWS Query, epoch seconds in
     * the JSON protocols and RPCv2 CBOR (whose tag 1 the reader drops); anything else is the caller's
     * error.
     */
    public Optional<Instant> time(String member) {
        JsonNode value = input.path(member);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        try {
            if (value.isNumber()) {
                BigDecimal seconds = value.decimalValue();
                return Optional.of(Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue()));
            }
            return Optional.of(Instant.parse(value.asString()));
        } catch (DateTimeException | ArithmeticException e) {
            throw AwsFault.invalid(protocol.query() ? "InvalidParameterValue" : "ValidationException",
                    member + " is not a timestamp: " + value);
        }
    }

    /** The reply to an operation the service does not answer, in its protocol's words. */
    public AwsFault unknownOperation() {
        return AwsFault.invalid(protocol.unknownOperationCode(),
                "the lab does not answer " + service + " " + operation);
    }
}
