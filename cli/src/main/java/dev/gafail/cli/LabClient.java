package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import dev.gafail.lab.LabConfig;
import dev.gafail.lab.LabControl;
import dev.gafail.lab.LabException;
import dev.gafail.lab.LabStandIn;
import dev.gafail.lab.s3.S3Server;
import dev.gafail.servers.MissingBinariesException;
import dev.gafail.servers.Platform;
import dev.gafail.servers.ServerBinaries;
import dev.gafail.topology.TopologyLoader;
import dev.gafail.yaml.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The CLI's side of the lab in one folder: starting it, calling its supervisor, showing its status,
 * signing tokens for its API; errors as gafail's exit codes. {@code gafail lab} and {@code gafail demo}
 * share it.
 */
final class LabClient {

    private static final Duration UP_LIMIT = Duration.ofMinutes(3);

    private final Gafail gafail;
    private final Path dir;

    private LabClient(Gafail gafail, Path dir) {
        this.gafail = gafail;
        this.dir = dir;
    }

    /** The lab in the folder the options name, by default gafail's lab folder ({@code .gafail/lab}). */
    static LabClient of(Gafail gafail, LabCommand.Folder folder) {
        return new LabClient(gafail, folder.dir != null ? folder.dir.toAbsolutePath().normalize() : gafail.session().labHome());
    }

    Path dir() {
        return dir;
    }

    /** Whether a lab is running (ready) in the folder. */
    boolean running() {
        try {
            LabControl.of(dir);
            return true;
        } catch (LabException e) {
            return false;
        }
    }

    private LabControl control() {
        try {
            return LabControl.of(dir);
        } catch (LabException e) {
            throw new GafailException(ExitCode.USAGE, e.getMessage());
        }
    }

    String call(String operation, Map<String, String> query) {
        try {
            return control().call(operation, query);
        } catch (IllegalArgumentException e) {
            throw new GafailException(ExitCode.USAGE, e.getMessage());
        } catch (LabException e) {
            throw new GafailException(ExitCode.STEP_FAILED, e.getMessage());
        }
    }

    /** Prints the lab's status answer as a table, or as it is with --output json. */
    void show(String json) {
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            out.println(json.strip());
            out.flush();
            return;
        }
        JsonNode status = Json.MAPPER.readTree(json);
        if (status.has("only")) {
            showAcceleratorOnly(out, status);
        } else {
            out.println("edge " + status.path("edge").asString() + "   topology " + status.path("topology").asString());
            out.println("AWS APIs " + status.path("aws").asString() + " (the lab's control plane: requests must be"
                    + " SigV4-signed, with any credentials)");
            out.println("cache server " + status.path("cacheServer").asString());
            JsonNode accelerator = status.path("accelerator");
            out.println("Global Accelerator's control plane " + accelerator.path("controlPlane").asString() + " in "
                    + accelerator.path("region").asString() + " " + accelerator.path("url").asString());
            JsonNode s3 = status.path("s3");
            out.println("S3 (the team's state, s3://" + s3.path("bucket").asString() + "/" + s3.path("prefix").asString()
                    + ") " + s3.path("state").asString() + " in " + s3.path("region").asString() + " "
                    + s3.path("url").asString());
            JsonNode sns = status.path("sns");
            for (JsonNode topic : sns.path("topics")) {
                out.println("SNS topic " + topic.path("topic").asString() + " received " + topic.path("messages").asLong()
                        + " message(s)");
            }
            out.println("SNS messages kept in " + sns.path("messages").asString());
            out.printf("%-10s %-9s %-6s %-9s %-5s %-8s %-9s %-6s %-9s %-11s %-9s %s%n", "region", "database", "cache",
                    "processes", "dial", "healthy", "requests", "5xx", "db delay", "replication", "AWS APIs",
                    "load balancer");
            for (JsonNode r : status.path("regions")) {
                out.printf("%-10s %-9s %-6s %-9d %-5s %-8s %-9d %-6d %-9s %-11s %-9s %s%n", r.path("region").asString(),
                        r.path("database").asString(), r.path("cache").asString(), r.path("processes").asInt(),
                        r.path("dial").asInt() + "%",
                        r.path("healthyEndpoints").asInt() + "/" + r.path("processes").asInt(),
                        r.path("requests").asLong(), r.path("serverErrors").asLong(),
                        r.path("databaseLatency").asString(), r.path("replication").asString(),
                        r.path("apis").asString(), r.path("loadBalancer").asString());
            }
            showExperiments(out, status.path("experiments"));
        }
        out.flush();
    }

    /** Global Accelerator's control plane alone: where it answers, where everything else goes, its endpoint groups. */
    private static void showAcceleratorOnly(PrintWriter out, JsonNode status) {
        JsonNode accelerator = status.path("accelerator");
        out.println("Global Accelerator's control plane alone, " + accelerator.path("controlPlane").asString() + " in "
                + accelerator.path("region").asString() + " " + accelerator.path("url").asString());
        out.println("every other AWS API: the emulator at " + status.path("emulator").asString());
        out.println("edge " + status.path("edge").asString() + "   topology " + status.path("topology").asString());
        out.printf("%-10s %-10s %-5s %s%n", "region", "AWS region", "dial", "endpoint (a stand-in /healthz)");
        for (JsonNode r : status.path("regions")) {
            out.printf("%-10s %-10s %-5s %s%n", r.path("region").asString(), r.path("awsRegion").asString(),
                    r.path("dial").asInt() + "%", r.path("healthz").asString());
        }
    }

    /** The FIS experiments that have not ended, a row each: which template, the region it hits, since and until when. */
    private static void showExperiments(PrintWriter out, JsonNode experiments) {
        if (experiments.isEmpty()) {
            out.println("FIS experiments: none running");
            return;
        }
        out.printf("%-17s %-16s %-18s %-8s %-9s %-10s %-24s %s%n", "FIS experiment", "template", "scenario", "hits",
                "FIS", "state", "since", "until");
        for (JsonNode e : experiments) {
            out.printf("%-17s %-16s %-18s %-8s %-9s %-10s %-24s %s%n", e.path("id").asString(),
                    e.path("template").asString(), e.path("scenario").asString(), e.path("region").asString(),
                    e.path("fis").asString(), e.path("state").asString(), dash(e.path("since").asString()),
                    dash(e.path("until").asString()));
        }
    }

    private static String dash(String text) {
        return text.isEmpty() ? "-" : text;
    }

    /** Where to say what is not data: stdout in text, stderr when stdout carries JSON. */
    PrintWriter talk() {
        return gafail.json() ? gafail.context().err() : gafail.context().out();
    }

    /** Starts a lab in the folder, waits until it is ready, and returns its status (JSON), saying how long it took. */
    String up(int instances, String acceleratorRegion, boolean writerEndpoint) throws InterruptedException {
        CliContext context = gafail.context();
        // Before anything starts: servers that cannot run here are the user's to change (the supervisor
        // then finds them unpacked).
        try {
            ServerBinaries.locate(ServerBinaries.defaultCache(), Platform.current(), context.env());
        } catch (MissingBinariesException e) {
            throw new GafailException(ExitCode.USAGE, e.getMessage());
        } catch (UncheckedIOException e) {
            throw new GafailException(ExitCode.STEP_FAILED, e.getMessage());
        }
        S3Server.missing().ifPresent(line -> {
            throw new GafailException(ExitCode.USAGE, line);
        });
        Path jar = LabConfig.findSampleApiJar(context.env(), context.workingDirectory()).orElseThrow(
                () -> new GafailException(ExitCode.USAGE, "no sample-api jar: set " + LabConfig.JAR_ENV
                        + ", or run from the repository after `mvn -pl sample-api package` (./gafail does it)"));
        if (instances < 1 || instances > 16) {
            throw new GafailException(ExitCode.USAGE, "--instances " + instances + ": between 1 and 16");
        }
        try {
            LabConfig.checkAcceleratorRegion(acceleratorRegion);
        } catch (IllegalArgumentException e) {
            throw new GafailException(ExitCode.USAGE, e.getMessage());
        }
        Instant start = context.clock().instant();
        List<String> cleaned;
        try {
            cleaned = LabControl.start(dir, instances, jar, acceleratorRegion, writerEndpoint,
                    Optional.ofNullable(context.env().get(ServerBinaries.VALKEY_ENV)), UP_LIMIT);
        } catch (LabException e) {
            throw new GafailException(ExitCode.STEP_FAILED, e.getMessage());
        }
        PrintWriter talk = talk();
        cleaned.forEach(line -> talk.println("note: " + line));
        talk.println("lab ready in " + Durations.human(Duration.between(start, context.clock().instant())) + " ("
                + dir + ")");
        talk.flush();
        return call("status", Map.of());
    }

    /**
     * Starts Global Accelerator's control plane alone in the folder ({@code lab up --only globalaccelerator}),
     * its topology sending every other AWS call to {@code emulator}; returns its status (JSON).
     */
    String upAcceleratorOnly(String only, String acceleratorRegion, String emulator) throws InterruptedException {
        if (!only.equals(LabStandIn.ACCELERATOR_SERVICE)) {
            throw new GafailException(ExitCode.USAGE, "--only " + only + ": the lab serves "
                    + LabStandIn.ACCELERATOR_SERVICE + " alone, the service no AWS emulator has");
        }
        String problem = emulator.matches("https?://.*") ? TopologyLoader.urlProblem(emulator).orElse("")
                : "not an http or https URL";
        if (!problem.isEmpty()) {
            throw new GafailException(ExitCode.USAGE, "--emulator " + emulator + ": " + problem
                    + " (e.g. http://127.0.0.1:5000)");
        }
        try {
            LabConfig.checkAcceleratorRegion(acceleratorRegion);
        } catch (IllegalArgumentException e) {
            throw new GafailException(ExitCode.USAGE, e.getMessage());
        }
        Instant start = gafail.context().clock().instant();
        try {
            LabControl.startAcceleratorOnly(dir, acceleratorRegion, emulator, UP_LIMIT);
        } catch (LabException e) {
            throw new GafailException(ExitCode.STEP_FAILED, e.getMessage());
        }
        talk().println("Global Accelerator's control plane ready in " + Durations.human(Duration.between(start,
                gafail.context().clock().instant())) + " (" + dir + ")");
        talk().flush();
        return call("status", Map.of());
    }

    /** Calls the supervisor, shows the lab's status it answers with, and returns that answer (JSON). */
    String shown(String operation, Map<String, String> query) {
        String status = call(operation, query);
        show(status);
        return status;
    }

    /** A bearer token the lab's sample-api accepts for {@code validity}. */
    String token(Duration validity) {
        Path secret = dir.resolve(Lab.SECRET);
        try {
            return Lab.token(dir, validity);
        } catch (NoSuchFileException e) {
            throw new GafailException(ExitCode.USAGE, "no lab in " + dir + "; start one with `gafail lab up`");
        } catch (IOException e) {
            throw new GafailException(ExitCode.STEP_FAILED, "cannot read " + secret + ": " + e.getMessage());
        }
    }
}
