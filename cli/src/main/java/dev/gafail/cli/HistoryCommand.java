package dev.gafail.cli;

import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExecutionSummary;
import dev.gafail.engine.ExitCode;
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
        "An execution whose process died shows as interrupted, one that died before its start was",
        "journalled as did-not-start; --output json prints one JSON array, markdown a table. A journal that cannot be read",
        "is named on stderr, the others are listed, and the exit code is 1."})
final class HistoryCommand implements Callable<Integer>, Tables {

    @ParentCommand
    Gafail gafail;

    @Option(names = "--limit", paramLabel = "N", description = "At most N executions (default: ${DEFAULT-VALUE}).")
    int limit = 50;

    @Override
    public Integer call() {
        ExecutionStore.History history = gafail.session().store().history(gafail.context().clock());
        List<ExecutionSummary> all = history.executions();
        List<ExecutionSummary> shown = all.subList(0, Math.min(Math.max(limit, 0), all.size()));
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            out.println(Json.MAPPER.writeValueAsString(shown));
        } else if (shown.isEmpty()) {
            out.println("no executions yet in " + gafail.session().store().backend().location());
        } else {
            Table table = new Table(List.of("ID", "STATUS", "RUNBOOK", "STARTED", "DURATION", "BY"));
            for (ExecutionSummary s : shown) {
                table = table.with(List.of(s.id(), s.status().wire(), s.runbook() == null ? "-" : s.runbook(),
                        s.startedAt().toString().substring(0, 19) + "Z", Durations.human(Duration.ofMillis(s.durationMs())),
                        s.user() == null ? "-" : s.user() + "@" + s.host()));
            }
            table.print(out, gafail.global().output == OutputFormat.MARKDOWN);
        }
        out.flush();
        history.unreadable().forEach(line -> gafail.context().err().println("gafail: " + line));
        gafail.context().err().flush();
        return history.unreadable().isEmpty() ? 0 : ExitCode.STEP_FAILED.code();
    }
}
