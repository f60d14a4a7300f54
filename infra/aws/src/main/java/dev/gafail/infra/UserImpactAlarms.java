package dev.gafail.infra;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeElb;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * What users feel, in one region: the ALB's 5xx rate and p95 latency and the service running fewer
 * tasks than it should (these three gate gafail's changes, by name), and the global database's
 * replication lag. Missing data is not breaching: a passive region without traffic is not failing.
 * Each alarm notifies the region's topic when it fires and when it recovers: an alarm nobody hears
 * is not alerting ({@code gafail check} fails a region whose topic has no confirmed subscriber).
 */
final class UserImpactAlarms extends Construct {

    private static final Duration MINUTE = Duration.minutes(1);

    private final SnsAction notify;

    UserImpactAlarms(Construct scope, InfraConfig config, InfraConfig.RegionConfig region, ApiService api,
                     DatabaseMember database) {
        super(scope, "Alarms");
        // The display name is the sender of the e-mails: recipients see which topology and region asks.
        Topic topic = Topic.Builder.create(this, "Topic").topicName(config.alarmTopic())
                .displayName(config.name() + " alarms, " + region.name()).build();
        config.alarms().notifyEmails().forEach(address -> topic.addSubscription(new EmailSubscription(address)));
        notify = new SnsAction(topic);
        InfraConfig.Alarms limits = config.alarms();
        alarm("FiveXxRate", config.gatingAlarms().get(0), "5xx rate of " + region.name() + "'s ALB above "
                + limits.fiveXxPercent() + "%", fiveXxRate(api), limits.fiveXxPercent(), 2);
        alarm("P95Latency", config.gatingAlarms().get(1), "p95 response time of " + region.name() + " above "
                        + limits.p95Seconds() + " s",
                api.targets().getMetrics().targetResponseTime(MetricOptions.builder().statistic("p95").period(MINUTE)
                        .build()), limits.p95Seconds(), 3);
        Map<String, String> service = Map.of("ClusterName", api.clusterName(), "ServiceName", config.ecsService());
        IMetric missing = MathExpression.Builder.create().expression("desired - running")
                .usingMetrics(Map.of("desired", tasks("DesiredTaskCount", service),
                        "running", tasks("RunningTaskCount", service)))
                .period(MINUTE).label("tasks missing").build();
        alarm("Capacity", config.gatingAlarms().get(2), region.name() + " runs fewer tasks than desired", missing,
                0, 5);
        alarm("RpoLag", config.rpoLagAlarm(), "replication lag of " + config.clusterId(region) + " above "
                        + limits.rpoLagSeconds() + " s",
                Metric.Builder.create().namespace("AWS/RDS").metricName("AuroraGlobalDBRPOLag")
                        .dimensionsMap(Map.of("DBClusterIdentifier", database.clusterId())).statistic("Maximum")
                        .period(MINUTE).build(), limits.rpoLagSeconds() * 1000, 3);
    }

    /**
     * The share of the ALB's answers that were 5xx, in percent, per minute: the tasks' own 5xx and
     * those the ALB answers itself (502, 503 with no healthy target, 504), which is what a drained
     * service gives users. The ALB's RequestCount leaves out requests it refused before choosing a
     * target, so the denominator is the larger of the requests and the errors: a minute of nothing
     * but 503s is 100%, not more.
     */
    static IMetric fiveXxRate(ApiService api) {
        IMetric errors = MathExpression.Builder.create().expression("FILL(target, 0) + FILL(balancer, 0)")
                .usingMetrics(Map.of(
                        "target", api.targets().getMetrics().httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT),
                        "balancer", api.loadBalancer().getMetrics().httpCodeElb(HttpCodeElb.ELB_5XX_COUNT)))
                .period(MINUTE).label("5xx answers").build();
        IMetric served = MathExpression.Builder.create().expression("FILL(requests, 1)")
                .usingMetrics(Map.of("requests", api.loadBalancer().getMetrics().requestCount()))
                .period(MINUTE).label("requests").build();
        return MathExpression.Builder.create().expression("100 * errors / MAX([served, errors])")
                .usingMetrics(Map.of("errors", errors, "served", served))
                .period(MINUTE).label("5xx rate (%)").build();
    }

    private static Metric tasks(String name, Map<String, String> service) {
        return Metric.Builder.create().namespace("ECS/ContainerInsights").metricName(name).dimensionsMap(service)
                .statistic("Minimum").build();
    }

    private void alarm(String id, String name, String description, IMetric metric, double threshold, int periods) {
        Alarm alarm = Alarm.Builder.create(this, id).alarmName(name).alarmDescription(description).metric(metric)
                .threshold(threshold).evaluationPeriods(periods).datapointsToAlarm(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build();
        alarm.addAlarmAction(notify);
        alarm.addOkAction(notify);
    }
}
