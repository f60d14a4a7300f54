package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.runbook.Runbook;
import dev.gafail.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "drill", description = {
        "Run a drill: user load through the accelerator, checked against the topology's SLO; a fault in the",
        "region that serves (AWS FIS); the user-impact alarm and the routing checked; a failover with the",
        "bundled runbook; the SLO in the new region; the fault ended; a failback; a verdict against the",
        "targets (exit 8 naming each one missed). region-loss loses the region with its AWS APIs and fails",
        "over unplanned: needs --allow-data-loss. Runs the bundled runbook drill.yaml (teams copy it).",
        "restore tests the backups instead: the region's database restored to a point in time (--set to=INSTANT;",
        "default its latest) into a scratch cluster, its data checked against the source's, the restore timed",
        "against the RTO, the scratch cluster deleted (restore-drill.yaml)."})
final class DrillCommand implements Callable<Integer> {

    static final List<String> SCENARIOS = List.of("drain", "dependency-timeout", "region-loss", "restore");
    private static final String RESTORE = "restore";

    @ParentCommand
    Gafail gafail;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "drain",
            description = "The fault: drain (the service's tasks stopped), dependency-timeout (the database"
                    + " answers slowly) or region-loss (the region lost with its AWS APIs); or restore, a restore"
                    + " drill. Default: drain.")
    String scenario;

    @Option(names = "--allow-data-loss",
            description = "Accept that a region-loss drill's unplanned failover loses the writes not yet replicated.")
    boolean allowDataLoss;

    @Option(names = "--region", paramLabel = "REGION", completionCandidates = Completions.Regions.class,
            description = "The region the fault hits (a restore drill: whose database is restored); default: the"
                    + " region whose database writes now.")
    String region;

    @Option(names = "--record", paramLabel = "FILE",
            description = "Add the drill's row to the drill log in this Markdown file (docs/OPERATIONS.md) once it"
                    + " ends on a verdict, here or in the resume that ends it; a relative path is resolved where that"
                    + " process runs. Checked before anything runs.")
    Path record;

    @Mixin
    BundledRunOptions run;

    @Override
    public Integer call() {
        // First: a log the drill could not be recorded in is refused before anything is read or run.
        Map<String, Object> kept = record == null ? Map.of() : DrillRecording.kept(gafail, record);
        if (!SCENARIOS.contains(scenario)) {
            throw new GafailException(ExitCode.USAGE, "--scenario " + scenario + ": one of "
                    + String.join(", ", SCENARIOS));
        }
        boolean unplanned = scenario.equals("region-loss");
        if (unplanned != allowDataLoss) {
            throw new GafailException(ExitCode.USAGE, unplanned ? "a region-loss drill fails over unplanned, which"
                    + " may lose acknowledged writes: add --allow-data-loss to accept that"
                    : "--allow-data-loss is for --scenario region-loss; a planned failover never loses data");
        }
        Topology topology = gafail.session().topology();
        boolean restore = scenario.equals(RESTORE);
        if (topology.regions().size() != 2 && !restore) {
            throw new GafailException(ExitCode.USAGE, "a drill moves the API between two regions; topology "
                    + topology.name() + " has " + topology.regions().size());
        }
        String hit = region != null ? region : gafail.session().writerRegion();
        if (topology.region(hit).isEmpty()) {
            throw new GafailException(ExitCode.USAGE, "--region " + hit + ": topology " + topology.name()
                    + " has the regions " + String.join(", ", topology.regions().keySet()));
        }
        Runbook loaded = run.runbook(gafail, restore ? "restore-drill.yaml" : "drill.yaml");
        Map<String, ParameterOptions.Preset> presets = new LinkedHashMap<>();
        presets.put("scenario", new ParameterOptions.Preset(scenario, "--scenario"));
        presets.put("region", new ParameterOptions.Preset(hit, "--region"));
        if (!restore) {
            String standby = topology.regions().keySet().stream().filter(r -> !r.equals(hit)).findFirst().orElseThrow();
            presets.put("standby", new ParameterOptions.Preset(standby, "--region"));
        }
        if (unplanned) {
            presets.put("allowDataLoss", new ParameterOptions.Preset("true", "--allow-data-loss"));
        }
        List<Event> seen = new ArrayList<>();
        String[] execution = new String[1];
        int code = gafail.run(run.request(loaded, "drill", presets, Set.of()).keeping(kept), e -> {
            execution[0] = e.execution();
            if ("verdict".equals(e.action())) {
                seen.add(e);
            }
        });
        // The verdict is the drill's, once it reached one: a drill that failed or stopped on the way has none.
        if (!gafail.json() && (code == ExitCode.OK.code() || code == ExitCode.VERDICT_FAILED.code())) {
            VerdictText.of(seen).ifPresent(v -> {
                v.print(gafail.context().out(), gafail.global().output == OutputFormat.MARKDOWN);
                gafail.context().out().flush();
            });
        }
        if (record != null && !run.dryRun) {
            DrillRecording.ended(gafail, execution[0], code);
        }
        return code;
    }
}
