package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.ExecutionService;
import dev.gafail.engine.ExecutionState;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Redactor;
import dev.gafail.engine.RunOptions;
import dev.gafail.runbook.Runbook;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "resume", description = {
        "Finish an interrupted, stopped or aborted execution.",
        "Completed steps are not redone. It runs the runbook as it was when the execution began;",
        "secret parameters must be given again with --set."})
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
        ExecutionStore store = gafail.store();
        String execution = store.resolve(id);
        Event started = ExecutionState.replay(store.events(execution)).started();
        if (started == null) {
            throw new GafailException(ExitCode.USAGE, "execution " + execution + " has no start in its journal");
        }
        if (started.text("topologyFile") != null) {
            gafail.topologyFallback(Path.of(started.text("topologyFile")));
        }
        Runbook runbook = gafail.load(store.directory(execution).resolve(ExecutionStore.RUNBOOK_COPY));
        Map<String, String> values = new LinkedHashMap<>();
        if (started.get("params") instanceof Map<?, ?> stored) {
            stored.forEach((k, v) -> {
                if (!Redactor.MASK.equals(v)) {
                    values.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        values.putAll(parameters.values);
        Map<String, Object> params = gafail.bind(runbook, values);
        RunOptions options = gafail.options(runbook, params, change);
        ExecutionService service = gafail.service();
        if (change.forceUnlock) {
            service.forceUnlock(started.text("runbookFile"), options);
        }
        gafail.context().stop().arm();
        return gafail.finish(service.resume(execution, runbook, params, options, gafail.console()));
    }
}
