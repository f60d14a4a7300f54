package dev.gafail.cli;

import dev.gafail.actions.Target;
import dev.gafail.actions.TopologyStatus;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", description = {
        "Show both regions as they are now, every read at once, within about 5 seconds whatever the endpoints do.",
        "Per region: traffic dial, endpoint health, database role and replication lag, ECS",
        "running/desired and rollout, /healthz, alarms not OK (or missing). A read that fails or times out",
        "says so in its cell; the others still show.",
        "Below: the steps the newest execution deferred because a region or control plane did not answer",
        "(gafail reconcile completes them).",
        "--output json: typed values, described by `gafail schema status`; markdown: the table.",
        "Exit 0 when every read answered; 1 when any failed, timed out, or a topology alarm does not exist."})
final class StatusCommand implements Callable<Integer>, Tables {

    @ParentCommand
    Gafail gafail;

    @Override
    public Integer call() throws InterruptedException {
        Target target = gafail.session().target();
        TopologyStatus.Reading reading = new TopologyStatus(target).read();
        List<ExecutionStore.DeferredStep> deferred = List.of();
        String stateUnread = null;
        try {
            deferred = gafail.session().store().owing(target.topology().lockScope(), gafail.context().clock())
                    .map(ExecutionStore.Owing::steps).orElse(List.of());
        } catch (UncheckedIOException e) {
            // The table still tells what the regions do; the deferred steps are what could not be read.
            stateUnread = e.getMessage();
        }
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("topology", target.topology().name());
            document.put("file", target.topology().file());
            document.put("regions", reading.rows());
            document.put("failed", reading.failed());
            document.put("deferred", deferred);
            out.println(Json.MAPPER.writeValueAsString(document));
        } else {
            boolean markdown = gafail.global().output == OutputFormat.MARKDOWN;
            out.println((markdown ? "**topology " + target.topology().name() + "** (`" + target.topology().file() + "`)"
                    : "topology " + target.topology().name() + " (" + target.topology().file() + ")")
                    + (markdown ? "\n" : ""));
            List<String> headers = new ArrayList<>(List.of("region"));
            headers.addAll(TopologyStatus.COLUMNS);
            Table table = new Table(headers);
            for (var row : reading.rows().entrySet()) {
                List<String> values = new ArrayList<>(List.of(row.getKey()));
                TopologyStatus.COLUMNS.forEach(c -> values.add(row.getValue().get(c).text()));
                table = table.with(values);
            }
            table.print(out, markdown);
            if (!deferred.isEmpty()) {
                out.println((markdown ? "\n" : "") + "deferred by execution " + deferred.get(0).execution()
                        + " (once what they wait for answers again: gafail reconcile " + deferred.get(0).execution()
                        + "):");
                deferred.forEach(d -> out.println((markdown ? "- " : "  ") + d.step() + ": " + d.message()));
            }
        }
        out.flush();
        if (stateUnread != null) {
            gafail.context().err().println("gafail: deferred steps unknown: " + stateUnread);
        }
        if (!reading.failed().isEmpty()) {
            gafail.context().err().println("gafail: " + reading.failed().size() + " read(s) failed or timed out: "
                    + String.join(", ", reading.failed()));
        }
        gafail.context().err().flush();
        return reading.failed().isEmpty() && stateUnread == null ? ExitCode.OK.code() : ExitCode.STEP_FAILED.code();
    }
}
