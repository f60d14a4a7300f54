package dev.gafail.cli;

import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "show", description = {
        "Show one execution's timeline.",
        "Each step with its times and outcome, and RTO/RPO where recorded: for the incident",
        "channel and the postmortem; --output markdown pastes into one, json prints one document;",
        "--follow watches a running one."})
final class ShowCommand implements Callable<Integer>, Tables {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", paramLabel = "ID", description = "Execution id (or a unique prefix).")
    String id;

    @Option(names = {"-f", "--follow"}, description = {"Follow a running execution live, from any machine that shares"
            + " its state: its holder, each step, the change it applies; until it ends, then exit with its exit code.",
            "--output json: one event per line."})
    boolean follow;

    @Override
    public Integer call() {
        ExecutionStore store = gafail.session().store();
        String execution = store.resolve(id);
        if (follow) {
            return new Following(gafail, store, execution, Following.POLL).follow();
        }
        ExecutionStore.Stored stored = store.load(execution, gafail.context().clock());
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            out.println(Json.MAPPER.writeValueAsString(ExecutionText.json(stored)));
        } else {
            ExecutionText.print(stored, out, gafail.global().output == OutputFormat.MARKDOWN);
        }
        out.flush();
        return 0;
    }
}
