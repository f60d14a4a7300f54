package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.lab.LabConfig;
import dev.gafail.lab.LabControl;
import dev.gafail.lab.LabException;
import dev.gafail.lab.LabStandIn;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "lab", description = {
        "A real two-region environment on this machine: PostgreSQL primary and replica, sample-api",
        "processes and Valkey/Redis per region, an edge with traffic dials, and each AWS region's APIs.",
        "Everything listens on 127.0.0.1; `lab up` runs a supervisor in the background."},
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class, LabCommand.Token.class,
                LabRegionCommands.Fail.class, LabRegionCommands.Stall.class, LabRegionCommands.Degrade.class,
                LabRegionCommands.Heal.class, LabRequestsCommand.class})
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
        Integer instances;

        @Option(names = "--accelerator-region", paramLabel = "AWS_REGION", description = "The lab's AWS region that"
                + " hosts Global Accelerator's control plane: us-west-2 (default, as at AWS) or us-east-1.")
        String acceleratorRegion = LabConfig.DEFAULT_ACCELERATOR_REGION;

        @Option(names = "--writer-endpoint", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Every region's sample API writes through the writer endpoint, which follows the writer"
                + " (Aurora's global writer endpoint), as infra/aws deploys it (the default); with"
                + " --no-writer-endpoint only the writer region writes, and a replica region answers writes 503"
                + " REGION_READ_ONLY.")
        boolean writerEndpoint;

        @Option(names = "--only", paramLabel = "SERVICE", description = "Serve one AWS service alone, for an AWS"
                + " emulator that lacks it: globalaccelerator (its control plane, the edge's dials and a stand-in"
                + " endpoint per region); no database, cache or API process runs.")
        String only;

        @Option(names = "--emulator", paramLabel = "URL", description = "With --only, required: the AWS emulator the"
                + " written topology sends every other AWS call to (its endpoints.default), e.g. http://127.0.0.1:5000.")
        String emulator;

        @Override
        public Integer call() throws InterruptedException {
            LabClient client = lab.client(folder);
            if (only != null) {
                // never a topology named lab whose other calls reach wherever the operator's profile points
                if (emulator == null || instances != null) {
                    throw new GafailException(ExitCode.USAGE, "--only " + only + " takes --emulator URL (where every"
                            + " other AWS call goes) and no --instances (it runs no API process)");
                }
                client.show(client.upAcceleratorOnly(only, acceleratorRegion, emulator));
                client.talk().println("next: gafail failover --to region-b --dry-run | gafail lab down");
                client.talk().flush();
                return 0;
            }
            if (emulator != null) {
                throw new GafailException(ExitCode.USAGE, "--emulator goes with --only " + LabStandIn.ACCELERATOR_SERVICE
                        + ": a whole lab answers every AWS API itself");
            }
            String status = client.up(instances == null ? 2 : instances, acceleratorRegion, writerEndpoint);
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
}
