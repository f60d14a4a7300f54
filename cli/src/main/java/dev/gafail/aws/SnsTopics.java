package dev.gafail.aws;

import dev.gafail.engine.Notification;
import dev.gafail.engine.NotificationSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Amazon SNS as a notification sink: a topic in each region, and each message published to one of them,
 * the first that answers in the order given (the region the execution moves to first). Its clients try
 * each region once with short limits, and pass over at once a region this command already found lost.
 * The message carries attributes a subscription can filter on: {@code topology}, {@code event},
 * {@code runbook}, {@code execution}.
 */
public final class SnsTopics implements NotificationSink {

    /** One region's topic. */
    public record Topic(String region, String awsRegion, String arn) {
    }

    private final AwsClients aws;
    private final List<Topic> topics;

    /** @param topics in the order to try them */
    public SnsTopics(AwsClients aws, List<Topic> topics) {
        this.aws = aws;
        this.topics = List.copyOf(topics);
    }

    @Override
    public void deliver(Notification notification) throws Undelivered {
        List<String> failures = new ArrayList<>();
        for (Topic topic : topics) {
            try {
                aws.sns(topic.awsRegion()).publish(p -> p.topicArn(topic.arn()).subject(notification.subject())
                        .message(notification.text()).messageAttributes(attributes(notification)));
                return;
            } catch (SdkException e) {
                failures.add(topic.region() + ": " + AwsErrors.describe("Publish", e));
            }
        }
        throw new Undelivered(String.join("; ", failures));
    }

    private static Map<String, MessageAttributeValue> attributes(Notification n) {
        Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
        if (n.about().topology() != null) {
            out.put("topology", text(n.about().topology()));
        }
        out.put("event", text(n.kind().wire()));
        out.put("runbook", text(n.about().runbook()));
        out.put("execution", text(n.execution()));
        return out;
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
