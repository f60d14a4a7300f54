package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import dev.gafail.lab.aws.wire.AwsService;
import dev.gafail.lab.aws.wire.ServiceShape;
import dev.gafail.lab.postgres.LostTransaction;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * RDS, answered from the lab's PostgreSQL pair as an Aurora global database: which member writes,
 * a writer change in flight (it runs in the background and reads as in progress until the lab has
 * made it, as Aurora's does), the member clusters' events, their instances and restorable window, and
 * the clusters restored from them to a point in time ({@link LabRestores}).
 */
final class LabRds implements AwsService {

    private static final String GLOBAL_CLUSTER = LabResources.GLOBAL_DATABASE;
    /** What a member cluster's status reads while its database is down (its region lost). */
    private static final String LOST = "inaccessible-encryption-credentials-recoverable";

    /** A writer change in flight, as Aurora's FailoverState shows it. */
    private record Transition(String status, String from, String to, boolean dataLoss) {
    }

    /** An RDS event of a member cluster, as DescribeEvents lists it. */
    private record DatabaseEvent(Instant time, String region, String category, String message) {
    }

    private final LabRegions lab;
    private final LabRestores restores;
    /** When the members were created, as far as RDS can tell: when the lab's control plane started. */
    private final Instant created = Instant.now();
    private volatile Transition transition;
    private final List<DatabaseEvent> events = new CopyOnWriteArrayList<>();

    LabRds(LabRegions lab, LabRestores restores) {
        this.lab = lab;
        this.restores = restores;
    }

    @Override
    public ServiceShape shape() {
        return ServiceShape.RDS;
    }

    @Override
    public ObjectNode answer(AwsRequest request) {
        return switch (request.operation()) {
            case "DescribeGlobalClusters" -> describeGlobalClusters();
            case "DescribeDBClusters" -> describeDbClusters(request);
            case "DescribeDBInstances" -> describeDbInstances(request);
            case "RestoreDBClusterToPointInTime" -> restores.restore(request, memberOfRegion(request,
                    request.text("SourceDBClusterIdentifier")));
            case "CreateDBInstance" -> restores.createInstance(request);
            case "DeleteDBInstance" -> restores.deleteInstance(request);
            case "DeleteDBCluster" -> deleteCluster(request);
            case "EnableHttpEndpoint" -> enableHttpEndpoint(request);
            case "SwitchoverGlobalCluster" -> changeWriter(request, false);
            case "FailoverGlobalCluster" -> changeWriter(request, true);
            case "DescribeEvents" -> describeEvents(request);
            default -> throw request.unknownOperation();
        };
    }

    private ObjectNode describeGlobalClusters() {
        Transition t = transition;
        String writer = lab.writer();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode cluster = out.putArray("GlobalClusters").addObject()
                .put("GlobalClusterIdentifier", GLOBAL_CLUSTER)
                .put("GlobalClusterArn", "arn:aws:rds::" + LabResources.ACCOUNT + ":global-cluster:" + GLOBAL_CLUSTER)
                .put("Status", t == null ? "available" : "modifying").put("Engine", "aurora-postgresql");
        ArrayNode members = cluster.putArray("GlobalClusterMembers");
        for (String region : lab.regions()) {
            members.addObject().put("DBClusterArn", LabResources.clusterArn(region)).put("IsWriter", region.equals(writer));
        }
        if (t != null) {
            cluster.putObject("FailoverState").put("Status", t.status())
                    .put("FromDbClusterArn", LabResources.clusterArn(t.from()))
                    .put("ToDbClusterArn", LabResources.clusterArn(t.to())).put("IsDataLossAllowed", t.dataLoss());
        }
        return out;
    }

    /**
     * The clusters of the request's region, or the one {@code DBClusterIdentifier} names there (by id or ARN),
     * as RDS answers for its own region only: the member's engine, how many days of backups it keeps, its
     * restorable window and its one instance, the writer's in the region that writes; and the restores.
     */
    private ObjectNode describeDbClusters(AwsRequest request) {
        String named = request.text("DBClusterIdentifier");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode clusters = out.putArray("DBClusters");
        List<ObjectNode> restored = restores.clusters(request, named);
        clusters.addAll(restored);
        for (String region : members(request, named, restored.isEmpty())) {
            ObjectNode cluster = clusters.addObject().put("DBClusterIdentifier", "lab-" + region)
                    .put("DBClusterArn", LabResources.clusterArn(region))
                    .put("Status", lab.databaseRunning(region) ? "available" : LOST)
                    .put("Engine", "aurora-postgresql").put("EngineVersion", LabResources.ENGINE_VERSION)
                    .put("BackupRetentionPeriod", LabResources.BACKUP_RETENTION_DAYS)
                    .put("LatestRestorableTime", Instant.now().toString())
                    .put("ClusterCreateTime", created.toString()).put("HttpEndpointEnabled", true);
            LabRestores.network(cluster);
            lab.earliestRestorable(region).ifPresent(t -> cluster.put("EarliestRestorableTime", t.toString()));
            cluster.putArray("DBClusterMembers").addObject().put("DBInstanceIdentifier", LabResources.instanceId(region))
                    .put("IsClusterWriter", region.equals(lab.writer()));
        }
        return out;
    }

    /** The instances of the request's region, or of the cluster a {@code db-cluster-id} filter names there. */
    private ObjectNode describeDbInstances(AwsRequest request) {
        String named = "";
        for (JsonNode filter : request.path("Filters")) {
            if (filter.path("Name").asString("").equals("db-cluster-id") && filter.path("Values").size() > 0) {
                named = filter.path("Values").get(0).asString("");
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode instances = out.putArray("DBInstances");
        instances.addAll(restores.instances(request, named));
        for (String region : members(request, named, restores.clusters(request, named).isEmpty())) {
            instances.addObject().put("DBInstanceIdentifier", LabResources.instanceId(region))
                    .put("DBInstanceClass", LabResources.INSTANCE_CLASS).put("Engine", "aurora-postgresql")
                    .put("EngineVersion", LabResources.ENGINE_VERSION).put("DBClusterIdentifier", "lab-" + region)
                    .put("DBInstanceStatus", lab.databaseRunning(region) ? "available" : LOST);
        }
        return out;
    }

    /**
     * The request's region's member cluster, when {@code named} is empty or names it (by id or ARN); none
     * when it names a restore there; else DBClusterNotFoundFault, as a region says of another's cluster.
     *
     * @param notRestored whether {@code named} names no restore of the region
     */
    private List<String> members(AwsRequest request, String named, boolean notRestored) {
        String region = LabResources.labRegion(request.region()).orElse("");
        if (named.isEmpty() || LabResources.memberNamed(named).filter(region::equals).isPresent()) {
            return region.isEmpty() ? List.of() : List.of(region);
        }
        if (notRestored) {
            throw new AwsFault(404, "DBClusterNotFoundFault", "DBCluster " + named + " not found in "
                    + request.region() + ".");
        }
        return List.of();
    }

    /** The lab region of the member cluster {@code named} names (id or ARN), which must be the request's. */
    private String memberOfRegion(AwsRequest request, String named) {
        String region = LabResources.labRegion(request.region()).orElse("");
        if (LabResources.memberNamed(named).filter(region::equals).isEmpty()) {
            throw new AwsFault(404, "DBClusterNotFoundFault", "DBCluster " + named + " not found in "
                    + request.region() + ".");
        }
        return region;
    }

    /** DeleteDBCluster: of a restore; a member of the global cluster is refused, as Aurora refuses it. */
    private ObjectNode deleteCluster(AwsRequest request) {
        String named = request.text("DBClusterIdentifier");
        if (LabResources.memberNamed(named).isPresent()) {
            throw AwsFault.invalid("InvalidDBClusterStateFault", "This cluster is a part of a global cluster, please"
                    + " remove it from the global cluster first (the lab keeps its clusters)");
        }
        return restores.deleteCluster(request);
    }

    /**
     * EnableHttpEndpoint, the Data API's switch: the lab's members have it on; a restore gets it here, as at
     * AWS, where a restored cluster does not take its source's.
     */
    private ObjectNode enableHttpEndpoint(AwsRequest request) {
        String arn = request.text("ResourceArn");
        boolean member = LabResources.memberNamed(arn).filter(r -> LabResources.clusterArn(r).equals(arn)
                && LabResources.labRegion(request.region()).filter(r::equals).isPresent()).isPresent();
        if (!member) {
            restores.enableHttpEndpoint(request, arn);
        }
        return JsonNodeFactory.instance.objectNode().put("ResourceArn", arn).put("HttpEndpointEnabled", true);
    }

    private ObjectNode changeWriter(AwsRequest request, boolean unplanned) {
        String operation = request.operation();
        if (!GLOBAL_CLUSTER.equals(request.text("GlobalClusterIdentifier"))) {
            throw AwsFault.invalid("GlobalClusterNotFoundFault", "no global cluster "
                    + request.text("GlobalClusterIdentifier"));
        }
        String targetArn = request.text("TargetDbClusterIdentifier");
        String to = LabResources.memberNamed(targetArn).orElseThrow(() -> AwsFault.invalid("DBClusterNotFoundFault", "no cluster " + targetArn));
        boolean dataLoss = unplanned && "true".equals(request.text("AllowDataLoss"));
        synchronized (this) {
            if (transition != null) {
                throw AwsFault.invalid("InvalidGlobalClusterStateFault", "the global cluster is already "
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
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("GlobalCluster").put("GlobalClusterIdentifier", GLOBAL_CLUSTER);
        return out;
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
    private ObjectNode describeEvents(AwsRequest request) {
        String source = request.text("SourceIdentifier");
        Instant since = request.time("StartTime").orElse(Instant.EPOCH);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode listed = out.putArray("Events");
        for (DatabaseEvent e : events) {
            String id = "lab-" + e.region();
            boolean wanted = source.isEmpty() || source.equals(id) || source.equals(LabResources.clusterArn(e.region()));
            if (wanted && !e.time().isBefore(since)) {
                ObjectNode event = listed.addObject().put("SourceIdentifier", id).put("SourceType", "db-cluster")
                        .put("SourceArn", LabResources.clusterArn(e.region())).putPOJO("Date", e.time())
                        .put("Message", e.message());
                event.putArray("EventCategories").add(e.category());
            }
        }
        return out;
    }
}
