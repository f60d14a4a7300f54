package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.runbook.Runbook;
import dev.gafail.topology.Topology;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "failover", description = {
        "Move the API to another region: the command an on-call engineer types first.",
        "Planned (both regions up; no data loss): preconditions, scale the target to active, switch the",
        "database writer, shift the dials in stages while watching alarms, verify through the accelerator,",
        "fence the old region. Unplanned (the writer's region is lost): promote the target at once; needs",
        "--allow-data-loss. Runs the bundled runbooks failover.yaml / failover-unplanned.yaml."})
final class FailoverCommand implements Callable<Integer> {

    enum Mode { PLANNED, UNPLANNED }

    @ParentCommand
    Gafail gafail;

    @Option(names = "--to", required = true, paramLabel = "REGION", completionCandidates = Completions.Regions.class,
            description = "The region that takes over.")
    String to;

    @Option(names = "--mode", paramLabel = "planned|unplanned", description = "planned (default) or unplanned.")
    Mode mode = Mode.PLANNED;

    @Option(names = "--allow-data-loss",
            description = "Accept that an unplanned failover loses the writes not yet replicated.")
    boolean allowDataLoss;

    @Mixin
    BundledRunOptions run;

    @Override
    public Integer call() {
        if (mode == Mode.UNPLANNED && !allowDataLoss) {
            throw new GafailException(ExitCode.USAGE, "an unplanned failover may lose acknowledged writes:"
                    + " add --allow-data-loss to accept that, or use --mode planned while the writer's region is up");
        }
        if (mode == Mode.PLANNED && allowDataLoss) {
            throw new GafailException(ExitCode.USAGE, "--allow-data-loss is for --mode unplanned; a planned"
                    + " failover never loses data");
        }
        Topology topology = gafail.session().topology();
        if (topology.region(to).isEmpty()) {
            throw new GafailException(ExitCode.USAGE, "--to " + to + ": topology " + topology.name()
                    + " has the regions " + String.join(", ", topology.regions().keySet()));
        }
        Runbook loaded = run.runbook(gafail, mode == Mode.PLANNED ? "failover.yaml" : "failover-unplanned.yaml");
        Map<String, ParameterOptions.Preset> presets = new LinkedHashMap<>();
        presets.put("to", new ParameterOptions.Preset(to, "--to"));
        if (mode == Mode.UNPLANNED) {
            presets.put("allowDataLoss", new ParameterOptions.Preset("true", "--mode unplanned"));
        }
        Set<String> lost = mode == Mode.UNPLANNED ? topology.regions().keySet().stream()
                .filter(r -> !r.equals(to)).collect(Collectors.toSet()) : Set.of();
        return gafail.run(run.request(loaded, "failover", presets, lost));
    }
}
