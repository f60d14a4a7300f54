package dev.gafail.cli;

import dev.gafail.actions.Target;
import dev.gafail.actions.TopologyStatus;
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
        "Show both regions as they are now, read in parallel.",
        "Per region: traffic dial, endpoint health, database role and replication lag, ECS",
        "running/desired and rollout, /healthz, alarms not OK. A read that fails shows its error in its cell."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Override
    public Integer call() throws InterruptedException {
        Target target = gafail.session().target();
        Map<String, Map<String, String>> rows = new TopologyStatus(target).read();
        PrintWriter out = gafail.context().out();
        if (gafail.global().output == OutputFormat.JSON) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("topology", target.topology().name());
            document.put("regions", rows);
            out.println(Json.MAPPER.writeValueAsString(document));
        } else {
            out.println("topology " + target.topology().name() + " (" + target.topology().file() + ")");
            table(out, rows);
        }
        out.flush();
        return 0;
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
