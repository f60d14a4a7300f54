package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.lab.Lab;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code gafail lab requests}: the lab's request log, only what reached {@code --region}'s ports if
 * given: a table, or its JSON lines with --output json. A line the lab is still writing is left out.
 */
@Command(name = "requests", description = "The AWS requests the lab received (aws-requests.jsonl in its folder):"
        + " time, the port's AWS region, the signing region, service, operation, protocol, outcome.")
final class LabRequestsCommand extends LabCommand.Subcommand {

    @Option(names = "--region", paramLabel = "AWS_REGION", completionCandidates = Completions.AwsRegions.class,
            description = "Only those that reached this AWS region's ports.")
    String region;

    @Override
    public Integer call() {
        Path log = lab.client(folder).dir().resolve(Lab.REQUEST_LOG);
        String text;
        try {
            text = Files.readString(log);
        } catch (NoSuchFileException e) {
            throw new GafailException(ExitCode.USAGE, "no lab request log at " + log + "; start a lab with `gafail lab up`");
        } catch (IOException e) {
            throw new GafailException(ExitCode.STEP_FAILED, "cannot read " + log + ": " + e.getMessage());
        }
        PrintWriter out = lab.gafail.context().out();
        boolean json = lab.gafail.json();
        if (!json) {
            out.printf("%-30s %-9s %-9s %-17s %-26s %-10s %s%n", "time", "port", "signed", "service", "operation",
                    "protocol", "outcome");
        }
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode r = Json.MAPPER.readTree(line);
            if (region != null && !region.equals(r.path("endpoint").asString())) {
                continue;
            }
            if (json) {
                out.println(line);
                continue;
            }
            int status = r.path("status").asInt();
            String error = r.path("error").asString();
            out.printf("%-30s %-9s %-9s %-17s %-26s %-10s %s%n", r.path("time").asString(), r.path("endpoint").asString(),
                    r.path("region").asString(), r.path("service").asString(), r.path("operation").asString(),
                    r.path("protocol").asString(), status == 0 ? error : (status + " " + error).strip());
        }
        out.flush();
        return 0;
    }
}
