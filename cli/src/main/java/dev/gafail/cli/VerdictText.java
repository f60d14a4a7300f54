package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An execution's verdict as its last {@code verdict} step wrote it: the figures, each target with what was
 * measured and whether it held, and pass or fail; for {@code gafail show}, {@code drill}, in text, markdown
 * or JSON.
 */
record VerdictText(String step, Map<?, ?> outputs) {

    /**
     * The verdict an execution ended on: its last, once it succeeded or its verdict failed; an execution
     * that failed or stopped after a verdict on the way (a drill's steady state) has none.
     */
    static Optional<VerdictText> of(List<Event> events, ExecutionStatus status) {
        return status == ExecutionStatus.SUCCEEDED || status == ExecutionStatus.VERDICT_FAILED ? of(events)
                : Optional.empty();
    }

    /** The last verdict the events reached, if any. */
    static Optional<VerdictText> of(List<Event> events) {
        VerdictText last = null;
        for (Event e : events) {
            if (e.type() == EventType.STEP_SUCCEEDED && "verdict".equals(e.action())
                    && e.get("outputs") instanceof Map<?, ?> outputs) {
                last = new VerdictText(e.step(), outputs);
            }
        }
        return Optional.ofNullable(last);
    }

    void print(PrintWriter out, boolean markdown) {
        String gap = markdown ? "\n" : "";
        if (outputs.get("figures") instanceof Map<?, ?> figures && !figures.isEmpty()) {
            out.println(gap + "figures:");
            Table table = new Table(List.of("figure", "value"), List.of());
            for (Map.Entry<?, ?> figure : figures.entrySet()) {
                // a figure of a step that did not run (the other scenario's failover) has no value to show
                if (figure.getValue() == null || perStep(figure.getValue()).isPresent()) {
                    continue;
                }
                table = table.with(List.of(String.valueOf(figure.getKey()), String.valueOf(figure.getValue())));
            }
            table.print(out, markdown);
            for (Map.Entry<?, ?> figure : figures.entrySet()) {
                Optional<Table> steps = perStep(figure.getValue());
                if (steps.isPresent()) {
                    out.println(gap + figure.getKey() + ":");
                    steps.get().print(out, markdown);
                }
            }
        }
        if (!targets().isEmpty()) {
            out.println(gap + "targets:");
            Table table = new Table(List.of("target", "measured", "bound", "held"), List.of());
            for (Target target : targets()) {
                table = table.with(List.of(target.name(), target.measured(), target.bound(),
                        target.held() ? "yes" : "NO"));
            }
            table.print(out, markdown);
        }
        out.println(gap + "verdict (" + step + "): " + verdict());
    }

    /** {@code pass} or {@code fail}. */
    String verdict() {
        return String.valueOf(outputs.get("verdict"));
    }

    /** One target as the verdict judged it: what was measured, the bound ({@code ≤ 2m}), whether it held. */
    record Target(String name, String measured, String bound, boolean held) {
    }

    /** The targets the verdict judged, in its order. */
    List<Target> targets() {
        return outputs.get("targets") instanceof List<?> targets ? targets.stream()
                .filter(t -> t instanceof Map<?, ?>).map(t -> (Map<?, ?>) t)
                .map(t -> new Target(String.valueOf(t.get("name")), String.valueOf(t.get("measured")),
                        String.valueOf(t.get("target")), Boolean.TRUE.equals(t.get("held")))).toList()
                : List.of();
    }

    /** The target named {@code name} (a drill's {@code RTO}, {@code RPO}), if the verdict judged one. */
    Optional<Target> target(String name) {
        return targets().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * A figure that is what users saw step by step ({@code load.stop}'s {@code steps}: {@code [{step, action,
     * load}]}) as a table of its own, one row per step; empty for any other figure.
     */
    private static Optional<Table> perStep(Object figure) {
        if (!(figure instanceof List<?> rows) || rows.isEmpty()
                || !rows.stream().allMatch(r -> r instanceof Map<?, ?> m && m.get("load") instanceof Map<?, ?>)) {
            return Optional.empty();
        }
        Table table = new Table(List.of("step", "requests", "failed", "p95 ms", "p99 ms"), List.of());
        for (Object row : rows) {
            Map<?, ?> load = (Map<?, ?>) ((Map<?, ?>) row).get("load");
            table = table.with(List.of(String.valueOf(((Map<?, ?>) row).get("step")), String.valueOf(load.get("requests")),
                    String.valueOf(load.get("failed")), String.valueOf(load.get("p95")), String.valueOf(load.get("p99"))));
        }
        return Optional.of(table);
    }
}
