package dev.gafail.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "schema", description = {
        "Print the runbook JSON Schema.",
        "Every step type's parameters included; runbooks/schema/runbook.schema.json is its output."})
final class SchemaCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Override
    public Integer call() {
        gafail.context().out().print(gafail.session().loader().schema().text());
        gafail.context().out().flush();
        return 0;
    }
}
