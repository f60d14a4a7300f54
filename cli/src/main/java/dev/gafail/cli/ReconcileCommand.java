package dev.gafail.cli;

import dev.gafail.engine.EventListener;
import dev.gafail.engine.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "reconcile", description = {
        "Complete what an execution deferred (exit 6) because a region or control plane did not answer.",
        "Run it once they answer again: each deferred step (fencing the lost region, the accelerator's",
        "dials) is planned anew and does only what is still missing; one still unreachable stays deferred.",
        "Refused (exit 3) when a later execution acted on the same topology: it could undo that one."})
final class ReconcileCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID",
            description = "Execution id (or a unique prefix); default: the newest one with deferred steps.")
    String id;

    @Option(names = "--dry-run", description = "Plan the deferred steps only; change nothing.")
    boolean dryRun;

    @Mixin
    ChangeOptions change;

    @Override
    public Integer call() {
        String[] execution = new String[1];
        EventListener console = gafail.console();
        return gafail.session().reconcile(id, change.request(), dryRun, e -> {
                    console.on(e);
                    execution[0] = e.execution();
                }).map(result -> gafail.finish(result, dryRun ? null : execution[0]))
                .orElseGet(() -> {
                    String nothing = "nothing to reconcile: no execution has deferred steps";
                    gafail.context().out().println(gafail.json() ? Json.MAPPER.writeValueAsString(
                            Map.of("type", "nothing-to-reconcile", "message", nothing)) : nothing);
                    gafail.context().out().flush();
                    return 0;
                });
    }
}
