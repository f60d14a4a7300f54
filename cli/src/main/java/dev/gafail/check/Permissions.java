package dev.gafail.check;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.actions.Target;
import dev.gafail.aws.CallerIdentity;
import dev.gafail.aws.IamPolicy;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.ResourceSpecificResult;
import software.amazon.awssdk.services.iam.model.SimulatePrincipalPolicyResponse;

/**
 * Whether the operator may call every action of the bundled runbooks on the topology's resources: the role
 * behind the caller's assumed-role session (found with IAM's GetRole, since a session's ARN drops the role's
 * path), or the IAM user, is simulated with IAM's SimulatePrincipalPolicy, one call per set of actions that
 * share their resources, each action against the resources the generated policy scopes it to. IAM is global:
 * it is named by the topology's first region, whose partition's IAM endpoint answers.
 */
final class Permissions {

    /** {@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}. */
    private static final Pattern ASSUMED_ROLE = Pattern.compile("^arn:[^:]+:sts::(\\d+):assumed-role/([^/]+)/.+$");
    private static final Pattern IAM_USER = Pattern.compile("^arn:[^:]+:iam::\\d+:user/.+$");
    private static final int MAX_PAGES = 20;
    /** How many denials a row names before it says how many more there are. */
    private static final int NAMED = 5;

    private final Target target;
    private final Set<String> actions;

    /** @param actions the IAM actions of the runbooks the operator runs */
    Permissions(Target target, Set<String> actions) {
        this.target = target;
        this.actions = new TreeSet<>(actions);
    }

    Finding.Outcome evaluate(Clock clock) throws StepFailure {
        List<String> regions = target.topology().regions().values().stream().map(Region::awsRegion).toList();
        CallerIdentity caller = CallerIdentity.of(target.aws(), regions);
        String principal = principal(caller.arn(), regions.get(0));
        Map<List<String>, List<String>> byResources = new LinkedHashMap<>();
        IamPolicy.Scope scope = IamPolicy.Scope.of(target.topology());
        for (String action : IamPolicy.needed(actions, scope)) {
            byResources.computeIfAbsent(IamPolicy.resources(action, scope), r -> new ArrayList<>()).add(action);
        }
        List<String> denied = new ArrayList<>();
        for (Map.Entry<List<String>, List<String>> group : byResources.entrySet()) {
            denied.addAll(denied(principal, group.getValue(), group.getKey(), regions.get(0)));
        }
        if (denied.isEmpty()) {
            return Finding.Outcome.pass(principal + " may call all " + actions.size()
                    + " actions of the bundled runbooks on the topology's resources", clock.instant());
        }
        String named = String.join("; ", denied.subList(0, Math.min(NAMED, denied.size())))
                + (denied.size() > NAMED ? "; and " + (denied.size() - NAMED) + " more" : "");
        return Finding.Outcome.fail(principal + " may not call " + named
                + " (gafail iam-policy prints what it needs)", clock.instant());
    }

    /** The IAM principal behind the caller: the role of an assumed-role session, or the user. */
    private String principal(String callerArn, String iamRegion) throws StepFailure {
        Matcher role = ASSUMED_ROLE.matcher(callerArn);
        if (role.matches()) {
            String name = role.group(2);
            return call("GetRole", () -> target.aws().iam(iamRegion).getRole(r -> r.roleName(name)).role().arn());
        }
        if (IAM_USER.matcher(callerArn).matches()) {
            return callerArn;
        }
        throw StepFailure.permanent("the caller " + callerArn + " is neither an assumed role nor an IAM user;"
                + " run gafail check as the operator role");
    }

    /** Each action not allowed on one of its resources, as {@code action on resource (decision)}. */
    private List<String> denied(String principal, List<String> actionNames, List<String> resources,
                                String iamRegion) throws StepFailure {
        boolean anywhere = resources.equals(List.of("*"));
        Iterator<SimulatePrincipalPolicyResponse> pages = call("SimulatePrincipalPolicy", () -> target.aws().iam(iamRegion)
                .simulatePrincipalPolicyPaginator(r -> {
                    r.policySourceArn(principal).actionNames(actionNames);
                    if (!anywhere) {
                        r.resourceArns(resources);
                    }
                }).iterator());
        List<String> denied = new ArrayList<>();
        for (int page = 0; call("SimulatePrincipalPolicy", pages::hasNext); page++) {
            if (page == MAX_PAGES) {
                throw StepFailure.permanent("SimulatePrincipalPolicy: more than " + MAX_PAGES + " pages of results");
            }
            for (EvaluationResult result : call("SimulatePrincipalPolicy", pages::next).evaluationResults()) {
                if (result.resourceSpecificResults().isEmpty()) {
                    if (!allowed(result.evalDecision())) {
                        denied.add(result.evalActionName() + " on " + result.evalResourceName() + " ("
                                + result.evalDecisionAsString() + ")");
                    }
                    continue;
                }
                for (ResourceSpecificResult specific : result.resourceSpecificResults()) {
                    if (!allowed(specific.evalResourceDecision())) {
                        denied.add(result.evalActionName() + " on " + specific.evalResourceName() + " ("
                                + specific.evalResourceDecisionAsString() + ")");
                    }
                }
            }
        }
        return denied;
    }

    private static boolean allowed(PolicyEvaluationDecisionType decision) {
        return decision == PolicyEvaluationDecisionType.ALLOWED;
    }
}
