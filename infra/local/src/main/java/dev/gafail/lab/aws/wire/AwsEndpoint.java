package dev.gafail.lab.aws.wire;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An AWS API endpoint: reads a request in its protocol (which the request chooses, as at AWS: see
 * {@link Protocol}), dispatches it by the service and AWS region of its SigV4 credential scope and by
 * operation, and writes the service's output or error back in the same protocol. Signatures are not
 * checked (LocalStack does not check them either); unsigned requests are refused, as at AWS. An
 * endpoint may stand for one AWS region, and then refuses what is signed for another, so that each
 * region of the lab can answer on its own port.
 */
public final class AwsEndpoint {

    /** The error the request log gives a request that was read and never answered (its region's port hangs). */
    public static final String UNANSWERED = "unanswered";

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
     * answers every region), the request's, its service, operation and protocol (its Smithy trait
     * name, as {@code rpcv2Cbor}; the first two empty when it could not be read, the protocol when the
     * lab speaks none like it), the HTTP status and the error code (empty on success).
     */
    public record Exchange(String endpoint, String region, String service, String operation, String protocol,
                           int status, String error) {
    }

    /** The same services, telling {@code recorder} of every request and how it was answered. */
    public AwsEndpoint recording(Consumer<Exchange> recorder) {
        return new AwsEndpoint(services, region, inspector, recorder);
    }

    public WireReply handle(WireRequest wire) {
        Optional<Protocol> spoken = Protocol.of(wire);
        Protocol protocol = spoken.orElse(Protocol.nearest(wire));
        AwsRequest request = null;
        WireReply reply;
        String error = "";
        try {
            if (spoken.isEmpty()) {
                throw AwsFault.invalid(protocol.unknownOperationCode(), "the lab reads "
                        + Arrays.stream(Protocol.values()).map(Protocol::toString).collect(Collectors.joining(", "))
                        + "; not " + unspoken(wire));
            }
            request = Requests.read(wire, protocol);
            AwsService service = service(request);
            request = named(request, service.shape(), wire);
            inspector.accept(request);
            reply = Replies.output(request, service.shape(), service.answer(request));
        } catch (AwsFault fault) {
            reply = Replies.fault(request == null ? protocol : request.protocol(), queryCompatible(request), fault);
            error = fault.code();
        } catch (RuntimeException e) {
            AwsFault fault = new AwsFault(500, protocol.query() ? "InternalFailure" : "InternalServerException",
                    "the lab could not answer: " + e);
            reply = Replies.fault(request == null ? protocol : request.protocol(), queryCompatible(request), fault);
            error = fault.code();
        }
        recorder.accept(exchange(request, spoken, reply.status(), error));
        return reply;
    }

    /** What a request speaks that the lab does not. */
    private static String unspoken(WireRequest wire) {
        String smithy = wire.header(Protocol.SMITHY_PROTOCOL);
        if (!smithy.isEmpty()) {
            return "smithy-protocol " + smithy;
        }
        return wire.mediaType().isEmpty() ? "a request without a content type" : wire.mediaType();
    }

    private boolean queryCompatible(AwsRequest request) {
        return request != null && services.containsKey(request.service())
                && services.get(request.service()).shape().queryCompatible();
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
                request = Requests.read(wire, protocol.get());
                AwsService service = services.get(request.service());
                if (service != null && protocol.get() == Protocol.REST_JSON) {
                    request = Requests.routed(request, service.shape(), wire);
                }
            } catch (AwsFault unreadable) {
                // logged without what could not be read, as handle logs it
            }
        }
        recorder.accept(exchange(request, protocol, 0, UNANSWERED));
    }

    private Exchange exchange(AwsRequest request, Optional<Protocol> protocol, int status, String error) {
        String endpoint = region.orElse("any");
        String spoken = protocol.map(Protocol::id).orElse("");
        return request == null ? new Exchange(endpoint, "", "", "", spoken, status, error)
                : new Exchange(endpoint, request.region(), request.service(), request.operation(), spoken, status, error);
    }

    /** The service that answers a request, if it answers it here, over this protocol. */
    private AwsService service(AwsRequest request) {
        Protocol protocol = request.protocol();
        AwsService service = services.get(request.service());
        if (service == null) {
            throw AwsFault.invalid(protocol.unknownOperationCode(),
                    "the lab does not answer the AWS service '" + request.service() + "'");
        }
        if (region.isPresent() && !region.get().equals(request.region())) {
            throw new AwsFault(403, protocol.query() ? "SignatureDoesNotMatch" : "InvalidSignatureException",
                    "Credential should be scoped to a valid region, not '" + request.region() + "'; this endpoint"
                            + " is " + region.get() + "'s");
        }
        ServiceShape shape = service.shape();
        if (!shape.protocols().contains(protocol)) {
            throw AwsFault.invalid(protocol.unknownOperationCode(), "the lab"
                    + " answers " + request.service() + " over " + shape.protocols().stream()
                    .map(Protocol::toString).sorted().collect(Collectors.joining(", ")) + ", not " + protocol);
        }
        return service;
    }

    /** The request with its operation: a REST route's, or the one its target names, which must be the service's. */
    private static AwsRequest named(AwsRequest request, ServiceShape shape, WireRequest wire) {
        if (request.protocol() == Protocol.REST_JSON) {
            return Requests.routed(request, shape, wire);
        }
        if (request.protocol().targeted() && !request.target().equals(shape.target() + "." + request.operation())) {
            throw AwsFault.invalid(request.protocol().unknownOperationCode(), "the lab answers " + request.service()
                    + " as " + shape.target() + ", not " + request.target());
        }
        return request;
    }
}
