package dev.gafail.lab.aws;

import dev.gafail.lab.edge.Edge;
import dev.gafail.lab.fault.Fault;
import dev.gafail.lab.postgres.LostTransaction;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lab as its AWS APIs see it: only what they read and change, so that the control plane depends
 * on this and not on the lab that starts it (the lab implements it).
 */
public interface LabRegions {

    List<String> regions();

    /** The edge: its dials, endpoints and counts (Global Accelerator, the load balancers' metrics). */
    Edge edge();

    /** How many sample-api processes run in {@code region} (an ECS service's running count). */
    int processes(String region);

    void scale(String region, int count) throws IOException, InterruptedException;

    void dial(String region, int dial);

    /** The region whose database writes. */
    String writer();

    boolean databaseRunning(String region);

    /** The port {@code region}'s database takes clients on (the Data API's way in; an outage cuts it). */
    int databasePort(String region);

    /** How far {@code region}'s replica is behind the writer; empty when it is not streaming. */
    OptionalLong replicationLagMillis(String region);

    /** The planned writer change (SwitchoverGlobalCluster). */
    void switchover(String to) throws IOException, SQLException, InterruptedException;

    /** The unplanned writer change (FailoverGlobalCluster with AllowDataLoss); what it lost. */
    List<LostTransaction> failover(String to) throws IOException, SQLException, InterruptedException;

    /** Injects {@code faults} for {@code owner} (an experiment's id), until {@link #revert}. */
    void inject(String owner, List<Fault> faults) throws IOException, SQLException, InterruptedException;

    /**
     * Restores {@code region}'s database as it was at {@code to} into a new server named {@code name}
     * (RestoreDBClusterToPointInTime), and returns its port once it runs, promoted.
     *
     * @throws IllegalArgumentException when {@code to} is before the earliest restorable time
     */
    int restore(String region, Instant to, String name) throws IOException, InterruptedException, SQLException;

    /** Ends the restore named {@code name} and deletes its data (DeleteDBCluster); nothing when there is none. */
    void dropRestore(String name) throws IOException, InterruptedException;

    /** The earliest time {@code region}'s database can be restored to; empty before its first backup. */
    Optional<Instant> earliestRestorable(String region);

    /** Reverts every fault {@code owner} injected, and nothing else. */
    void revert(String owner) throws IOException, SQLException, InterruptedException;
}
