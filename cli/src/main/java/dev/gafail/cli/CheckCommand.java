package dev.gafail.cli;

import dev.gafail.check.Checklist;
import dev.gafail.check.Finding;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.topology.Topology;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "check", description = {
        "The resilience checklist and a failover-readiness evaluation, one row per item and region: pass, warn",
        "or fail, with its evidence and that evidence's date. Checklist: SLO and recovery targets with an owner",
        "in the topology; the latest passing failover drill (no older than --max-drill-age) and its user load;",
        "the latest passing restore drill and the clusters' backup retention; alarms in both regions that",
        "notify an SNS topic with a confirmed subscriber. Readiness: the operator's role may call every action",
        "of the bundled runbooks (IAM policy simulation); each region's service fits its Fargate vCPU quota and",
        "subnets at its active count; the secondary cluster has an instance of the writer's class, the same",
        "engine version, and lag within the failover's maxLag; each endpoint group holds endpoints (custom",
        "health checks on load balancer endpoints, which the accelerator ignores, warn); ECS services roll a",
        "failed deployment back; /healthz answers within 2 s.",
        "Every read goes to the region it concerns; a region that does not answer fails its rows only.",
        "--output markdown prints a table to paste into docs/OPERATIONS.md; json, typed rows.",
        "Exit 0 when no row fails (warnings included), 8 when one does: a daily CI job can run it."})
final class CheckCommand implements Callable<Integer>, Tables {

    @ParentCommand
    Gafail gafail;

    @Option(names = "--max-drill-age", paramLabel = "DAYS", description = "How many days old the latest passing"
            + " failover drill may be (default: ${DEFAULT-VALUE}).")
    int maxDrillAgeDays = (int) Checklist.DEFAULT_MAX_DRILL_AGE.toDays();

    @Override
    public Integer call() throws InterruptedException {
        if (maxDrillAgeDays < 1 || maxDrillAgeDays > 3650) {
            throw new GafailException(ExitCode.USAGE, "--max-drill-age " + maxDrillAgeDays + ": 1 to 3650 days");
        }
        Topology topology = gafail.session().topology();
        Instant checkedAt = gafail.context().clock().instant();
        List<Finding> findings = gafail.session().checklist(Duration.ofDays(maxDrillAgeDays)).run();
        List<String> failed = findings.stream().filter(f -> f.status() == Finding.Status.FAIL)
                .map(f -> f.item() + (f.region() == null ? "" : "/" + f.region())).toList();
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("topology", topology.name());
            document.put("file", topology.file());
            document.put("checkedAt", checkedAt);
            document.put("items", findings);
            document.put("failed", failed);
            out.println(Json.MAPPER.writeValueAsString(document));
        } else {
            boolean markdown = gafail.global().output == OutputFormat.MARKDOWN;
            out.println(markdown ? "**gafail check** of topology " + topology.name() + " (`" + topology.file()
                    + "`), " + checkedAt.toString().substring(0, 19) + "Z\n"
                    : "gafail check of topology " + topology.name() + " (" + topology.file() + ")");
            Table table = new Table(List.of("item", "region", "status", "date (UTC)", "evidence"));
            for (Finding f : findings) {
                table = table.with(List.of(f.item(), f.region() == null ? "-" : f.region(), f.status().text(),
                        f.date() == null ? "-" : f.date().toString().substring(0, 16).replace('T', ' '),
                        f.evidence()));
            }
            table.print(out, markdown);
        }
        out.flush();
        if (!failed.isEmpty()) {
            gafail.context().err().println("gafail: " + failed.size() + " item(s) failed: " + String.join(", ", failed));
            gafail.context().err().flush();
        }
        return failed.isEmpty() ? ExitCode.OK.code() : ExitCode.VERDICT_FAILED.code();
    }
}
