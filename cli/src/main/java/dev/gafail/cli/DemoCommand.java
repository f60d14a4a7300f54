package dev.gafail.cli;

import dev.gafail.app.DemoScenario;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.lab.LabConfig;
import dev.gafail.lab.load.ClientLoad;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

@Command(name = "demo", description = {
        "gafail's main job on this machine: start a lab (or use the running one), send it steady client",
        "traffic through the edge (reads, and idempotent writes retried until acknowledged), from clients",
        "that open a connection per request and from keep-alive clients, run `gafail failover` to the region",
        "that is not writing, then show what the clients saw: RTO, failed requests (and those a user would",
        "notice), acknowledged writes lost, latency before, during and after, and each kind of client's",
        "requests and answering regions. The lab keeps running.",
        "With --unplanned, the writer's region is lost instead (its replication stalled first) and the",
        "unplanned failover runs: the writes it lost are shown, each checked against the database's report.",
        "--output json: the failover's events and then the report, as JSON lines on stdout; the rest on stderr."})
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Mixin
    LabCommand.Folder folder = new LabCommand.Folder();

    @Option(names = "--clients", paramLabel = "N",
            description = "Clients of each kind (per-request, keep-alive) sending at once (default: 4).")
    int clients = 4;

    @Option(names = "--steady", paramLabel = "DURATION",
            description = "How long the load runs before and after the failover (default: 5s).")
    String steady = "5s";

    @Option(names = "--unplanned", description = "Lose the writer's region (gafail lab stall, then lab fail) and run"
            + " the unplanned failover (--mode unplanned --allow-data-loss) instead of the planned one.")
    boolean unplanned;

    @Option(names = "--lag", paramLabel = "DURATION",
            description = "With --unplanned: how long replication stalls before the region is lost (default: 2s).")
    String lag = "2s";

    @Option(names = "--writer-endpoint", negatable = true, description = "When the demo starts its lab: both"
            + " regions write through the writer endpoint (the default); --no-writer-endpoint shows the failover"
            + " without it, the writer moving first and the old region refusing writes until the dials move.")
    Boolean writerEndpoint;

    @Override
    public Integer call() throws InterruptedException {
        if (gafail.global().topology != null) {
            throw new GafailException(ExitCode.USAGE, "--topology: the demo runs against its own lab; use --dir"
                    + " to choose the lab's folder");
        }
        if (clients < 1 || clients > 64) {
            throw new GafailException(ExitCode.USAGE, "--clients " + clients + ": between 1 and 64");
        }
        Duration settle = duration("--steady", steady);
        Duration stall = duration("--lag", lag);
        LabClient lab = LabClient.of(gafail, folder);
        // stdout carries the data: in text the whole story, in JSON the events and the report only.
        PrintWriter out = lab.talk();
        String text;
        if (lab.running()) {
            out.println("using the lab running in " + lab.dir() + (writerEndpoint == null ? "" : " as it is: --"
                    + (writerEndpoint ? "" : "no-") + "writer-endpoint applies to a lab the demo starts"));
            text = lab.call("status", Map.of());
        } else {
            text = lab.up(2, LabConfig.DEFAULT_ACCELERATOR_REGION, writerEndpoint == null || writerEndpoint);
        }
        if (!gafail.json()) {
            lab.show(text);
        }
        JsonNode status = Json.MAPPER.readTree(text);
        gafail.session().topologyFallback(Path.of(status.path("topology").asString()));
        String writer = region(status, "writer").orElseThrow(() -> new GafailException(
                ExitCode.PRECONDITIONS_NOT_MET, "the lab has no writer: `gafail lab heal REGION`, or fail over with"
                + " --mode unplanned --allow-data-loss"));
        String target = region(status, "reader").orElseThrow(() -> new GafailException(
                ExitCode.PRECONDITIONS_NOT_MET, "no region of the lab can take over (`gafail lab status`);"
                + " `gafail lab heal REGION` brings one back"));

        DemoScenario.Settings settings = new DemoScenario.Settings(URI.create(status.path("edge").asString()),
                lab.token(Duration.ofHours(1)), clients, settle, unplanned, stall, writer, target);
        DemoScenario.Faults faults = new DemoScenario.Faults() {
            @Override
            public void stall(String region) {
                lab.call("stall", Map.of("region", region));
            }

            @Override
            public void fail(String region) {
                lab.call("fail", Map.of("region", region));
            }
        };
        DemoScenario.Outcome outcome = new DemoScenario(gafail.session(), faults, line -> {
            out.println(line);
            out.flush();
        }).run(settings, gafail.console(), gafail::finish);
        int code = outcome.failover().exitCode().code();
        boolean deferred = outcome.failover().exitCode() == ExitCode.DEFERRED;
        ClientLoad.ReadBack readBack = outcome.readBack();
        Duration took = Duration.between(outcome.start(), outcome.end());
        if (gafail.json()) {
            gafail.context().out().println(Json.MAPPER.writeValueAsString(LoadReportText.json(outcome.report(),
                    readBack, target, took)));
            gafail.context().out().flush();
        } else {
            LoadReportText.print(out, outcome.report(), readBack, target, took);
        }
        out.println("  the failover took " + Durations.human(took) + (unplanned ? " from the moment " + writer
                + " was lost (its AWS APIs too)" : "") + " to gafail's last step");
        if (outcome.reportUnreadable().isPresent()) {
            throw new GafailException(ExitCode.STEP_FAILED, outcome.reportUnreadable().get());
        }
        if (unplanned && !readBack.lost().isEmpty()) {
            out.println(outcome.unreported().isEmpty()
                    ? "  each lost write is in the database's lost-transaction report above"
                    : "  " + outcome.unreported().size() + " lost write(s) missing from the database's report: "
                    + outcome.unreported().stream().map(ClientLoad.Write::id).toList());
        }
        out.printf("%nnext (the lab keeps running):%n");
        next(out, "gafail status", "the regions as the lab's AWS APIs report them");
        if (code != 0 && !deferred) {
            next(out, "gafail history", "the failover did not complete: its execution, and `gafail show ID`");
        } else if (unplanned) {
            next(out, "gafail lab heal " + writer, writer + " comes back, as a replica of " + target);
            if (deferred) {
                next(out, "gafail reconcile --yes", "complete what waited for " + writer + " (exit 6 above)");
            }
            next(out, "gafail failover --to " + writer, "then fail back, planned");
        } else {
            next(out, "gafail failover --to " + writer, "and back");
            next(out, "gafail demo --unplanned", "lose the writer's region under load");
        }
        next(out, "gafail lab down", "stop the lab");
        out.flush();
        if (code != 0 && !deferred) {
            return code;
        }
        return outcome.lostUnreported(unplanned) ? ExitCode.STEP_FAILED.code() : code;
    }

    private Duration duration(String option, String text) {
        return Durations.parse(text).orElseThrow(() -> new GafailException(ExitCode.USAGE,
                option + " " + text + ": not a duration (" + Durations.EXAMPLES + ")"));
    }

    /** The first region whose database has {@code role} ("writer", "reader"). */
    private static Optional<String> region(JsonNode status, String role) {
        for (JsonNode r : status.path("regions")) {
            if (r.path("database").asString().equals(role)) {
                return Optional.of(r.path("region").asString());
            }
        }
        return Optional.empty();
    }

    private static void next(PrintWriter out, String command, String why) {
        out.println(("  " + String.format("%-30s", command) + " " + why).stripTrailing());
    }
}
