package dev.gafail.testing;


import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SNS and SSM Parameter Store on 127.0.0.1 ({@link AwsStub}): the lab's wire layer reads what the
 * SDK sends (SNS's {@code Publish} in AWS Query, SSM's {@code GetParameter} in AWS JSON 1.1) and writes
 * the replies, and a small model answers. Every call is kept with the AWS region it was signed for; a
 * region's SNS can be made to refuse. The lab's own SNS does not serve here: it publishes only to the
 * lab's topics and keeps its messages in a file, where these tests publish to any topic and read back
 * each message's attributes.
 */
public final class SnsSsmStub implements AutoCloseable {

    /** One Publish as it came: where it was signed, and its input. */
    public record Published(String signingRegion, String topicArn, String subject, String message,
                            Map<String, String> attributes) {
    }

    private final AwsStub stub = new AwsStub(List.of(AwsService.of(ServiceShape.SNS, this::sns),
            AwsService.of(ServiceShape.SSM, this::ssm)));
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<String> parameterReads = new CopyOnWriteArrayList<>();
    private final Map<String, String> parameters = new HashMap<>();
    private final Set<String> refusing = new HashSet<>();

    public String url() {
        return stub.url();
    }

    /** SSM in {@code awsRegion} holds {@code name} = {@code value} (a SecureString). */
    public synchronized void parameter(String awsRegion, String name, String value) {
        parameters.put(awsRegion + " " + name, value);
    }

    /** SNS in {@code awsRegion} answers every Publish with AuthorizationError (403, not retried). */
    public synchronized void refuse(String awsRegion) {
        refusing.add(awsRegion);
    }

    public List<Published> published() {
        return List.copyOf(published);
    }

    /** The GetParameter calls, as {@code signing-region name}, in order. */
    public List<String> parameterReads() {
        return List.copyOf(parameterReads);
    }

    @Override
    public void close() {
        stub.close();
    }

    private synchronized ObjectNode sns(AwsRequest request) {
        if (!request.operation().equals("Publish")) {
            throw request.unknownOperation();
        }
        if (refusing.contains(request.region())) {
            throw new AwsFault(403, "AuthorizationError", "refused by the test");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        request.path("MessageAttributes").forEach(entry -> attributes.put(entry.path("Name").asString(""),
                entry.path("Value").path("StringValue").asString("")));
        published.add(new Published(request.region(), request.text("TopicArn"), request.text("Subject"),
                request.text("Message"), attributes));
        return JsonNodeFactory.instance.objectNode().put("MessageId", UUID.randomUUID().toString());
    }

    /**
     * A SecureString read without {@code WithDecryption} would hand gafail ciphertext; it is refused as
     * missing, so that a client that forgets to ask fails loudly here.
     */
    private synchronized ObjectNode ssm(AwsRequest request) {
        if (!request.operation().equals("GetParameter")) {
            throw request.unknownOperation();
        }
        String name = request.text("Name");
        parameterReads.add(request.region() + " " + name);
        String value = parameters.get(request.region() + " " + name);
        if (value == null || !request.path("WithDecryption").asBoolean(false)) {
            throw AwsFault.invalid("ParameterNotFound", "Parameter " + name + " not found.");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("Parameter").put("Name", name).put("Type", "SecureString").put("Value", value).put("Version", 1);
        return out;
    }
}
