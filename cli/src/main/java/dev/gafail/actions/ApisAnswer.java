package dev.gafail.actions;

import dev.gafail.aws.Accelerator;
import dev.gafail.aws.AwsClients;
import dev.gafail.aws.CallerIdentity;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unreachable;
import dev.gafail.topology.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code aws.reachable {regions, accelerator, hint}}: a check that the AWS APIs of the regions
 * (default: all the topology's) and Global Accelerator's control plane answer, each asked one cheap
 * call with short limits (STS GetCallerIdentity, DescribeAccelerator); what does not answer is lost
 * for the rest of the command (a dry run then plans without waiting on it again). A planned failover
 * needs them all; as its first precondition it refuses at once, naming what does not answer, instead
 * of failing half-way. {@code hint} is added to the failure (what to do instead).
 */
public final class ApisAnswer extends CheckAction<ApisAnswer.Params, ApisAnswer.Outputs> {

    public record Params(List<String> regions, Boolean accelerator, String hint) {
    }

    /** @param answered what answered, e.g. ["region-a", "region-b", "globalaccelerator"] */
    public record Outputs(List<String> answered) {
    }

    public ApisAnswer(Supplier<Target> target) {
        super("aws.reachable", Params.class, Outputs.class, List.of("sts:GetCallerIdentity",
                "globalaccelerator:DescribeAccelerator"), """
                {"type": "object", "additionalProperties": false,
                 "properties": {"regions": {"type": "array", "items": {"type": "string", "minLength": 1}},
                                "accelerator": {"$ref": "#/$defs/boolOrExpression"},
                                "hint": {"type": "string", "maxLength": 500}}}""", target);
    }

    @Override
    Verdict<Outputs> evaluate(Params params, StepContext context) throws StepFailure {
        Target target = target();
        List<Region> regions = new ArrayList<>();
        if (params.regions() == null) {
            regions.addAll(target.topology().regions().values());
        } else {
            for (String name : params.regions()) {
                regions.add(target.region(name));
            }
        }
        List<String> answered = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        try (AwsClients quick = target.aws().probing()) {
            for (Region region : regions) {
                try {
                    CallerIdentity.of(quick, List.of(region.awsRegion()));
                    answered.add(region.name());
                } catch (Unreachable e) {
                    silent.add(e.getMessage());
                }
            }
            if (params.accelerator() == null || params.accelerator()) {
                try {
                    new Accelerator(quick.globalAccelerator(), target.topology().acceleratorArn()).status();
                    answered.add("globalaccelerator");
                } catch (Unreachable e) {
                    silent.add(e.getMessage());
                }
            }
        }
        if (silent.isEmpty()) {
            return Verdict.holds(String.join(", ", answered) + " answer", new Outputs(answered));
        }
        return Verdict.fails(String.join("; ", silent) + (params.hint() == null ? "" : ". " + params.hint()));
    }

    @Override
    String expectation(Params params) {
        return "every region's AWS APIs and the accelerator's control plane answer";
    }
}
