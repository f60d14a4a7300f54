package dev.gafail.cli;

import dev.gafail.app.ChangeRequest;
import dev.gafail.engine.Json;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "approve", description = {
        "Approve the plan an execution waits on (approvals.required > 1), from your own machine.",
        "Shows the plan (topology, AWS account, runbook, changes) and asks; your AWS identity must not",
        "be the requester's. The approval names the plan's hash and expires (approvals.expires, default",
        "30m): a changed plan needs a new one. Needs the shared state (state.s3). Audited."})
final class ApproveCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", paramLabel = "ID", description = "Execution id (or a unique prefix); see: gafail history.")
    String id;

    @Option(names = "--plan", paramLabel = "HASH",
            description = "Approve only this plan (its hash, or its first 12 digits or more, as shown).")
    String plan;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the journal and the audit log.")
    String reason;

    @Option(names = {"-y", "--yes"}, description = "Approve without asking (pair it with --plan).")
    boolean yes;

    @Override
    public Integer call() {
        String approved = gafail.session().approve(id, Optional.ofNullable(plan), reason,
                new ChangeRequest(yes, reason, null, false));
        if (gafail.json()) {
            gafail.context().out().println(Json.MAPPER.writeValueAsString(Map.of("approved", approved)));
        } else {
            gafail.context().out().println(approved);
        }
        gafail.context().out().flush();
        return 0;
    }
}
