package dev.gafail.cli;

import dev.gafail.aws.IamPolicy;
import dev.gafail.check.Checklist;
import dev.gafail.engine.Json;
import dev.gafail.runbook.Runbook;
import dev.gafail.runbook.StepSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "iam-policy", description = {
        "Print the least-privilege IAM policy (JSON) that these runbooks need.",
        "Exactly the actions their steps call; resources scoped to the topology's ARNs where the API",
        "allows it (every resource is * when no topology is configured). When the topology keeps its",
        "state in S3 (state.s3), also what gafail's state needs there: s3:GetObject, PutObject and",
        "DeleteObject under its prefix, s3:ListBucket limited to that prefix. sts:GetCallerIdentity, which",
        "gafail calls before any change, needs no permission."})
final class IamPolicyCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(arity = "1..*", paramLabel = "RUNBOOK", completionCandidates = Completions.Runbooks.class,
            description = "The runbook files (YAML), or bundled:NAME for those that ship with gafail.")
    List<Path> runbooks;

    @Option(names = "--check", description = "Also what `gafail check` reads (the role's policy simulation, the"
            + " Fargate quota, subnets, task definitions, instances, topic subscriptions).")
    boolean check;

    @Override
    public Integer call() {
        Set<String> actions = new TreeSet<>(check ? Checklist.IAM_ACTIONS : List.of());
        for (Path file : runbooks) {
            Runbook runbook = gafail.session().load(file);
            for (StepSpec step : runbook.everyStep()) {
                actions.addAll(gafail.session().iamActions(step));
            }
        }
        gafail.context().out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
                IamPolicy.document(actions, gafail.session().optionalTopology().orElse(null))));
        gafail.context().out().flush();
        return 0;
    }
}
