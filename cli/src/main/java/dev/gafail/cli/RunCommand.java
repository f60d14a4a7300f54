package dev.gafail.cli;

import dev.gafail.app.RunRequest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = {
        "Execute a runbook, journalled, with approval and rollback.",
        "Preconditions, plan, approval, steps, verification; on failure, the compensations of what",
        "changed, newest first. The journal is in .gafail/executions/ID/."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", paramLabel = "RUNBOOK", completionCandidates = Completions.Runbooks.class,
            description = "The runbook file (YAML), or bundled:NAME for one that ships with gafail.")
    Path runbook;

    @Mixin
    ParameterOptions parameters;

    @Mixin
    ChangeOptions change;

    @Option(names = "--dry-run", description = "Plan only: show current -> desired for every step; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        return gafail.run(new RunRequest(gafail.session().load(runbook), parameters.values(), change.request(), dryRun));
    }
}
