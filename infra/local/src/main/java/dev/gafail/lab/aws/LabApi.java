package dev.gafail.lab.aws;

import dev.gafail.lab.edge.Edge;
import dev.gafail.lab.postgres.LostTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The AWS operations gafail calls, answered from the lab's real state: the edge's dials and health
 * (Global Accelerator), the PostgreSQL roles (Aurora global database), the sample-api processes
 * (ECS), replication lag (CloudWatch), and a caller identity (STS). Changes run in the background and
 * read as in progress until the lab has made them, as AWS's do.
 */
public final class LabApi {

    private static final String GLOBAL_CLUSTER = "lab-global";
    private static final String RDS_NS = "http://rds.amazonaws.com/doc/2014-10-31/";
    private static final String CLOUDWATCH_NS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    /** How long the accelerator reads IN_PROGRESS after a dial change (the edge applies it at once). */
    private static final Duration DEPLOYING = Duration.ofMillis(500);
    private static final String ALARM = "lab-5xx";
    private static final int ALARM_5XX = 5;
    /** A high-resolution alarm's period: the lab's alarms clear in lab time, as its holds are short. */
    private static final Duration ALARM_PERIOD = Duration.ofSeconds(10);

    /** A writer change in flight, as Aurora's FailoverState shows it. */
    private record Transition(String status, String from, String to, boolean dataLoss) {
    }

    private final LabRegions lab;
    private final EdgeMetrics edge;
    private volatile Instant deployedAt = Instant.EPOCH;
    private volatile Transition transition;
    private final List<DatabaseEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> desired = new ConcurrentHashMap<>();
    private final Map<String, Thread> scaling = new ConcurrentHashMap<>();

    public LabApi(LabRegions lab) {
        this.lab = lab;
        this.edge = new EdgeMetrics(lab.edge());
        lab.regions().forEach(r -> desired.put(r, lab.processes(r)));
    }

    /** An RDS event of a member cluster, as DescribeEvents lists it. */
    private record DatabaseEvent(Instant time, String region, String category, String message) {
    }

    AwsReply answer(AwsCall call) {
        if (call.json() && call.service().equals("monitoring")) {
            return AwsReply.error(true, 400, "UnsupportedProtocolException", "the lab answers CloudWatch over AWS"
                    + " Query, as the AWS SDK for Java up to 2.40.5 and the AWS CLI v2 speak it, not AWS JSON 1.0");
        }
        try {
            return switch (call.operation()) {
                case "DescribeAccelerator" -> describeAccelerator();
                case "DescribeEndpointGroup" -> AwsReply.json(wrap("EndpointGroup", group(groupRegion(call))));
                case "UpdateEndpointGroup" -> updateEndpointGroup(call);
                case "DescribeGlobalClusters" -> describeGlobalClusters();
                case "DescribeDBClusters" -> describeDbClusters();
                case "SwitchoverGlobalCluster" -> changeWriter(call, false);
                case "FailoverGlobalCluster" -> changeWriter(call, true);
                case "DescribeEvents" -> describeEvents(call);
                case "DescribeServices" -> describeServices(call);
                case "UpdateService" -> updateService(call);
                case "GetMetricData" -> getMetricData(call);
                case "GetMetricStatistics" -> getMetricStatistics(call);
                case "DescribeAlarms" -> describeAlarms(call);
                case "PutMetricData" -> AwsReply.query("PutMetricData", CLOUDWATCH_NS, "");
                case "GetCallerIdentity" -> AwsReply.query("GetCallerIdentity", STS_NS, "<Arn>arn:aws:iam::"
                        + LabResources.ACCOUNT + ":root</Arn><UserId>" + LabResources.ACCOUNT + "</UserId><Account>"
                        + LabResources.ACCOUNT + "</Account>");
                default -> AwsReply.error(call.json(), 400, call.json() ? "UnknownOperationException" : "InvalidAction",
                        "the lab does not answer " + call.service() + " " + call.operation());
            };
        } catch (NotFound e) {
            return AwsReply.error(call.json(), 400, e.code, e.getMessage());
        }
    }

    /** A resource the lab does not have, with the error code its service uses. */
    private static final class NotFound extends RuntimeException {
        final String code;

        NotFound(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    // --- Global Accelerator

    private AwsReply describeAccelerator() {
        String status = Instant.now().isBefore(deployedAt) ? "IN_PROGRESS" : "DEPLOYED";
        ObjectNode accelerator = AwsCall.JSON.createObjectNode().put("AcceleratorArn", LabResources.ACCELERATOR)
                .put("Name", "gafail-lab").put("Status", status).put("Enabled", true);
        return AwsReply.json(wrap("Accelerator", accelerator));
    }

    private String groupRegion(AwsCall call) {
        String arn = call.text("EndpointGroupArn");
        return lab.regions().stream().filter(r -> LabResources.endpointGroupArn(r).equals(arn)).findFirst()
                .orElseThrow(() -> new NotFound("EndpointGroupNotFoundException", "no endpoint group " + arn));
    }

    private ObjectNode group(String region) {
        Edge.RegionView view = lab.edge().view().stream().filter(v -> v.region().equals(region)).findFirst()
                .orElseThrow();
        ObjectNode group = AwsCall.JSON.createObjectNode().put("EndpointGroupArn", LabResources.endpointGroupArn(region))
                .put("EndpointGroupRegion", LabResources.AWS_REGIONS.get(region))
                .put("TrafficDialPercentage", (float) view.dial()).put("HealthCheckPath", "/healthz")
                .put("HealthCheckIntervalSeconds", 2).put("ThresholdCount", 2);
        group.putArray("EndpointDescriptions").addObject().put("EndpointId", "lab-" + region)
                .put("HealthState", view.healthyEndpoints() > 0 ? "HEALTHY" : "UNHEALTHY");
        return group;
    }

    private AwsReply updateEndpointGroup(AwsCall call) {
        String region = groupRegion(call);
        if (call.body().has("TrafficDialPercentage")) {
            double dial = call.body().path("TrafficDialPercentage").asDouble();
            if (dial < 0 || dial > 100) {
                return AwsReply.error(true, 400, "InvalidArgumentException", "TrafficDialPercentage must be 0-100");
            }
            deployedAt = Instant.now().plus(DEPLOYING);
            lab.dial(region, (int) Math.round(dial));
        }
        return AwsReply.json(wrap("EndpointGroup", group(region)));
    }

    // --- RDS

    private AwsReply describeGlobalClusters() {
        Transition t = transition;
        String writer = lab.writer();
        StringBuilder members = new StringBuilder();
        for (String region : lab.regions()) {
            members.append("<GlobalClusterMember><DBClusterArn>").append(LabResources.clusterArn(region))
                    .append("</DBClusterArn><IsWriter>").append(region.equals(writer)).append("</IsWriter>")
                    .append("</GlobalClusterMember>");
        }
        String failover = t == null ? "" : "<FailoverState><Status>" + t.status() + "</Status><FromDbClusterArn>"
                + LabResources.clusterArn(t.from()) + "</FromDbClusterArn><ToDbClusterArn>"
                + LabResources.clusterArn(t.to()) + "</ToDbClusterArn><IsDataLossAllowed>" + t.dataLoss()
                + "</IsDataLossAllowed></FailoverState>";
        return AwsReply.query("DescribeGlobalClusters", RDS_NS, "<GlobalClusters><GlobalClusterMember>"
                + "<GlobalClusterIdentifier>" + GLOBAL_CLUSTER + "</GlobalClusterIdentifier>"
                + "<GlobalClusterArn>arn:aws:rds::" + LabResources.ACCOUNT + ":global-cluster:" + GLOBAL_CLUSTER
                + "</GlobalClusterArn><Status>" + (t == null ? "available" : "modifying") + "</Status>"
                + "<Engine>aurora-postgresql</Engine><GlobalClusterMembers>" + members + "</GlobalClusterMembers>"
                + failover + "</GlobalClusterMember></GlobalClusters>");
    }

    private AwsReply describeDbClusters() {
        StringBuilder clusters = new StringBuilder();
        for (String region : lab.regions()) {
            boolean up = lab.databaseRunning(region);
            clusters.append("<DBCluster><DBClusterIdentifier>lab-").append(region).append("</DBClusterIdentifier>")
                    .append("<DBClusterArn>").append(LabResources.clusterArn(region)).append("</DBClusterArn>")
                    .append("<Status>").append(up ? "available" : "inaccessible-encryption-credentials-recoverable")
                    .append("</Status><Engine>aurora-postgresql</Engine></DBCluster>");
        }
        return AwsReply.query("DescribeDBClusters", RDS_NS, "<DBClusters>" + clusters + "</DBClusters>");
    }

    private AwsReply changeWriter(AwsCall call, boolean unplanned) {
        String operation = unplanned ? "FailoverGlobalCluster" : "SwitchoverGlobalCluster";
        if (!GLOBAL_CLUSTER.equals(call.text("GlobalClusterIdentifier"))) {
            throw new NotFound("GlobalClusterNotFoundFault", "no global cluster " + call.text("GlobalClusterIdentifier"));
        }
        String targetArn = call.text("TargetDbClusterIdentifier");
        String to = lab.regions().stream().filter(r -> LabResources.clusterArn(r).equals(targetArn)
                || ("lab-" + r).equals(targetArn)).findFirst()
                .orElseThrow(() -> new NotFound("DBClusterNotFoundFault", "no cluster " + targetArn));
        boolean dataLoss = unplanned && "true".equals(call.text("AllowDataLoss"));
        synchronized (this) {
            if (transition != null) {
                return AwsReply.error(false, 400, "InvalidGlobalClusterStateFault", "the global cluster is already "
                        + transition.status());
            }
            String from = lab.writer();
            if (!to.equals(from)) {
                transition = new Transition(unplanned ? "failing-over" : "switching-over", from, to, dataLoss);
                String kind = unplanned ? "Global failover" : "Global switchover";
                String what = kind + " to DB cluster lab-" + to + " in Region " + LabResources.AWS_REGIONS.get(to);
                event(to, what + " started.");
                Thread change = new Thread(() -> {
                    try {
                        if (unplanned) {
                            reportLoss(from, to, lab.failover(to));
                        } else {
                            lab.switchover(to);
                        }
                        event(to, what + " completed.");
                    } catch (Exception e) {
                        event(to, what + " failed: " + e.getMessage());
                        System.err.println("lab: " + operation + " to " + to + " failed: " + e.getMessage());
                    } finally {
                        transition = null;
                    }
                }, "lab-" + operation);
                change.setDaemon(true);
                change.start();
            }
        }
        return AwsReply.query(operation, RDS_NS, "<GlobalCluster><GlobalClusterIdentifier>" + GLOBAL_CLUSTER
                + "</GlobalClusterIdentifier></GlobalCluster>");
    }

    private void event(String region, String message) {
        events.add(new DatabaseEvent(Instant.now(), region, "global-failover", message));
    }

    /**
     * What the unplanned failover lost, as events of the new writer's cluster. Aurora cannot list
     * lost transactions; the lab can, because it still has the old primary's files.
     */
    private void reportLoss(String from, String to, List<LostTransaction> lost) {
        String old = "lab-" + from;
        if (lost.isEmpty()) {
            events.add(new DatabaseEvent(Instant.now(), to, "notification", "Data loss: none; every transaction"
                    + " committed on " + old + " had reached lab-" + to + "."));
            return;
        }
        events.add(new DatabaseEvent(Instant.now(), to, "notification", "Data loss: " + lost.size()
                + " transaction(s) committed on " + old + " never reached lab-" + to + " and are lost."));
        for (LostTransaction t : lost) {
            events.add(new DatabaseEvent(Instant.now(), to, "notification", "Lost transaction " + t.xid()
                    + (t.committedAt() == null ? "" : " committed at " + t.committedAt()) + " on " + old + ": "
                    + String.join("; ", t.changes())));
        }
    }

    /** DescribeEvents of a member cluster ({@code SourceType=db-cluster}) since {@code StartTime}. */
    private AwsReply describeEvents(AwsCall call) {
        String source = call.text("SourceIdentifier");
        Instant since = call.text("StartTime").isEmpty() ? Instant.EPOCH : Instant.parse(call.text("StartTime"));
        StringBuilder out = new StringBuilder("<Events>");
        for (DatabaseEvent e : events) {
            String id = "lab-" + e.region();
            boolean wanted = source.isEmpty() || source.equals(id) || source.equals(LabResources.clusterArn(e.region()));
            if (wanted && !e.time().isBefore(since)) {
                out.append("<Event><SourceIdentifier>").append(id).append("</SourceIdentifier>")
                        .append("<SourceType>db-cluster</SourceType><SourceArn>")
                        .append(LabResources.clusterArn(e.region())).append("</SourceArn><Date>").append(e.time())
                        .append("</Date><EventCategories><EventCategory>").append(e.category())
                        .append("</EventCategory></EventCategories><Message>").append(AwsReply.xml(e.message()))
                        .append("</Message></Event>");
            }
        }
        return AwsReply.query("DescribeEvents", RDS_NS, out + "</Events>");
    }

    // --- ECS

    private String ecsRegion(AwsCall call) {
        return LabResources.labRegion(call.region()).orElseThrow(() -> new NotFound("ClusterNotFoundException",
                "the lab has no ECS cluster in " + call.region()));
    }

    private ObjectNode service(String region) {
        int want = desired.getOrDefault(region, 0);
        int running = lab.edge().view().stream().filter(v -> v.region().equals(region)).findFirst()
                .map(Edge.RegionView::healthyEndpoints).orElse(0);
        Thread busy = scaling.get(region);
        boolean rolling = busy != null && busy.isAlive() || running != want;
        ObjectNode service = AwsCall.JSON.createObjectNode().put("serviceName", "api").put("clusterArn",
                        "arn:aws:ecs:" + LabResources.AWS_REGIONS.get(region) + ":" + LabResources.ACCOUNT + ":cluster/lab")
                .put("status", "ACTIVE").put("desiredCount", want).put("runningCount", running).put("pendingCount",
                        Math.max(0, want - running));
        ArrayNode deployments = service.putArray("deployments");
        deployments.addObject().put("id", "ecs-svc/lab-" + region).put("status", "PRIMARY")
                .put("desiredCount", want).put("runningCount", running)
                .put("rolloutState", rolling ? "IN_PROGRESS" : "COMPLETED");
        return service;
    }

    private AwsReply describeServices(AwsCall call) {
        String region = ecsRegion(call);
        ObjectNode reply = AwsCall.JSON.createObjectNode();
        ArrayNode services = reply.putArray("services");
        ArrayNode failures = reply.putArray("failures");
        for (var name : call.body().path("services")) {
            if (name.asString().equals("api") || name.asString().endsWith("/api")) {
                services.add(service(region));
            } else {
                failures.addObject().put("arn", name.asString()).put("reason", "MISSING");
            }
        }
        return AwsReply.json(reply.toString());
    }

    private AwsReply updateService(AwsCall call) {
        String region = ecsRegion(call);
        if (call.body().has("desiredCount")) {
            int count = call.body().path("desiredCount").asInt();
            if (count < 0 || count > 16) {
                return AwsReply.error(true, 400, "InvalidParameterException", "the lab runs 0 to 16 tasks per region");
            }
            desired.put(region, count);
            Thread scale = new Thread(() -> {
                try {
                    lab.scale(region, count);
                } catch (Exception e) {
                    System.err.println("lab: scaling " + region + " to " + count + " failed: " + e.getMessage());
                }
            }, "lab-scale-" + region);
            scale.setDaemon(true);
            scaling.put(region, scale);
            scale.start();
        }
        return AwsReply.json(wrap("service", service(region)));
    }

    // --- CloudWatch

    private AwsReply getMetricData(AwsCall call) {
        StringBuilder results = new StringBuilder("<MetricDataResults>");
        for (int i = 1; call.params().containsKey("MetricDataQueries.member." + i + ".Id"); i++) {
            String prefix = "MetricDataQueries.member." + i + ".";
            String name = call.params().getOrDefault(prefix + "MetricStat.Metric.MetricName", "");
            String cluster = call.params().getOrDefault(prefix + "MetricStat.Metric.Dimensions.member.1.Value", "");
            results.append("<member><Id>").append(AwsReply.xml(call.params().get(prefix + "Id")))
                    .append("</Id><StatusCode>Complete</StatusCode>");
            int period = Integer.parseInt(call.params().getOrDefault(prefix + "MetricStat.Period", "60"));
            metric(name, cluster, period).ifPresent(v -> results.append("<Timestamps><member>").append(Instant.now())
                    .append("</member></Timestamps><Values><member>").append(v).append("</member></Values>"));
            results.append("</member>");
        }
        return AwsReply.query("GetMetricData", CLOUDWATCH_NS, results + "</MetricDataResults>");
    }

    /**
     * GetMetricStatistics: one datapoint, now, carrying each requested statistic (the lab keeps no
     * history; a sum over the period and the latest value are what gafail and the AWS CLI ask for).
     */
    private AwsReply getMetricStatistics(AwsCall call) {
        String name = call.text("MetricName");
        String dimension = call.params().getOrDefault("Dimensions.member.1.Value", "");
        int period = Integer.parseInt(call.params().getOrDefault("Period", "60"));
        StringBuilder points = new StringBuilder("<Datapoints>");
        metric(name, dimension, period).ifPresent(value -> {
            points.append("<member><Timestamp>").append(Instant.now()).append("</Timestamp>");
            for (int i = 1; call.params().containsKey("Statistics.member." + i); i++) {
                String statistic = call.params().get("Statistics.member." + i);
                points.append('<').append(statistic).append('>').append(statistic.equals("SampleCount") ? 1 : value)
                        .append("</").append(statistic).append('>');
            }
            points.append("<Unit>").append(name.startsWith("Aurora") ? "Milliseconds" : "Count")
                    .append("</Unit></member>");
        });
        return AwsReply.query("GetMetricStatistics", CLOUDWATCH_NS, "<Label>" + AwsReply.xml(name) + "</Label>"
                + points + "</Datapoints>");
    }

    /** A metric the lab measures, for its dimension's value, over the last {@code period} seconds; empty if none. */
    private Optional<Long> metric(String name, String dimension, int period) {
        return switch (name) {
            case "AuroraGlobalDBRPOLag" -> lag(dimension);
            case "RequestCount", "HTTPCode_Target_5XX_Count" -> loadBalancerRegion(dimension).map(r -> edge.sum(r,
                    name.startsWith("HTTPCode"), Duration.ofSeconds(period)));
            default -> Optional.empty();
        };
    }

    private Optional<Long> lag(String clusterId) {
        Optional<String> region = lab.regions().stream().filter(r -> ("lab-" + r).equals(clusterId)).findFirst();
        if (region.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong lag = lab.replicationLagMillis(region.get());
        return lag.isPresent() ? Optional.of(lag.getAsLong()) : Optional.empty();
    }

    /** The region of a load balancer dimension, {@code app/lab-region-a/lab}. */
    private Optional<String> loadBalancerRegion(String dimension) {
        return lab.regions().stream().filter(r -> ("app/lab-" + r + "/lab").equals(dimension)).findFirst();
    }

    /**
     * {@code lab-5xx}, in each region: ALARM when its load balancer answered {@value #ALARM_5XX} or more
     * 5xx in the last 10 s, as a CloudWatch alarm on {@code HTTPCode_Target_5XX_Count} (Sum, 10 s) would.
     */
    private AwsReply describeAlarms(AwsCall call) {
        boolean wanted = call.params().containsValue(ALARM)
                || ALARM.startsWith(call.params().getOrDefault("AlarmNamePrefix", "\u0000"));
        Optional<String> region = LabResources.labRegion(call.region());
        String alarm = "";
        if (wanted && region.isPresent()) {
            long errors = edge.sum(region.get(), true, ALARM_PERIOD);
            alarm = "<member><AlarmName>" + ALARM + "</AlarmName><StateValue>" + (errors >= ALARM_5XX ? "ALARM" : "OK")
                    + "</StateValue><StateReason>" + errors + " 5xx in the last " + ALARM_PERIOD.toSeconds() + " s (threshold " + ALARM_5XX
                    + ")</StateReason><Namespace>AWS/ApplicationELB</Namespace>"
                    + "<MetricName>HTTPCode_Target_5XX_Count</MetricName></member>";
        }
        return AwsReply.query("DescribeAlarms", CLOUDWATCH_NS, "<MetricAlarms>" + alarm + "</MetricAlarms>");
    }

    private static String wrap(String name, ObjectNode value) {
        ObjectNode out = AwsCall.JSON.createObjectNode();
        out.set(name, value);
        return out.toString();
    }
}
