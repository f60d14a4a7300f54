package dev.gafail.cli;

import dev.gafail.engine.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "state", description = "The team's state: the lock and journals in the topology's bucket.",
        subcommands = StateCommand.Push.class)
final class StateCommand implements Runnable {

    @ParentCommand
    Gafail gafail;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        HelpCommand.show(gafail, spec.commandLine());
    }

    @Command(name = "push", description = {
            "Upload an execution run with --state local to the topology's state bucket.",
            "Its runbook, topology and events, each written only if absent: refused (exit 2)",
            "if the bucket holds any of it already, and (exit 5) while it still runs here."})
    static final class Push implements Callable<Integer> {

        @ParentCommand
        StateCommand state;

        @Parameters(index = "0", paramLabel = "ID", description = "Execution id (or a unique prefix) in the local folder.")
        String id;

        @Override
        public Integer call() {
            Gafail gafail = state.gafail;
            String pushed = gafail.session().pushState(id);
            gafail.context().out().println(gafail.json() ? Json.MAPPER.writeValueAsString(Map.of("pushed", pushed))
                    : "pushed execution " + pushed);
            gafail.context().out().flush();
            return 0;
        }
    }
}
