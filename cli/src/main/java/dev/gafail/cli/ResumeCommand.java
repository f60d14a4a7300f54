package dev.gafail.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "resume", description = {
        "Finish an interrupted, stopped or aborted execution.",
        "Completed steps are not redone. It runs the runbook as it was when the execution began;",
        "secret parameters are asked for again at the terminal, or given with --set. A drill started with",
        "--record adds its row to that drill log when it ends here on a verdict."})
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
        // The operator's arguments first: a mistyped --set is the answer, whatever the id.
        Map<String, String> values = parameters.values();
        String execution = gafail.session().store().resolve(id);
        int code = gafail.finish(gafail.session().resume(execution, values, change.request(), gafail.console()),
                execution);
        DrillRecording.ended(gafail, execution, code);
        return code;
    }
}
