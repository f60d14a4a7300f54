package dev.gafail.aws;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** CloudWatch as gafail reads it: the newest datapoint of a metric, alarm states, and what drills publish. */
public final class Telemetry {

    /** How far back a datapoint still counts as current. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private static final int MAX_ALARM_PAGES = 50;

    private final AwsClients aws;
    private final Clock clock;

    public Telemetry(AwsClients aws, Clock clock) {
        this.aws = aws;
        this.clock = clock;
    }

    /** A metric to read: namespace, name, dimensions, statistic and period. */
    public record Metric(String namespace, String name, Map<String, String> dimensions, String stat, Duration period) {

        public Metric {
            dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
        }

        public String describe() {
            return namespace + " " + name + (dimensions.isEmpty() ? "" : " " + dimensions) + " " + stat + "/"
                    + period.toSeconds() + "s";
        }
    }

    /** How far the secondary's replica lags its primary, in milliseconds, as Aurora reports it for that cluster. */
    public static Metric rpoLag(Region secondary) {
        return new Metric("AWS/RDS", "AuroraGlobalDBRPOLag", Map.of("DBClusterIdentifier", secondary.dbClusterId()),
                "Maximum", Duration.ofMinutes(1));
    }

    /** The newest datapoint within {@link #WINDOW}; empty when there is none: unknown, never zero. */
    public OptionalDouble latest(String awsRegion, Metric metric) throws StepFailure {
        Instant end = clock.instant();
        List<Dimension> dimensions = new ArrayList<>();
        metric.dimensions().forEach((k, v) -> dimensions.add(Dimension.builder().name(k).value(v).build()));
        GetMetricDataResponse response = call("GetMetricData", () -> aws.cloudWatch(awsRegion).getMetricData(r -> r
                .startTime(end.minus(WINDOW)).endTime(end).scanBy("TimestampDescending")
                .metricDataQueries(q -> q.id("m0").returnData(true).metricStat(s -> s
                        .stat(metric.stat()).period((int) metric.period().toSeconds())
                        .metric(m -> m.namespace(metric.namespace()).metricName(metric.name()).dimensions(dimensions))))));
        for (MetricDataResult result : response.metricDataResults()) {
            for (int i = 0; i < result.values().size(); i++) {
                Instant at = i < result.timestamps().size() ? result.timestamps().get(i) : null;
                if (at == null || !at.isBefore(end.minus(WINDOW))) {
                    return OptionalDouble.of(result.values().get(i));
                }
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * Alarm name to state (OK, ALARM, INSUFFICIENT_DATA) for the names or the prefix given, every
     * page of them; an alarm that does not exist in the region is absent, for the caller to report.
     */
    public Map<String, String> alarms(String awsRegion, List<String> names, String prefix) throws StepFailure {
        Map<String, String> states = new LinkedHashMap<>();
        described(awsRegion, names, prefix).forEach((name, alarm) -> states.put(name, alarm.stateValueAsString()));
        return states;
    }

    /**
     * The alarms of {@code names} or {@code prefix} as CloudWatch describes them (actions included), by name,
     * every page of them; an alarm that does not exist in the region is absent.
     */
    public Map<String, MetricAlarm> described(String awsRegion, List<String> names, String prefix)
            throws StepFailure {
        Map<String, MetricAlarm> found = new LinkedHashMap<>();
        Iterator<DescribeAlarmsResponse> pages = call("DescribeAlarms", () -> aws.cloudWatch(awsRegion)
                .describeAlarmsPaginator(r -> {
                    r.maxRecords(100);
                    if (prefix != null) {
                        r.alarmNamePrefix(prefix);
                    } else {
                        r.alarmNames(names);
                    }
                }).iterator());
        // Bounded: an endpoint that hands out a next token forever must not keep gafail reading.
        for (int page = 0; call("DescribeAlarms", pages::hasNext); page++) {
            if (page == MAX_ALARM_PAGES) {
                throw StepFailure.permanent("DescribeAlarms: more than " + MAX_ALARM_PAGES * 100
                        + " alarms; name them, or a narrower prefix");
            }
            call("DescribeAlarms", pages::next).metricAlarms().forEach(a -> found.put(a.alarmName(), a));
        }
        return found;
    }

    /** One value to publish, e.g. a drill's measured RTO. */
    public record Datum(String name, double value, String unit, Map<String, String> dimensions) {
    }

    public void put(String awsRegion, String namespace, List<Datum> data) throws StepFailure {
        List<MetricDatum> metrics = data.stream().map(d -> MetricDatum.builder().metricName(d.name()).value(d.value())
                .unit(d.unit() == null ? StandardUnit.NONE : StandardUnit.fromValue(d.unit())).timestamp(clock.instant())
                .dimensions(d.dimensions() == null ? List.of() : d.dimensions().entrySet().stream()
                        .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                .build()).toList();
        call("PutMetricData", () -> aws.cloudWatch(awsRegion).putMetricData(r -> r.namespace(namespace).metricData(metrics)));
    }
}
