package dev.gafail.lab.aws.wire;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An AWS API endpoint: reads a request in its protocol, dispatches it by the service and AWS region
 * of its SigV4 credential scope and by operation, and writes the service's output or error back in
 * the same protocol. Signatures are not checked (LocalStack does not check them either); unsigned
 * requests are refused, as at AWS. An endpoint may stand for one AWS region, and then refuses what
 * is signed for another, so that each region of the lab can answer on its own port.
 */
public final class AwsEndpoint {

    /** The error the request log gives a request that was read and never answered (its region's port hangs). */
    public static final String UNANSWERED = "unanswered";
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");

    private final Map<String, AwsService> services;
    private final Optional<String> region;
    private final Consumer<AwsRequest> inspector;
    private final Consumer<Exchange> recorder;

    public AwsEndpoint(Collection<? extends AwsService> services) {
        this(services.stream().collect(Collectors.toUnmodifiableMap(s -> s.shape().signingName(), Function.identity())),
                Optional.empty(), request -> {
                }, exchange -> {
                });
    }

    private AwsEndpoint(Map<String, AwsService> services, Optional<String> region, Consumer<AwsRequest> inspector,
                        Consumer<Exchange> recorder) {
        this.services = services;
        this.region = region;
        this.inspector = inspector;
        this.recorder = recorder;
    }

    /** The same services, answering only calls signed for {@code awsRegion}. */
    public AwsEndpoint onlyFor(String awsRegion) {
        return new AwsEndpoint(services, Optional.of(awsRegion), inspector, recorder);
    }

    /**
     * The same services, showing each well-formed request to {@code inspector} before its service
     * answers; the inspector may throw an {@link AwsFault} to answer in the service's stead.
     */
    public AwsEndpoint inspecting(Consumer<AwsRequest> inspector) {
        return new AwsEndpoint(services, region, inspector, recorder);
    }

    /**
     * One request as the endpoint answered it: the endpoint's AWS region ({@code any} for one that
     * answers every region), the request's, its service and operation (empty when it could not be
     * read), the HTTP status and the error code (empty on success).
     */
    public record Exchange(String endpoint, String region, String service, String operation, int status,
                           String error) {
    }

    /** The same services, telling {@code recorder} of every request and how it was answered. */
    public AwsEndpoint recording(Consumer<Exchange> recorder) {
        return new AwsEndpoint(services, region, inspector, recorder);
    }

    public WireReply handle(WireRequest wire) {
        Optional<Protocol> spoken = Protocol.of(wire);
        Protocol protocol = spoken.orElse(wire.header("X-Amz-Target").isEmpty() ? Protocol.AWS_QUERY
                : Protocol.AWS_JSON_1_1);
        AwsRequest request = null;
        WireReply reply;
        String error = "";
        try {
            if (spoken.isEmpty()) {
                throw AwsFault.invalid(protocol.unknownOperationCode(),
                        "the lab reads AWS JSON 1.0, AWS JSON 1.1 and AWS Query, not " + wire.mediaType());
            }
            request = read(wire, protocol);
            reply = answer(request);
        } catch (AwsFault fault) {
            reply = Replies.fault(protocol, fault);
            error = fault.code();
        } catch (RuntimeException e) {
            AwsFault fault = new AwsFault(500, protocol.json() ? "InternalServerException" : "InternalFailure",
                    "the lab could not answer: " + e);
            reply = Replies.fault(protocol, fault);
            error = fault.code();
        }
        recorder.accept(exchange(request, reply.status(), error));
        return reply;
    }

    /**
     * Tells the recorder of a request that will never be answered (its region is lost, its port hangs),
     * named as {@link #handle} names it, with status 0 and the error {@value #UNANSWERED}.
     */
    public void unanswered(WireRequest wire) {
        AwsRequest request = null;
        Optional<Protocol> protocol = Protocol.of(wire);
        if (protocol.isPresent()) {
            try {
                request = read(wire, protocol.get());
            } catch (AwsFault unreadable) {
                // logged without a service or operation, as handle logs it
            }
        }
        recorder.accept(exchange(request, 0, UNANSWERED));
    }

    private Exchange exchange(AwsRequest request, int status, String error) {
        String endpoint = region.orElse("any");
        return request == null ? new Exchange(endpoint, "", "", "", status, error)
                : new Exchange(endpoint, request.region(), request.service(), request.operation(), status, error);
    }

    private WireReply answer(AwsRequest request) {
        Protocol protocol = request.protocol();
        AwsService service = services.get(request.service());
        if (service == null) {
            throw AwsFault.invalid(protocol.unknownOperationCode(),
                    "the lab does not answer the AWS service '" + request.service() + "'");
        }
        if (region.isPresent() && !region.get().equals(request.region())) {
            throw new AwsFault(403, protocol.json() ? "InvalidSignatureException" : "SignatureDoesNotMatch",
                    "Credential should be scoped to a valid region, not '" + request.region() + "'; this endpoint"
                            + " is " + region.get() + "'s");
        }
        if (!service.shape().protocols().contains(protocol)) {
            throw AwsFault.invalid(protocol.unknownOperationCode(), "the lab"
                    + " answers " + request.service() + " over " + service.shape().protocols().stream()
                    .map(Protocol::toString).sorted().collect(Collectors.joining(", ")) + ", not " + protocol);
        }
        inspector.accept(request);
        return Replies.output(request, service.shape(), service.answer(request));
    }

    private static AwsRequest read(WireRequest wire, Protocol protocol) {
        Matcher scope = SCOPE.matcher(wire.header("Authorization"));
        if (!scope.find()) {
            throw new AwsFault(403, protocol.json() ? "MissingAuthenticationTokenException"
                    : "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        String body = wire.bodyText();
        String target = wire.header("X-Amz-Target");
        ObjectNode input;
        String operation;
        try {
            if (protocol.json()) {
                JsonNode tree = body.isBlank() ? Replies.JSON.createObjectNode() : Replies.JSON.readTree(body);
                if (!(tree instanceof ObjectNode object)) {
                    throw AwsFault.invalid("SerializationException", "the request body is not a JSON object");
                }
                input = object;
                operation = target.substring(target.indexOf('.') + 1);
            } else {
                input = QueryInput.read(body);
                operation = input.path("Action").asString("");
                input.remove("Action");
            }
        } catch (JacksonException e) {
            throw AwsFault.invalid("SerializationException", "cannot read the request: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw AwsFault.invalid("MalformedQueryString", "cannot read the request: " + e.getMessage());
        }
        return new AwsRequest(scope.group(2), scope.group(1), operation, protocol, input, target, body);
    }
}
