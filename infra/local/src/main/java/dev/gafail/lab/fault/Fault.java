package dev.gafail.lab.fault;

import dev.gafail.lab.net.Outage;
import java.time.Duration;

/**
 * A fault the lab injects into one of its regions, until it is reverted: what {@code gafail lab
 * fail|stall|degrade} and the lab's FIS experiments are made of.
 */
public sealed interface Fault {

    /** The lab region it hits. */
    String region();

    /**
     * The region lost abruptly: its AWS APIs (Global Accelerator's too, when the region hosts them), its
     * load balancer and its database's port fail as {@code mode} says; its processes, cache and database
     * are killed.
     */
    record RegionLoss(String region, Outage mode) implements Fault {
    }

    /**
     * The region's service drained: its processes stopped while its desired count stays, so that ECS
     * reports fewer running than desired, as while it replaces tasks; its load balancer sends to them
     * until its health checks find them gone.
     */
    record Drain(String region) implements Fault {
    }

    /** The region's database answers each request {@code latency} late, as a dependency that times out. */
    record DatabaseLatency(String region, Duration latency) implements Fault {
    }

    /** What the region's database sends its replica is held back, as by a congested link between regions. */
    record ReplicationStall(String region) implements Fault {
    }
}
