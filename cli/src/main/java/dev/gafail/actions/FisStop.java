package dev.gafail.actions;

import dev.gafail.aws.Experiments;
import dev.gafail.aws.IamPolicy;
import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unmet;
import dev.gafail.topology.Region;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.fis.model.ResourceNotFoundException;

/**
 * {@code fis.stop {region, step | experiment}}: ends the experiment that a {@code fis.experiment} step
 * of this execution left running ({@code onCondition: keep}), found by the tags that step gives it, or
 * the experiment named by its id, and waits until FIS has reverted its faults. A drill ends its fault
 * this way once it has failed over. Convergent: an experiment that has ended is already done, and one
 * that is stopping already (a process killed mid-stop, resumed) is awaited, not stopped again.
 */
public final class FisStop extends TargetedAction<FisStop.Params, FisStop.Outputs> {

    /** @param step the id of the fis.experiment step whose experiments to stop; or {@code experiment}, an id */
    public record Params(String region, String step, String experiment) {
    }

    /**
     * @param stopped the experiments it asked FIS to stop, or found stopping; none when every one had ended
     *                as apply read them
     */
    public record Outputs(String awsRegion, List<String> stopped) {
    }

    public FisStop(Supplier<Target> target) {
        super("fis.stop", Params.class, Outputs.class, false, IamPolicy.FIS_STOP_ACTIONS, """
                {"type": "object", "additionalProperties": false, "required": ["region"],
                 "oneOf": [{"required": ["step"]}, {"required": ["experiment"]}],
                 "properties": {
                   "region": {"type": "string", "minLength": 1,
                              "description": "whose FIS runs the experiment: the fis.experiment step's region"},
                   "step": {"type": "string", "minLength": 1,
                            "description": "the id of the fis.experiment step of this execution whose experiment to stop"},
                   "experiment": {"type": "string", "minLength": 1,
                                  "description": "an experiment id, e.g. ${{ steps.drain.outputs.experimentId }}"}}}""",
                target);
    }

    /** The experiments the step names, as FIS reports them now, and where. */
    private record Found(Region region, List<Experiments.Run> runs) {

        String where() {
            return region.name() + "'s FIS (" + region.awsRegion() + ")";
        }

        List<Experiments.Run> running() {
            return runs.stream().filter(r -> !r.ended()).toList();
        }
    }

    private Found find(Params params, StepContext context) throws StepFailure {
        Target target = target();
        Region region = target.region(params.region());
        Experiments fis = target.experiments();
        if (params.experiment() != null) {
            try {
                return new Found(region, List.of(fis.get(region.awsRegion(), params.experiment())));
            } catch (StepFailure e) {
                if (e.getCause() instanceof ResourceNotFoundException) {
                    throw new Unmet("FIS in " + region.awsRegion() + " has no experiment " + params.experiment());
                }
                throw e;
            }
        }
        return new Found(region, fis.find(region.awsRegion(), tags(params, context)));
    }

    /**
     * The tags fis.experiment gives the experiments it starts: the step's id as the execution knows it, below
     * the same runbook.run steps as this one's ({@code drill/degrade} for {@code degrade} in a child drill).
     */
    private static Map<String, String> tags(Params params, StepContext context) {
        String own = context.stepId();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(FisExperiment.EXECUTION_TAG, context.executionId());
        tags.put(FisExperiment.STEP_TAG, own.substring(0, own.lastIndexOf('/') + 1) + params.step());
        return tags;
    }

    private static String named(Params params) {
        return params.experiment() != null ? "experiment " + params.experiment()
                : "the experiment of step " + params.step();
    }

    /** Read-only: what runs of it, or that it has ended; none yet when the step that starts it has not run. */
    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        Found found = find(params, context);
        String desired = named(params) + " stopped in " + found.where() + ", its faults reverted";
        if (found.runs().isEmpty()) {
            return Change.to("no experiment of step " + params.step() + " in " + found.where() + " yet", desired);
        }
        String now = String.join("; ", found.runs().stream().map(Experiments.Run::describe).toList());
        return found.running().isEmpty() ? Change.alreadyDone(now + " in " + found.where())
                : Change.to(now + " in " + found.where(), desired);
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure {
        Found found = find(params, context);
        if (found.runs().isEmpty()) {
            throw StepFailure.permanent("step " + params.step() + " of this execution started no experiment in "
                    + found.where() + " (none tagged " + FisExperiment.EXECUTION_TAG + " " + context.executionId()
                    + ", " + FisExperiment.STEP_TAG + " " + params.step() + ")");
        }
        Experiments fis = target().experiments();
        List<String> stopped = new ArrayList<>();
        for (Experiments.Run run : found.running()) {
            // One stopping already was stopped by a process that died before its journal said so.
            Experiments.Run now = "stopping".equals(run.status()) ? run : fis.stop(found.region().awsRegion(), run.id());
            context.notice("stopping " + now.describe() + " in " + found.where());
            stopped.add(run.id());
        }
        return new Outputs(found.region().awsRegion(), stopped);
    }

    /** Waits until FIS has reverted the faults of every experiment the step names. */
    @Override
    public void await(Params params, StepContext context) throws StepFailure, InterruptedException {
        Found found = find(params, context);
        Experiments fis = target().experiments();
        for (Experiments.Run run : found.running()) {
            Experiments.Run ended = ExperimentStops.ended(fis, found.region().awsRegion(), run.id(), context);
            if ("failed".equals(ended.status())) {
                throw StepFailure.permanent(ended.describe() + ": FIS may not have reverted all its faults");
            }
        }
    }
}
