package dev.gafail.engine;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an execution has done so far, folded from its events. Live, it listens to the event
 * stream; on resume, it is rebuilt from the journal, so both see exactly what was journalled.
 */
public final class ExecutionState implements EventListener {

    /** Events about compensating a step, which are not the step's own progress. */
    private static final Set<EventType> COMPENSATION = EnumSet.of(EventType.ROLLBACK_STARTED,
            EventType.ROLLBACK_APPLYING, EventType.ROLLBACK_APPLIED, EventType.ROLLBACK_SUCCEEDED,
            EventType.ROLLBACK_FAILED);

    private final Map<String, EventType> lastByStep = new HashMap<>();
    private final Map<String, Map<String, Object>> outputs = new HashMap<>();
    private final Map<String, Change> observed = new HashMap<>();
    private final Map<String, String> unreachable = new HashMap<>();
    /** Deferred steps not completed since: a reconcile that fails one leaves it owed, not forgotten. */
    private final Set<String> owed = new HashSet<>();
    private final List<String> changedInOrder = new ArrayList<>();
    private final Set<String> compensated = new HashSet<>();
    private final Set<String> compensationsApplied = new HashSet<>();
    private final Set<String> preconditionsPassed = new HashSet<>();
    private Event started;
    private Event finished;
    private Event last;
    private boolean approved;
    private Event approvalRequested;
    private boolean rollingBack;

    public static ExecutionState replay(List<Event> journal) {
        ExecutionState state = new ExecutionState();
        journal.forEach(state::on);
        return state;
    }

    @Override
    public synchronized void on(Event event) {
        if (event.type() == EventType.PROGRESS) {
            return;
        }
        last = event;
        String step = event.step();
        switch (event.type()) {
            case EXECUTION_STARTED -> started = event;
            case EXECUTION_RESUMED -> {
                // A resumed execution is approved anew by whoever resumes it.
                finished = null;
                approved = false;
                approvalRequested = null;
            }
            case EXECUTION_FINISHED -> finished = event;
            case APPROVAL_REQUESTED -> {
                // A plan that changed while others approved it is asked for again: what was approved no longer holds.
                approvalRequested = event;
                approved = false;
            }
            // Approvals before there were several carry no count: one was enough.
            case APPROVAL_GRANTED -> approved = !(event.get("required") instanceof Number required)
                    || event.get("approvals") instanceof Number count && count.intValue() >= required.intValue();
            case STEP_APPLYING -> {
                if (event.phase() == Phase.STEP && !changedInOrder.contains(step)) {
                    changedInOrder.add(step);
                }
                observed.putIfAbsent(step, changeOf(event));
            }
            case STEP_APPLIED, STEP_SUCCEEDED -> outputs.put(step, outputsOf(event));
            case STEP_DEFERRED -> {
                owed.add(step);
                unreachable.put(step, String.valueOf(event.get("unreachable")));
            }
            case ROLLBACK_STARTED -> rollingBack = true;
            case ROLLBACK_APPLIED -> compensationsApplied.add(event.text("for"));
            case ROLLBACK_SUCCEEDED -> compensated.add(event.text("for"));
            default -> { }
        }
        if (step != null && !COMPENSATION.contains(event.type())) {
            lastByStep.put(step, event.type());
            if (completes(event.type())) {
                owed.remove(step);
            }
            if (event.phase() == Phase.PRECONDITION && completes(event.type())) {
                preconditionsPassed.add(step);
            }
        }
    }

    private static boolean completes(EventType type) {
        return type == EventType.STEP_SUCCEEDED || type == EventType.STEP_SKIPPED;
    }

    /** Whether the step waits for {@code gafail reconcile}: it was deferred and has not completed since. */
    public synchronized boolean deferred(String step) {
        return owed.contains(step);
    }

    /** What did not answer when the step was last deferred ("us-east-1's AWS APIs"), or null. */
    public synchronized String unreachable(String step) {
        return unreachable.get(step);
    }

    /** Whether the step finished its work (succeeded, or found nothing to do). */
    public synchronized boolean completed(String step) {
        EventType type = lastByStep.get(step);
        return type != null && completes(type);
    }

    public synchronized boolean failed(String step) {
        return lastByStep.get(step) == EventType.STEP_FAILED;
    }

    public synchronized boolean preconditionPassed(String step) {
        return preconditionsPassed.contains(step);
    }

    /**
     * What the step's apply output, as the step type's record {@code type}, the same whether apply ran
     * in this process or the journal says so; empty when apply never returned.
     */
    public synchronized <O extends Record> Optional<O> outputs(String step, Class<O> type) {
        return Optional.ofNullable(outputs.get(step)).map(json -> Json.MAPPER.convertValue(json, type));
    }

    /** Outputs of every step that produced any, for expressions ({@code steps.ID.outputs}). */
    public synchronized Map<String, Map<String, Object>> allOutputs() {
        return new LinkedHashMap<>(outputs);
    }

    public synchronized Change observed(String step) {
        return observed.getOrDefault(step, Change.to("", ""));
    }

    /** Main steps whose change was started, first first: what a rollback compensates, in reverse. */
    public synchronized List<String> changedInOrder() {
        return List.copyOf(changedInOrder);
    }

    /** Whether every compensation of the step ran: it is not compensated again. */
    public synchronized boolean compensated(String step) {
        return compensated.contains(step);
    }

    /** Whether the step type's own compensation of the step made its change: a resume does not repeat it. */
    public synchronized boolean compensationApplied(String step) {
        return compensationsApplied.contains(step);
    }

    /** The plan that waits for others' approvals, as its {@code approval-requested} event; empty when none waits. */
    public synchronized Optional<Event> awaitingApproval() {
        return approved || finished != null ? Optional.empty() : Optional.ofNullable(approvalRequested);
    }

    public synchronized boolean approved() {
        return approved;
    }

    public synchronized boolean rollingBack() {
        return rollingBack;
    }

    public synchronized Event started() {
        return started;
    }

    public synchronized Event finished() {
        return finished;
    }

    public synchronized Event last() {
        return last;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> outputsOf(Event event) {
        Object value = event.get("outputs");
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Change changeOf(Event event) {
        Object value = event.get("change");
        if (!(value instanceof Map<?, ?> map)) {
            return Change.to("", "");
        }
        Object state = map.get("observed");
        return new Change(String.valueOf(map.get("current")), String.valueOf(map.get("desired")), false,
                state instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }
}
