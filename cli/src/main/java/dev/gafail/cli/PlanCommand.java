package dev.gafail.cli;

import dev.gafail.app.ChangeRequest;
import dev.gafail.app.RunRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "plan", description = {
        "Show what a run would do, changing nothing.",
        "Checks the preconditions and prints every step's current -> desired; the same as run --dry-run."})
final class PlanCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", paramLabel = "RUNBOOK", completionCandidates = Completions.Runbooks.class,
            description = "The runbook file (YAML), or bundled:NAME for one that ships with gafail.")
    Path runbook;

    @Mixin
    ParameterOptions parameters;

    @Override
    public Integer call() {
        return gafail.run(new RunRequest(gafail.session().load(runbook), parameters.values(), ChangeRequest.none(),
                true));
    }
}
