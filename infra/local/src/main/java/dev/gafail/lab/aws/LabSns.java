package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SNS's Publish, to the one topic of each AWS region of the lab ({@link LabResources#topicArn}); any
 * other target is NotFound, as SNS says of a topic it does not have. Every message is kept, a line
 * each, in the file it was given ({@link SnsMessage}), written before Publish answers, so that a
 * message acknowledged is a message kept. Each topic has one confirmed subscriber, the on-call the alarms
 * notify (ListSubscriptionsByTopic), until it is taken away (Unsubscribe), which a test of {@code gafail
 * check} does; a lab that starts again has it back.
 */
final class LabSns implements AwsService {

    private static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final int MAX_SUBJECT = 100;
    /** Who each topic's one subscription reaches: the alarms' on-call, as infra/aws subscribes them. */
    private static final String SUBSCRIBER = "oncall@gafail-lab.invalid";

    private final LabRegions lab;
    private final Path messages;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    /** Each topic's confirmed subscriptions, by ARN. */
    private final Map<String, List<String>> subscriptions = new LinkedHashMap<>();

    /** @param messages the file that keeps them; the messages already there count */
    LabSns(LabRegions lab, Path messages) throws IOException {
        this.lab = lab;
        this.messages = messages;
        lab.regions().forEach(r -> {
            counts.put(LabResources.topicArn(r), 0L);
            subscriptions.put(LabResources.topicArn(r), new ArrayList<>(List.of(LabResources.topicArn(r) + ":"
                    + UUID.nameUUIDFromBytes(r.getBytes(StandardCharsets.UTF_8)))));
        });
        for (SnsMessage kept : SnsMessage.read(messages)) {
            counts.merge(kept.topic(), 1L, Long::sum);
        }
    }

    @Override
    public ServiceShape shape() {
        return ServiceShape.SNS;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        return switch (request.operation()) {
            case "Publish" -> publish(request);
            case "ListSubscriptionsByTopic" -> listSubscriptions(request);
            case "Unsubscribe" -> unsubscribe(request);
            default -> throw request.unknownOperation();
        };
    }

    /** The region's topic that {@code topic} names, or NotFound, as SNS says of a topic it does not have. */
    private static String ours(AwsRequest request, String topic) {
        boolean ours = LabResources.labRegion(request.region()).map(LabResources::topicArn)
                .filter(topic::equals).isPresent();
        if (!ours) {
            throw new AwsFault(404, "NotFound", topic.isEmpty() ? "Topic does not exist (the lab's SNS publishes"
                    + " to its topics only, not to phone numbers)" : "Topic does not exist: " + topic);
        }
        return topic;
    }

    /** The topic's subscriptions: its one on-call subscriber, confirmed, until it unsubscribes. */
    private synchronized ObjectNode listSubscriptions(AwsRequest request) {
        String topic = ours(request, request.text("TopicArn"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode listed = out.putArray("Subscriptions");
        subscriptions.getOrDefault(topic, List.of()).forEach(arn -> listed.addObject().put("SubscriptionArn", arn)
                .put("Owner", LabResources.ACCOUNT).put("Protocol", "email").put("Endpoint", SUBSCRIBER)
                .put("TopicArn", topic));
        return out;
    }

    private synchronized ObjectNode unsubscribe(AwsRequest request) {
        String arn = request.text("SubscriptionArn");
        boolean removed = subscriptions.values().stream().anyMatch(list -> list.remove(arn));
        if (!removed) {
            throw new AwsFault(404, "NotFound", "Subscription does not exist: " + arn);
        }
        return JsonNodeFactory.instance.objectNode();
    }

    private ObjectNode publish(AwsRequest request) {
        String topic = ours(request, request.text("TopicArn").isEmpty() ? request.text("TargetArn")
                : request.text("TopicArn"));
        String message = request.text("Message");
        if (message.isEmpty() || message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw AwsFault.invalid("InvalidParameter", "Invalid parameter: Message: 1 byte to 256 KB");
        }
        String subject = request.text("Subject");
        if (subject.length() > MAX_SUBJECT || subject.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw AwsFault.invalid("InvalidParameter", "Invalid parameter: Subject: up to 100 printable ASCII"
                    + " characters, no line breaks");
        }
        String id = UUID.randomUUID().toString();
        keep(new SnsMessage(Instant.now().toString(), request.region(), topic, id, subject, message,
                attributes(request.path("MessageAttributes"))));
        return JsonNodeFactory.instance.objectNode().put("MessageId", id);
    }

    /** Query's {@code MessageAttributes.entry.N.Name} and {@code .Value.DataType/StringValue/BinaryValue}. */
    private static Map<String, SnsMessage.Attribute> attributes(JsonNode entries) {
        Map<String, SnsMessage.Attribute> attributes = new LinkedHashMap<>();
        for (JsonNode entry : entries) {
            JsonNode value = entry.path("Value");
            attributes.put(entry.path("Name").asString(""), new SnsMessage.Attribute(value.path("DataType").asString(""),
                    value.has("BinaryValue") ? value.path("BinaryValue").asString("")
                            : value.path("StringValue").asString("")));
        }
        return attributes;
    }

    private synchronized void keep(SnsMessage message) {
        try {
            Files.writeString(messages, message.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the message in " + messages, e);
        }
        counts.merge(message.topic(), 1L, Long::sum);
    }

    /** Each topic, with how many messages it received. */
    synchronized List<TopicView> topics() {
        List<TopicView> topics = new ArrayList<>();
        for (String region : lab.regions()) {
            String topic = LabResources.topicArn(region);
            topics.add(new TopicView(LabResources.AWS_REGIONS.get(region), topic, counts.getOrDefault(topic, 0L)));
        }
        return topics;
    }
}
