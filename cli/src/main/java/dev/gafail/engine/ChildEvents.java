package dev.gafail.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A child runbook's events on their way into its parent's journal. Its steps go by their ids below the
 * {@code runbook.run} step's ("failover/switch-writer"), so they never pass for the parent's own; its
 * execution's events (started, rolling back, finished) become notices of that step, which carry their
 * type, so that a history, a notification or a heartbeat never takes the child's end for the parent's.
 * {@link #of} reads them back as the child's own journal, for its state when it resumes.
 */
final class ChildEvents implements EventListener {

    /** Where a notice keeps the type of the child's execution event it stands for. */
    static final String CHILD = "child";
    private static final String FOR = "for";

    private final String step;
    private final EventListener parent;

    ChildEvents(String step, EventListener parent) {
        this.step = step;
        this.parent = parent;
    }

    @Override
    public void on(Event e) {
        if (e.step() != null) {
            parent.on(new Event(e.type(), e.time(), e.execution(), e.phase(), step + "/" + e.step(), e.action(),
                    e.attempt(), e.message(), qualified(e.data())));
        } else {
            Map<String, Object> data = new LinkedHashMap<>(e.data());
            data.put(CHILD, e.type().wire());
            parent.on(new Event(EventType.NOTICE, e.time(), e.execution(), Phase.STEP, step, RunbookRun.NAME, null,
                    e.message(), data));
        }
    }

    private Map<String, Object> qualified(Map<String, Object> data) {
        if (!(data.get(FOR) instanceof String target)) {
            return data;
        }
        Map<String, Object> out = new LinkedHashMap<>(data);
        out.put(FOR, step + "/" + target);
        return out;
    }

    /** Whether a parent's event is its child's: a step below one of its own, or a child execution's notice. */
    static boolean nested(Event e) {
        return e.step() != null && (e.step().contains("/") || e.type() == EventType.NOTICE && e.get(CHILD) != null);
    }

    /**
     * The events of the child that {@code step} runs, among a parent's {@code nested} ones, as the child wrote
     * them: those of its latest run. A child that rolled itself back has ended, having undone its changes;
     * its step, run again (a retry, a resume after the parent stopped), runs it anew.
     */
    static List<Event> of(String step, List<Event> nested) {
        String prefix = step + "/";
        List<Event> out = new ArrayList<>();
        for (Event e : nested) {
            if (e.step().startsWith(prefix)) {
                Map<String, Object> data = new LinkedHashMap<>(e.data());
                if (data.get(FOR) instanceof String target && target.startsWith(prefix)) {
                    data.put(FOR, target.substring(prefix.length()));
                }
                out.add(new Event(e.type(), e.time(), e.execution(), e.phase(), e.step().substring(prefix.length()),
                        e.action(), e.attempt(), e.message(), data));
            } else if (e.step().equals(step) && e.get(CHILD) instanceof String type) {
                Map<String, Object> data = new LinkedHashMap<>(e.data());
                data.remove(CHILD);
                Event own = Event.ofExecution(EventType.fromWire(type), e.execution(), e.time(), e.message(), data);
                if (own.type() == EventType.EXECUTION_FINISHED
                        && ExecutionStatus.ROLLED_BACK.wire().equals(own.text("status"))) {
                    out.clear();
                } else {
                    out.add(own);
                }
            }
        }
        return out;
    }
}
