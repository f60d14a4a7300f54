package dev.gafail.actions;

import dev.gafail.engine.Action;
import dev.gafail.engine.ActionRegistry;
import java.util.ArrayList;
import java.util.List;

/** The step types that ship with gafail. */
public final class BuiltinActions {

    private BuiltinActions() {
    }

    public static List<Action<?>> all() {
        return List.of(new ControlWait(), new ControlAssert(), new ControlApprove());
    }

    /** The built-in step types plus {@code extra} (tests add fakes this way). */
    public static ActionRegistry registry(Action<?>... extra) {
        List<Action<?>> actions = new ArrayList<>(all());
        actions.addAll(List.of(extra));
        return ActionRegistry.of(actions);
    }
}
