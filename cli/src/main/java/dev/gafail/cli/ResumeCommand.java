package dev.gafail.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "resume", description = {
        "Finish an interrupted, stopped or aborted execution.",
        "Completed steps are not redone. It runs the runbook as it was when the execution began;",
        "secret parameters are asked for again at the terminal, or given with --set."})
final class ResumeCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", paramLabel = "ID", description = "Execution id (or a unique prefix); see: gafail history.")
    String id;

    @Mixin
    ParameterOptions parameters;

    @Mixin
    ChangeOptions change;

    @Override
    public Integer call() {
        return gafail.finish(gafail.session().resume(id, parameters.values(), change.request(), gafail.console()));
    }
}
