package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.lab.net.Outage;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code gafail lab} subcommands that break one region of the lab, or mend it: shortcuts over the
 * faults the lab's FIS experiments inject, which the lab applies and reverts in one place.
 */
final class LabRegionCommands {

    private LabRegionCommands() {
    }

    /** A fault or its cure, for one region, answered with the lab's status. */
    abstract static class RegionOperation extends LabCommand.Subcommand {
        @Parameters(paramLabel = "REGION", completionCandidates = Completions.LabRegions.class,
                description = "A region of the lab's topology (fail and heal: or global-accelerator).")
        String region;

        abstract String operation();

        Map<String, String> query() {
            return Map.of("region", region);
        }

        @Override
        public Integer call() {
            lab.client(folder).shown(operation(), query());
            return 0;
        }
    }

    @Command(name = "fail", description = {"Lose a region abruptly: its AWS APIs, load balancer and database's port"
            + " fail as --mode says, its processes, cache and database are killed.",
            "REGION global-accelerator loses Global Accelerator's control plane alone (its data plane, the edge,"
            + " goes on)."})
    static final class Fail extends RegionOperation {
        @Option(names = "--mode", paramLabel = "hang|blackhole|refuse", description = "hang (default): connections"
                + " accepted, never answered; blackhole: connection attempts unanswered; refuse: refused.")
        String mode = Outage.HANG.label();

        @Override
        String operation() {
            return "fail";
        }

        @Override
        Map<String, String> query() {
            try {
                return Map.of("region", region, "mode", Outage.of(mode).label());
            } catch (IllegalArgumentException e) {
                throw new GafailException(ExitCode.USAGE, e.getMessage());
            }
        }
    }

    @Command(name = "stall", description = "Hold back a region's replication stream: its replica falls behind,"
            + " and an unplanned failover now loses what it writes.")
    static final class Stall extends RegionOperation {
        @Override
        String operation() {
            return "stall";
        }
    }

    @Command(name = "degrade", description = "Make a region's database answer slowly (a dependency that times out).")
    static final class Degrade extends RegionOperation {
        @Option(names = "--latency", paramLabel = "DURATION", description = "Delay per database request (default 2s).")
        String latency = "2s";

        @Override
        String operation() {
            return "degrade";
        }

        @Override
        Map<String, String> query() {
            Duration delay = Durations.parse(latency).orElseThrow(() -> new GafailException(ExitCode.USAGE,
                    "--latency " + latency + ": not a duration (" + Durations.EXAMPLES + ")"));
            return Map.of("region", region, "latencyMs", Long.toString(delay.toMillis()));
        }
    }

    @Command(name = "heal", description = "Undo fail, stall and degrade, and stop the FIS experiments whose faults hit the"
            + " region: its parts come back (its database as a replica of the writer), its AWS APIs and load balancer"
            + " on the same ports; or global-accelerator's control plane.")
    static final class Heal extends RegionOperation {
        @Override
        String operation() {
            return "heal";
        }
    }
}
