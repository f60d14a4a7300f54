package dev.gafail.lab.aws;

import dev.gafail.lab.aws.wire.AwsFault;
import dev.gafail.lab.aws.wire.AwsRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The clusters RDS restores to a point in time (RestoreDBClusterToPointInTime), their one instance each
 * (CreateDBInstance: a restore has none until it is given one, as Aurora's), and their deletion, answered
 * from the lab's real restores ({@link LabRegions#restore}): a PostgreSQL server replayed from the source
 * region's base backup and WAL archive. A restore reads {@code creating} until its server runs, promoted;
 * then {@code available}, with the endpoint it listens on; one whose replay failed reads {@code
 * incompatible-restore}, as RDS says of an instance it could not restore. Deleting one ends its server and
 * deletes its data; a cluster that still has an instance, or that is being created or deleted, cannot be
 * deleted, as at AWS. Identifiers are the lab's, not each region's: a name restored in one region is taken in both.
 */
final class LabRestores {

    private static final String CREATING = "creating";
    private static final String AVAILABLE = "available";
    private static final String FAILED = "incompatible-restore";
    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");

    /**
     * A restored cluster: where from, to when, since when, how it stands, its server's port once it runs, its
     * instance, and whether the Data API reaches it.
     */
    private record Restored(String id, String region, Instant to, Instant created, String status, int port,
                            Optional<Instance> instance, boolean httpEndpoint, Map<String, String> tags) {

        Restored with(String newStatus, int newPort) {
            return new Restored(id, region, to, created, newStatus, newPort, instance, httpEndpoint, tags);
        }

        Restored with(Optional<Instance> newInstance) {
            return new Restored(id, region, to, created, status, port, newInstance, httpEndpoint, tags);
        }

        Restored reachedByDataApi() {
            return new Restored(id, region, to, created, status, port, instance, true, tags);
        }

        /** Whether {@code name} names it, by id or ARN. */
        boolean named(String name) {
            return name.equals(id) || name.equals(arn());
        }

        String arn() {
            return "arn:aws:rds:" + LabResources.AWS_REGIONS.get(region) + ":" + LabResources.ACCOUNT + ":cluster:" + id;
        }
    }

    /** Where the Data API finds a restore's database: its server's port, once it runs. */
    record Reached(String id, String status, boolean httpEndpoint, boolean hasInstance, int port) {
    }

    private record Instance(String id, String instanceClass) {
    }

    private final LabRegions lab;
    private final Map<String, Restored> restored = new ConcurrentHashMap<>();

    LabRestores(LabRegions lab) {
        this.lab = lab;
    }

    /** RestoreDBClusterToPointInTime from a member cluster of the request's region; the restore runs behind. */
    ObjectNode restore(AwsRequest request, String sourceRegion) {
        String id = identifier(request, "DBClusterIdentifier");
        Instant now = Instant.now();
        Instant to = "true".equals(request.text("UseLatestRestorableTime")) ? now : request.time("RestoreToTime")
                .orElseThrow(() -> AwsFault.invalid("InvalidParameterCombination",
                        "RestoreToTime or UseLatestRestorableTime is required"));
        Optional<Instant> earliest = lab.earliestRestorable(sourceRegion);
        if (to.isAfter(now) || earliest.isEmpty() || to.isBefore(earliest.get())) {
            throw AwsFault.invalid("InvalidRestoreFault", "RestoreToTime " + to + " is outside the restorable window"
                    + " of lab-" + sourceRegion + ": " + earliest.map(Instant::toString).orElse("none") + " to " + now);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        request.path("Tags").forEach(t -> tags.put(t.path("Key").asString(""), t.path("Value").asString("")));
        Restored created = new Restored(id, sourceRegion, to, now, CREATING, 0, Optional.empty(), false, tags);
        if (restored.putIfAbsent(id, created) != null) {
            throw AwsFault.invalid("DBClusterAlreadyExistsFault", "DB cluster already exists: " + id);
        }
        Thread replay = new Thread(() -> {
            try {
                int port = lab.restore(sourceRegion, to, id);
                restored.computeIfPresent(id, (k, r) -> r.with(AVAILABLE, port));
            } catch (Exception e) {
                System.err.println("lab: restoring lab-" + sourceRegion + " to " + to + " as " + id + " failed: " + e);
                restored.computeIfPresent(id, (k, r) -> r.with(FAILED, 0));
            }
        }, "lab-restore-" + id);
        replay.setDaemon(true);
        replay.start();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("DBCluster", cluster(created));
        return out;
    }

    /** CreateDBInstance in a restored cluster: its one instance, available once the cluster is. */
    ObjectNode createInstance(AwsRequest request) {
        String id = identifier(request, "DBInstanceIdentifier");
        String clusterId = request.text("DBClusterIdentifier");
        Restored cluster = ofRegion(request, clusterId).orElseThrow(() -> new AwsFault(404, "DBClusterNotFoundFault",
                "DBCluster " + clusterId + " not found (the lab's own clusters keep their one instance)."));
        if (cluster.instance().isPresent() || restored.values().stream()
                .anyMatch(r -> r.instance().filter(i -> i.id().equals(id)).isPresent())) {
            throw AwsFault.invalid("DBInstanceAlreadyExistsFault", "DB instance already exists: " + id);
        }
        Instance instance = new Instance(id, request.text("DBInstanceClass").isEmpty() ? LabResources.INSTANCE_CLASS
                : request.text("DBInstanceClass"));
        Restored with = restored.computeIfPresent(cluster.id(), (k, r) -> r.with(Optional.of(instance)));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("DBInstance", instance(with, instance, with.status().equals(AVAILABLE) ? AVAILABLE : CREATING));
        return out;
    }

    /** EnableHttpEndpoint on a restored cluster of the request's region, named by its ARN. */
    void enableHttpEndpoint(AwsRequest request, String arn) {
        Restored cluster = ofRegion(request, arn).filter(r -> r.arn().equals(arn)).orElseThrow(() -> new AwsFault(404,
                "ResourceNotFoundFault", "The specified resource ARN " + arn + " was not found."));
        restored.computeIfPresent(cluster.id(), (k, r) -> r.reachedByDataApi());
    }

    /** The restore of {@code awsRegion} that {@code arn} names, as the Data API reaches it; empty when none does. */
    Optional<Reached> reached(String awsRegion, String arn) {
        String region = LabResources.labRegion(awsRegion).orElse("");
        return restored.values().stream().filter(r -> r.region().equals(region) && r.arn().equals(arn)).findFirst()
                .map(r -> new Reached(r.id(), r.status(), r.httpEndpoint(), r.instance().isPresent(), r.port()));
    }

    /** DeleteDBInstance: the restored cluster's instance goes at once. */
    ObjectNode deleteInstance(AwsRequest request) {
        String id = request.text("DBInstanceIdentifier");
        Restored cluster = restored.values().stream().filter(r -> r.region().equals(region(request)))
                .filter(r -> r.instance().filter(i -> i.id().equals(id)).isPresent()).findFirst()
                .orElseThrow(() -> new AwsFault(404, "DBInstanceNotFound", "DBInstance " + id + " not found."));
        restored.computeIfPresent(cluster.id(), (k, r) -> r.with(Optional.empty()));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("DBInstance", instance(cluster, cluster.instance().orElseThrow(), "deleting"));
        return out;
    }

    /** DeleteDBCluster of a restore without an instance: its server ends and its data goes, behind. */
    ObjectNode deleteCluster(AwsRequest request) {
        String id = request.text("DBClusterIdentifier");
        Restored cluster = ofRegion(request, id).orElseThrow(() -> new AwsFault(404, "DBClusterNotFoundFault",
                "DBCluster " + id + " not found."));
        if (cluster.instance().isPresent() || !cluster.status().equals(AVAILABLE) && !cluster.status().equals(FAILED)) {
            throw AwsFault.invalid("InvalidDBClusterStateFault", cluster.instance().isPresent()
                    ? "Cluster cannot be deleted, it still contains DB instances in non-deleting state."
                    : "DB cluster " + id + " is not in the available state: " + cluster.status());
        }
        Restored deleting = restored.computeIfPresent(id, (k, r) -> r.with("deleting", r.port()));
        Thread drop = new Thread(() -> {
            try {
                lab.dropRestore(id);
            } catch (Exception e) {
                System.err.println("lab: deleting the restore " + id + " failed: " + e);
            } finally {
                restored.remove(id);
            }
        }, "lab-drop-" + id);
        drop.setDaemon(true);
        drop.start();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("DBCluster", cluster(deleting));
        return out;
    }

    /** The restored clusters of the request's region, or the one {@code named} names (id or ARN). */
    List<ObjectNode> clusters(AwsRequest request, String named) {
        return restored.values().stream().filter(r -> r.region().equals(region(request)))
                .filter(r -> named.isEmpty() || r.named(named)).map(this::cluster)
                .toList();
    }

    /** The restored clusters' instances in the request's region, or those of the cluster {@code named} names. */
    List<ObjectNode> instances(AwsRequest request, String named) {
        List<ObjectNode> out = new ArrayList<>();
        restored.values().stream().filter(r -> r.region().equals(region(request)))
                .filter(r -> named.isEmpty() || r.named(named))
                .forEach(r -> r.instance().ifPresent(i -> out.add(instance(r, i,
                        r.status().equals(AVAILABLE) ? AVAILABLE : r.status().equals(FAILED) ? FAILED : CREATING))));
        return out;
    }

    private Optional<Restored> ofRegion(AwsRequest request, String named) {
        return restored.values().stream().filter(r -> r.region().equals(region(request)))
                .filter(r -> r.named(named)).findFirst();
    }

    /**
     * An identifier RDS accepts (1 to 63 letters, digits and hyphens, a letter first, no hyphen last or twice
     * in a row): the name of the restore's folder too, so nothing else may pass.
     */
    private static String identifier(AwsRequest request, String member) {
        String id = request.text(member);
        if (!IDENTIFIER.matcher(id).matches() || id.contains("--")) {
            throw AwsFault.invalid("InvalidParameterValue", member + " '" + id + "' is not valid: 1 to 63 letters,"
                    + " digits or hyphens, a letter first, no hyphen last or two in a row");
        }
        return id;
    }

    private static String region(AwsRequest request) {
        return LabResources.labRegion(request.region()).orElse("");
    }

    private ObjectNode cluster(Restored r) {
        ObjectNode cluster = JsonNodeFactory.instance.objectNode().put("DBClusterIdentifier", r.id())
                .put("DBClusterArn", r.arn()).put("Status", r.status()).put("Engine", "aurora-postgresql")
                .put("EngineVersion", LabResources.ENGINE_VERSION).put("BackupRetentionPeriod", LabResources.BACKUP_RETENTION_DAYS)
                .put("ClusterCreateTime", r.created().toString()).put("HttpEndpointEnabled", r.httpEndpoint());
        network(cluster);
        ArrayNode tagList = cluster.putArray("TagList");
        r.tags().forEach((key, value) -> tagList.addObject().put("Key", key).put("Value", value));
        if (r.port() > 0) {
            cluster.put("Endpoint", "127.0.0.1").put("Port", r.port());
        }
        r.instance().ifPresent(i -> cluster.putArray("DBClusterMembers").addObject()
                .put("DBInstanceIdentifier", i.id()).put("IsClusterWriter", true));
        return cluster;
    }

    /** The subnet group and security group every lab cluster has, a restore's taken from its source's. */
    static void network(ObjectNode cluster) {
        cluster.put("DBSubnetGroup", LabResources.DB_SUBNET_GROUP).putArray("VpcSecurityGroups").addObject()
                .put("VpcSecurityGroupId", LabResources.DB_SECURITY_GROUP).put("Status", "active");
    }

    private static ObjectNode instance(Restored r, Instance i, String status) {
        ObjectNode instance = JsonNodeFactory.instance.objectNode().put("DBInstanceIdentifier", i.id())
                .put("DBInstanceClass", i.instanceClass()).put("Engine", "aurora-postgresql")
                .put("EngineVersion", LabResources.ENGINE_VERSION).put("DBClusterIdentifier", r.id())
                .put("DBInstanceStatus", status);
        if (status.equals(AVAILABLE)) {
            instance.putObject("Endpoint").put("Address", "127.0.0.1").put("Port", r.port());
        }
        return instance;
    }
}
