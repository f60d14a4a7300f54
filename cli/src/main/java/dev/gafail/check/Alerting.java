package dev.gafail.check;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.actions.Target;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Arns;
import dev.gafail.topology.Region;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.sns.model.ListSubscriptionsByTopicResponse;

/**
 * Alerting tied to user impact, in one region: the topology's alarms (the user-impact alarms that gate its
 * changes) exist there, each acts on an SNS topic, and each such topic has a confirmed subscriber; an alarm
 * nobody hears is not alerting. Read from the region's CloudWatch, and each topic from its own region's SNS.
 */
final class Alerting {

    private static final int MAX_PAGES = 20;
    /** What SNS lists as a subscription's ARN until it is confirmed, and after it is deleted. */
    private static final Set<String> UNCONFIRMED = Set.of("PendingConfirmation", "Deleted");

    private final Target target;

    Alerting(Target target) {
        this.target = target;
    }

    Finding.Outcome evaluate(Region region, Clock clock) throws StepFailure {
        List<String> names = target.topology().alarms();
        if (names.isEmpty()) {
            return Finding.Outcome.fail("the topology names no user-impact alarms (alarms:)", clock.instant());
        }
        Map<String, MetricAlarm> found = target.telemetry().described(region.awsRegion(), names, null);
        List<String> problems = new ArrayList<>();
        Set<String> topics = new LinkedHashSet<>();
        for (String name : names) {
            MetricAlarm alarm = found.get(name);
            if (alarm == null) {
                problems.add("alarm " + name + " does not exist in " + region.awsRegion());
                continue;
            }
            List<String> sns = alarm.alarmActions().stream().filter(a -> a.startsWith("arn:") && a.contains(":sns:"))
                    .toList();
            if (sns.isEmpty()) {
                problems.add("alarm " + name + " notifies no SNS topic");
            } else if (!Boolean.TRUE.equals(alarm.actionsEnabled())) {
                problems.add("alarm " + name + " has its actions disabled");
            }
            topics.addAll(sns);
        }
        List<String> heard = new ArrayList<>();
        for (String topic : topics) {
            int confirmed = confirmed(topic);
            if (confirmed == 0) {
                problems.add("topic " + topic + " has no confirmed subscriber");
            } else {
                heard.add(topic + " (" + confirmed + " confirmed)");
            }
        }
        if (!problems.isEmpty()) {
            return Finding.Outcome.fail(String.join("; ", problems), clock.instant());
        }
        return Finding.Outcome.pass(String.join(", ", names) + " notify " + String.join(", ", heard), clock.instant());
    }

    /** How many of the topic's subscriptions are confirmed, asked of the topic's own region. */
    private int confirmed(String topic) throws StepFailure {
        String awsRegion = Arns.region(topic);
        Iterator<ListSubscriptionsByTopicResponse> pages = call("ListSubscriptionsByTopic", () -> target.aws()
                .sns(awsRegion).listSubscriptionsByTopicPaginator(r -> r.topicArn(topic)).iterator());
        int confirmed = 0;
        for (int page = 0; call("ListSubscriptionsByTopic", pages::hasNext); page++) {
            if (page == MAX_PAGES) {
                throw StepFailure.permanent("ListSubscriptionsByTopic: more than " + MAX_PAGES + " pages for " + topic);
            }
            confirmed += (int) call("ListSubscriptionsByTopic", pages::next).subscriptions().stream()
                    .filter(s -> s.subscriptionArn() != null && !UNCONFIRMED.contains(s.subscriptionArn())).count();
        }
        return confirmed;
    }
}
