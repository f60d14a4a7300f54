package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.LabConfig;
import dev.gafail.lab.LabControl;
import dev.gafail.lab.LabException;
import dev.gafail.runbook.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "lab", description = {
        "A real two-region environment on this machine: PostgreSQL primary and replica, sample-api",
        "processes per region, Valkey/Redis when installed, and an edge with traffic dials.",
        "Everything listens on 127.0.0.1; `lab up` runs a supervisor in the background."},
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class, LabCommand.Token.class,
                LabCommand.Fail.class, LabCommand.Degrade.class, LabCommand.Heal.class})
final class LabCommand implements Runnable {

    private static final Duration UP_LIMIT = Duration.ofMinutes(3);

    @ParentCommand
    Gafail gafail;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(gafail.context().out());
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
        @Parameters(paramLabel = "REGION")
        String region;

        abstract String operation();

        Map<String, String> query() {
            return Map.of("region", region);
        }

        @Override
        public Integer call() {
            lab.show(lab.call(folder, operation(), query()));
            return 0;
        }
    }

    /** The options every lab command takes. */
    static final class Folder {
        @Option(names = "--dir", paramLabel = "DIR", description = "The lab's folder (default: .gafail/lab).")
        Path dir;
    }

    Path dir(Folder folder) {
        return folder.dir != null ? folder.dir.toAbsolutePath().normalize() : gafail.labHome();
    }

    LabControl control(Folder folder) {
        try {
            return LabControl.of(dir(folder));
        } catch (LabException e) {
            throw new GafailException(ExitCode.USAGE, e.getMessage());
        }
    }

    String call(Folder folder, String operation, Map<String, String> query) {
        try {
            return control(folder).call(operation, query);
        } catch (IllegalArgumentException e) {
            throw new GafailException(ExitCode.USAGE, e.getMessage());
        } catch (LabException e) {
            throw new GafailException(ExitCode.STEP_FAILED, e.getMessage());
        }
    }

    /** Prints the lab's status answer as a table, or as it is with --output json. */
    void show(String json) {
        PrintWriter out = gafail.context().out();
        if (gafail.global().output == OutputFormat.JSON) {
            out.println(json.strip());
        } else {
            JsonNode status = Json.MAPPER.readTree(json);
            out.println("edge " + status.path("edge").asString() + "   topology " + status.path("topology").asString());
            out.println("AWS APIs " + status.path("aws").asString() + " (the lab's control plane; it does not check"
                    + " request signatures)");
            out.printf("%-10s %-9s %-9s %-5s %-8s %-9s %-6s %-9s %s%n", "region", "database", "processes", "dial",
                    "healthy", "requests", "5xx", "db delay", "load balancer");
            for (JsonNode r : status.path("regions")) {
                out.printf("%-10s %-9s %-9d %-5s %-8s %-9d %-6d %-9s %s%n", r.path("region").asString(),
                        r.path("database").asString(), r.path("processes").asInt(), r.path("dial").asInt() + "%",
                        r.path("healthyEndpoints").asInt() + "/" + r.path("processes").asInt(),
                        r.path("requests").asLong(), r.path("serverErrors").asLong(),
                        r.path("databaseLatency").asString(), r.path("loadBalancer").asString());
            }
            status.path("notes").forEach(n -> out.println("note: " + n.asString()));
        }
        out.flush();
    }

    /** Starts a lab in the folder, waits until it is ready, shows its status and returns it (JSON). */
    String up(Folder folder, int instances) throws InterruptedException {
        Path dir = dir(folder);
        CliContext context = gafail.context();
        Path jar = LabConfig.findSampleApiJar(context.env(), context.workingDirectory()).orElseThrow(
                () -> new GafailException(ExitCode.USAGE, "no sample-api jar: set " + LabConfig.JAR_ENV
                        + ", or run from the repository after `mvn -pl sample-api package` (./gafail does it)"));
        if (instances < 1 || instances > 16) {
            throw new GafailException(ExitCode.USAGE, "--instances " + instances + ": between 1 and 16");
        }
        Instant start = context.clock().instant();
        List<String> cleaned;
        try {
            cleaned = LabControl.start(dir, instances, jar, UP_LIMIT);
        } catch (LabException e) {
            throw new GafailException(ExitCode.STEP_FAILED, e.getMessage());
        }
        PrintWriter out = context.out();
        cleaned.forEach(line -> out.println("note: " + line));
        out.println("lab ready in " + Durations.human(Duration.between(start, context.clock().instant())) + " ("
                + dir + ")");
        String status = call(folder, "status", Map.of());
        show(status);
        return status;
    }

    /** A bearer token the lab's sample-api accepts for {@code validity}. */
    String token(Folder folder, Duration validity) {
        Path secret = dir(folder).resolve("jwt.secret");
        try {
            return Lab.token(Files.readString(secret).strip(), validity);
        } catch (NoSuchFileException e) {
            throw new GafailException(ExitCode.USAGE, "no lab in " + dir(folder) + "; start one with `gafail lab up`");
        } catch (IOException e) {
            throw new GafailException(ExitCode.STEP_FAILED, "cannot read " + secret + ": " + e.getMessage());
        }
    }

    @Command(name = "up", description = "Start a lab and wait until every part is healthy and the edge routes.")
    static final class Up extends Subcommand {

        @Option(names = "--instances", paramLabel = "N", description = "sample-api processes in the active region"
                + " (default: 2); the passive one runs 1.")
        int instances = 2;

        @Override
        public Integer call() throws InterruptedException {
            String status = lab.up(folder, instances);
            lab.gafail.context().out().println("next: curl -H \"Authorization: Bearer $(gafail lab token)\" "
                    + Json.MAPPER.readTree(status).path("edge").asString() + "/api/v1/notes"
                    + " | gafail lab fail region-a | gafail lab heal region-a | gafail lab down");
            lab.gafail.context().out().flush();
            return 0;
        }
    }

    @Command(name = "status", description = "The lab's parts: database roles, processes, dials, health, requests.")
    static final class Status extends Subcommand {

        @Override
        public Integer call() {
            lab.show(lab.call(folder, "status", Map.of()));
            return 0;
        }
    }

    @Command(name = "down", description = "Stop every part of the lab by process id.")
    static final class Down extends Subcommand {

        @Override
        public Integer call() throws InterruptedException {
            try {
                LabControl.down(lab.dir(folder), Duration.ofSeconds(60)).forEach(lab.gafail.context().out()::println);
            } catch (LabException e) {
                throw new GafailException(ExitCode.USAGE, e.getMessage());
            }
            lab.gafail.context().out().println("lab stopped (" + lab.dir(folder) + ")");
            lab.gafail.context().out().flush();
            return 0;
        }
    }

    @Command(name = "token", description = "Print a bearer token the lab's sample-api accepts for 24 hours, alone on one line.")
    static final class Token extends Subcommand {

        @Override
        public Integer call() {
            lab.gafail.context().out().println(lab.token(folder, Duration.ofHours(24)));
            lab.gafail.context().out().flush();
            return 0;
        }
    }

    @Command(name = "fail", description = "Lose a region abruptly: kill its processes and its database.")
    static final class Fail extends RegionOperation {
        @Override
        String operation() {
            return "fail";
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

    @Command(name = "heal", description = "Undo fail and degrade: the region's parts come back (its database as a replica).")
    static final class Heal extends RegionOperation {
        @Override
        String operation() {
            return "heal";
        }
    }
}
