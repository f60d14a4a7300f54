package dev.gafail.cli;

import dev.gafail.engine.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "abort", description = {
        "Ask a running execution to stop at its next safe point, from any machine.",
        "Its holder looks for the request every second, journals who asked and stops as",
        "Ctrl-C would: exit 4 there; gafail resume ID finishes it later. Audited."})
final class AbortCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", paramLabel = "ID", description = "Execution id (or a unique prefix); see: gafail history.")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for its journal and the audit log.")
    String reason;

    @Override
    public Integer call() {
        String asked = gafail.session().abort(id, reason);
        if (gafail.json()) {
            gafail.context().out().println(Json.MAPPER.writeValueAsString(Map.of("asked", asked)));
        } else {
            gafail.context().out().println("asked execution " + asked + " to stop at its next safe point");
        }
        gafail.context().out().flush();
        return 0;
    }
}
