package dev.gafail.cli;

import dev.gafail.engine.ExecutionSummary;
import dev.gafail.engine.Json;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "history", description = {
        "List executions, newest first.",
        "An execution whose process died shows as interrupted; --output json prints one JSON array."})
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Option(names = "--limit", paramLabel = "N", description = "At most N executions (default: ${DEFAULT-VALUE}).")
    int limit = 50;

    @Override
    public Integer call() {
        List<ExecutionSummary> all = gafail.session().store().history(gafail.context().clock());
        List<ExecutionSummary> shown = all.subList(0, Math.min(Math.max(limit, 0), all.size()));
        PrintWriter out = gafail.context().out();
        if (gafail.global().output == OutputFormat.JSON) {
            out.println(Json.MAPPER.writeValueAsString(shown));
        } else if (shown.isEmpty()) {
            out.println("no executions yet in " + gafail.session().store().home());
        } else {
            int width = shown.stream().mapToInt(s -> String.valueOf(s.runbook()).length()).max().orElse(7);
            String format = "%-21s  %-12s  %-" + Math.max(7, width) + "s  %-20s  %9s  %s%n";
            out.printf(format, "ID", "STATUS", "RUNBOOK", "STARTED", "DURATION", "BY");
            for (ExecutionSummary s : shown) {
                out.printf(format, s.id(), s.status().wire(), s.runbook(), s.startedAt().toString().substring(0, 19)
                        + "Z", Durations.human(Duration.ofMillis(s.durationMs())), s.user() + "@" + s.host());
            }
        }
        out.flush();
        return 0;
    }
}
