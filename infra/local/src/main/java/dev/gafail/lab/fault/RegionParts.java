package dev.gafail.lab.fault;

import dev.gafail.lab.net.Outage;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;

/** What {@link Faults} does to a region's parts, each step on its own; the lab does them. */
public interface RegionParts {

    /** Loses the region as {@link Fault.RegionLoss} says (again with another mode: the ports fail anew). */
    void lose(String region, Outage mode) throws IOException;

    /**
     * Brings a lost region back: its database (a replica of the writer, never a second one), its cache,
     * its processes when {@code processes} (the desired count), then its load balancer and AWS APIs on the
     * same ports; its database's clients' port open again, without latency.
     */
    void recover(String region, boolean processes) throws IOException, SQLException, InterruptedException;

    /** Stops the region's processes, its desired count kept. */
    void drain(String region) throws InterruptedException;

    /** Runs the region's desired count of processes again. */
    void undrain(String region) throws IOException, InterruptedException;

    /** Each request to the region's database waits {@code latency} (zero: none). */
    void latency(String region, Duration latency);

    /** Holds back ({@code true}) or resumes the region's database's stream to its replica. */
    void stall(String region, boolean held);
}
