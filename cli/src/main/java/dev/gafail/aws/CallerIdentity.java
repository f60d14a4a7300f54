package dev.gafail.aws;

import static dev.gafail.aws.AwsErrors.call;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Who gafail acts as ({@code sts:GetCallerIdentity}, which needs no permission), for the audit log and the account check. */
public record CallerIdentity(String account, String arn, String userId) {

    /**
     * Asks the regional STS of the first of {@code awsRegions} that answers (each tried once): never a
     * global or lost region's endpoint, so that the check works while a region is lost.
     */
    public static CallerIdentity of(AwsClients aws, List<String> awsRegions) throws StepFailure {
        GetCallerIdentityResponse response = FirstAnswering.of(awsRegions, "GetCallerIdentity",
                region -> call("GetCallerIdentity", () -> aws.sts(region).getCallerIdentity()));
        return new CallerIdentity(response.account(), response.arn(), response.userId());
    }

    /** Whether these credentials belong to the topology's account; another means the wrong profile. */
    public boolean matches(Topology topology) {
        return topology.account().equals(account);
    }

    public Map<String, Object> fields() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("account", account);
        out.put("arn", arn);
        return out;
    }
}
