package dev.gafail.cli;

import dev.gafail.app.RunRequest;
import dev.gafail.runbook.Runbook;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the commands that run a bundled runbook share (failover, drill): another runbook instead, a dry
 * run, {@code --set} values and the options of a change.
 */
final class BundledRunOptions {

    @Option(names = "--dry-run", description = "Plan only: show every API call that would mutate, child runbooks"
            + " included; change nothing.")
    boolean dryRun;

    @Option(names = "--runbook", paramLabel = "RUNBOOK", completionCandidates = Completions.Runbooks.class,
            description = "Run this runbook (a file, or bundled:NAME) instead of the bundled one.")
    Path runbook;

    @Mixin
    ParameterOptions parameters;

    @Mixin
    ChangeOptions change;

    /** The runbook {@code --runbook} names, else the bundled {@code name}. */
    Runbook runbook(Gafail gafail, String name) {
        return runbook != null ? gafail.session().load(runbook) : gafail.session().bundled(name);
    }

    /** Runs (or plans) {@code runbook} with the parameters {@code command} sets from its options, then {@code --set}'s. */
    RunRequest request(Runbook loaded, String command, Map<String, ParameterOptions.Preset> presets,
                       Set<String> lostRegions) {
        return new RunRequest(loaded, parameters.after(command, presets), change.request(), dryRun, lostRegions);
    }
}
