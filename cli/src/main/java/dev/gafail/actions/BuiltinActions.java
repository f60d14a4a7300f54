package dev.gafail.actions;

import dev.gafail.engine.Action;
import dev.gafail.engine.ActionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The step types that ship with gafail. */
public final class BuiltinActions {

    private BuiltinActions() {
    }

    /** Every step type; those that act on AWS get their {@link Target} from {@code target} when they run. */
    public static List<Action<?, ?>> all(Supplier<Target> target) {
        AuroraLag lag = new AuroraLag(target);
        HttpProbe probe = new HttpProbe(target);
        CloudWatchAlarms alarms = new CloudWatchAlarms(target);
        CloudWatchMetric metric = new CloudWatchMetric(target);
        Conditions conditions = new Conditions(List.of(alarms, metric, probe, lag));
        return List.of(new ControlWait(), new ControlAssert(), new ControlApprove(), new Notify(),
                new TrafficSet(target), new TrafficShift(target, conditions),
                new AuroraSwitchover(target), new AuroraFailover(target), lag, new AuroraRestore(target),
                new AuroraDeleteRestore(target), new AuroraQuery(target),
                new EcsScale(target), probe, alarms, metric, new CloudWatchPut(target), new ApisAnswer(target),
                new FisExperiment(target, conditions), new FisStop(target), new LoadStart(target),
                new LoadCheck(target), new LoadStop(target));
    }

    /** The built-in step types plus {@code extra} (tests add fakes this way). */
    public static ActionRegistry registry(Supplier<Target> target, Action<?, ?>... extra) {
        List<Action<?, ?>> actions = new ArrayList<>(all(target));
        actions.addAll(List.of(extra));
        return ActionRegistry.of(actions);
    }

    /** For reading and validating runbooks, which never runs a step and so needs no topology. */
    public static ActionRegistry registry(Action<?, ?>... extra) {
        return registry(() -> {
            throw new IllegalStateException("no topology to act on");
        }, extra);
    }
}
