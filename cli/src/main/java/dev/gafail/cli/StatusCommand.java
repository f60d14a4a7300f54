package dev.gafail.cli;

import dev.gafail.actions.Target;
import dev.gafail.actions.TopologyStatus;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.Json;
import java.io.PrintWriter;
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
        "Exit 0 when every read answered; 1 when any failed, timed out, or a topology alarm does not exist."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Override
    public Integer call() throws InterruptedException {
        Target target = gafail.session().target();
        TopologyStatus.Reading reading = new TopologyStatus(target).read();
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        reading.rows().forEach((region, cells) -> {
            Map<String, String> texts = new LinkedHashMap<>();
            cells.forEach((column, cell) -> texts.put(column, cell.text()));
            rows.put(region, texts);
        });
        List<ExecutionStore.DeferredStep> deferred = gafail.session().store().owing(target.topology().lockScope(),
                gafail.context().clock()).map(ExecutionStore.Owing::steps).orElse(List.of());
        PrintWriter out = gafail.context().out();
        if (gafail.global().output == OutputFormat.JSON) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("topology", target.topology().name());
            document.put("regions", rows);
            document.put("failed", reading.failed());
            document.put("deferred", deferred);
            out.println(Json.MAPPER.writeValueAsString(document));
        } else {
            out.println("topology " + target.topology().name() + " (" + target.topology().file() + ")");
            table(out, rows);
            if (!deferred.isEmpty()) {
                out.println("deferred by execution " + deferred.get(0).execution() + " (once what they wait for"
                        + " answers again: gafail reconcile " + deferred.get(0).execution() + "):");
                deferred.forEach(d -> out.println("  " + d.step() + ": " + d.message()));
            }
        }
        out.flush();
        if (reading.failed().isEmpty()) {
            return ExitCode.OK.code();
        }
        gafail.context().err().println("gafail: " + reading.failed().size() + " read(s) failed or timed out: "
                + String.join(", ", reading.failed()));
        gafail.context().err().flush();
        return ExitCode.STEP_FAILED.code();
    }

    private static void table(PrintWriter out, Map<String, Map<String, String>> rows) {
        List<String> headers = new ArrayList<>(List.of("region"));
        headers.addAll(TopologyStatus.COLUMNS);
        int[] widths = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            widths[i] = headers.get(i).length();
        }
        rows.forEach((region, cells) -> {
            widths[0] = Math.max(widths[0], region.length());
            for (int i = 1; i < headers.size(); i++) {
                widths[i] = Math.max(widths[i], cells.get(headers.get(i)).length());
            }
        });
        line(out, headers, widths);
        rows.forEach((region, cells) -> {
            List<String> values = new ArrayList<>(List.of(region));
            TopologyStatus.COLUMNS.forEach(c -> values.add(cells.get(c)));
            line(out, values, widths);
        });
    }

    private static void line(PrintWriter out, List<String> values, int[] widths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            text.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", values.get(i)));
        }
        out.println(text.toString().stripTrailing());
    }
}
