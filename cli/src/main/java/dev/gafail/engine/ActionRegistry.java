package dev.gafail.engine;

import dev.gafail.runbook.ActionCatalog;
import dev.gafail.runbook.StepSpec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** The step types gafail knows, by name. */
public final class ActionRegistry implements ActionCatalog {

    private final Map<String, Action<?, ?>> actions;

    private ActionRegistry(Map<String, Action<?, ?>> actions) {
        this.actions = Collections.unmodifiableMap(actions);
    }

    /** The given step types, and the engine's own ({@code runbook.run}, {@code verdict}). */
    public static ActionRegistry of(Iterable<? extends Action<?, ?>> actions) {
        Map<String, Action<?, ?>> byName = new TreeMap<>();
        byName.put(RunbookRun.NAME, new RunbookRun());
        byName.put(RunbookReconcile.NAME, new RunbookReconcile());
        byName.put(VerdictStep.NAME, new VerdictStep());
        for (Action<?, ?> action : actions) {
            if (byName.put(action.name(), action) != null) {
                throw new IllegalArgumentException("two step types are named " + action.name());
            }
        }
        return new ActionRegistry(byName);
    }

    public Optional<Action<?, ?>> find(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    public Action<?, ?> get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no step type " + name));
    }

    /** The parameters in which a step names the checks it runs while it works ({@code {action, with}} each). */
    private static final List<String> CONDITIONS = List.of("abortIf", "until");

    /** The IAM actions a step calls: its step type's, and those of the checks in its {@code abortIf} or {@code until}. */
    public SortedSet<String> iamActions(StepSpec step) {
        SortedSet<String> actions = new TreeSet<>(get(step.action()).iamActions());
        CONDITIONS.forEach(field -> step.with().path(field).forEach(check -> find(check.path("action").asString())
                .ifPresent(a -> actions.addAll(a.iamActions()))));
        return actions;
    }

    @Override
    public SortedSet<String> actionNames() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(actions.keySet()));
    }

    @Override
    public boolean readOnly(String action) {
        return find(action).map(Action::readOnly).orElse(false);
    }

    @Override
    public Optional<JsonNode> parameterSchema(String action) {
        return find(action).map(a -> Json.MAPPER.readTree(a.parameterSchema()));
    }
}
