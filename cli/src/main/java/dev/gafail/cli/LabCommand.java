package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.lab.LabConfig;
import dev.gafail.lab.LabControl;
import dev.gafail.lab.LabException;
import dev.gafail.lab.net.Outage;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "lab", description = {
        "A real two-region environment on this machine: PostgreSQL primary and replica, sample-api",
        "processes and Valkey/Redis per region, an edge with traffic dials, and each AWS region's APIs.",
        "Everything listens on 127.0.0.1; `lab up` runs a supervisor in the background."},
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class, LabCommand.Token.class,
                LabCommand.Fail.class, LabCommand.Stall.class, LabCommand.Degrade.class, LabCommand.Heal.class,
                LabCommand.Requests.class})
final class LabCommand implements Runnable {

    @ParentCommand
    Gafail gafail;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        HelpCommand.show(gafail, spec.commandLine());
    }

    /** What every lab subcommand has: this command, and the lab's folder. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        LabCommand lab;

        @Mixin
        Folder folder = new Folder();
    }

    /** A fault or its cure, for one region, answered with the lab's status. */
    abstract static class RegionOperation extends Subcommand {
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

    /** The options every lab command takes. */
    static final class Folder {
        @Option(names = "--dir", paramLabel = "DIR", description = "The lab's folder (default: .gafail/lab).")
        Path dir;
    }

    LabClient client(Folder folder) {
        return LabClient.of(gafail, folder);
    }

    @Command(name = "up", description = "Start a lab and wait until every part is healthy and the edge routes.")
    static final class Up extends Subcommand {

        @Option(names = "--instances", paramLabel = "N", description = "sample-api processes in the active region"
                + " (default: 2); the passive one runs 1.")
        int instances = 2;

        @Option(names = "--accelerator-region", paramLabel = "AWS_REGION", description = "The lab's AWS region that"
                + " hosts Global Accelerator's control plane: us-west-2 (default, as at AWS) or us-east-1.")
        String acceleratorRegion = LabConfig.DEFAULT_ACCELERATOR_REGION;

        @Override
        public Integer call() throws InterruptedException {
            LabClient client = lab.client(folder);
            String status = client.up(instances, acceleratorRegion);
            client.show(status);
            client.talk().println("next: curl -H \"Authorization: Bearer $(gafail lab token)\" "
                    + Json.MAPPER.readTree(status).path("edge").asString() + "/api/v1/notes"
                    + " | gafail lab fail region-a | gafail lab heal region-a | gafail lab down");
            client.talk().flush();
            return 0;
        }
    }

    @Command(name = "status", description = "The lab's parts: database roles, processes, dials, health, requests.")
    static final class Status extends Subcommand {

        @Override
        public Integer call() {
            lab.client(folder).shown("status", Map.of());
            return 0;
        }
    }

    @Command(name = "down", description = "Stop every part of the lab by process id.")
    static final class Down extends Subcommand {

        @Override
        public Integer call() throws InterruptedException {
            List<String> stopped;
            try {
                stopped = LabControl.down(lab.client(folder).dir(), Duration.ofSeconds(60));
            } catch (LabException e) {
                throw new GafailException(ExitCode.USAGE, e.getMessage());
            }
            PrintWriter out = lab.gafail.context().out();
            if (lab.gafail.json()) {
                out.println(Json.MAPPER.writeValueAsString(Map.of("dir", lab.client(folder).dir().toString(),
                        "stopped", stopped)));
            } else {
                stopped.forEach(out::println);
                out.println("lab stopped (" + lab.client(folder).dir() + ")");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "token", description = "Print a bearer token the lab's sample-api accepts for 24 hours, alone on one line.")
    static final class Token extends Subcommand {

        @Override
        public Integer call() {
            String token = lab.client(folder).token(Duration.ofHours(24));
            lab.gafail.context().out().println(lab.gafail.json() ? Json.MAPPER.writeValueAsString(Map.of("token", token,
                    "validFor", "24h")) : token);
            lab.gafail.context().out().flush();
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

    @Command(name = "heal", description = "Undo fail, stall and degrade: the region's parts come back (its database as a"
            + " replica of the writer), its AWS APIs and load balancer on the same ports; or global-accelerator's"
            + " control plane.")
    static final class Heal extends RegionOperation {
        @Override
        String operation() {
            return "heal";
        }
    }

    @Command(name = "requests", description = "The AWS requests the lab received (aws-requests.jsonl in its folder):"
            + " time, the port's AWS region, the signing region, service, operation, protocol, outcome.")
    static final class Requests extends Subcommand {
        @Option(names = "--region", paramLabel = "AWS_REGION", completionCandidates = Completions.AwsRegions.class,
                description = "Only those that reached this AWS region's"
                + " ports.")
        String region;

        @Override
        public Integer call() {
            lab.client(folder).requests(Optional.ofNullable(region));
            return 0;
        }
    }
}
