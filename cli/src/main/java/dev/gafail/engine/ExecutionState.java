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

    /**
     * Events that are not a step's own progress: its compensation, its plan (a child runbook's steps are all
     * planned again when its parent resumes, done or not), a notice about it.
     */
    private static final Set<EventType> NOT_PROGRESS = EnumSet.of(EventType.ROLLBACK_STARTED,
            EventType.ROLLBACK_APPLYING, EventType.ROLLBACK_APPLIED, EventType.ROLLBACK_SUCCEEDED,
            EventType.ROLLBACK_FAILED, EventType.PLANNED, EventType.NOTICE);

    private final Map<String, EventType> lastByStep = new HashMap<>();
    private final Map<String, Map<String, Object>> outputs = new HashMap<>();
    private final Map<String, Change> observed = new HashMap<>();
    private final Map<String, String> unreachable = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();
    /** Deferred steps not completed since: a reconcile that fails one leaves it owed, not forgotten. */
    private final Set<String> owed = new HashSet<>();
    private final List<String> changedInOrder = new ArrayList<>();
    private final Set<String> compensated = new HashSet<>();
    private final Set<String> compensationsApplied = new HashSet<>();
    private final Set<String> preconditionsPassed = new HashSet<>();
    /** The events of child runbooks ({@code runbook.run}), as the journal has them: theirs to fold, not this one's. */
    private final List<Event> nested = new ArrayList<>();
    /** Main steps by id, in the order they first started: when each ran. */
    private final Map<String, StepSpan> spans = new LinkedHashMap<>();
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
        if (ChildEvents.nested(event)) {
            nested.add(event);
            return;
        }
        // A notice may follow the end (a notification that could not be sent): it ends nothing.
        if (event.type() != EventType.NOTICE) {
            last = event;
        }
        String step = event.step();
        span(event);
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
            case STEP_FAILED -> failures.put(step, event.message());
            case STEP_DEFERRED -> {
                owed.add(step);
                unreachable.put(step, String.valueOf(event.get("unreachable")));
            }
            case ROLLBACK_STARTED -> rollingBack = true;
            case ROLLBACK_APPLIED -> compensationsApplied.add(event.text("for"));
            case ROLLBACK_SUCCEEDED -> compensated.add(event.text("for"));
            default -> { }
        }
        if (step != null && !NOT_PROGRESS.contains(event.type())) {
            lastByStep.put(step, event.type());
            if (completes(event.type())) {
                owed.remove(step);
            }
            if (event.phase() == Phase.PRECONDITION && completes(event.type())) {
                preconditionsPassed.add(step);
            }
        }
    }

    /**
     * A main step's start (its latest: a resumed step runs anew) and end, for {@link #spans}. A deferred step
     * completed later (reconcile) keeps the window it first ran in: its completion is another step's time.
     */
    private void span(Event event) {
        if (event.phase() != Phase.STEP || event.step() == null || owed.contains(event.step())) {
            return;
        }
        switch (event.type()) {
            case STEP_STARTED -> spans.put(event.step(), new StepSpan(event.step(), event.action(), event.time(),
                    Optional.empty()));
            case STEP_SUCCEEDED, STEP_SKIPPED, STEP_FAILED, STEP_DEFERRED -> spans.computeIfPresent(event.step(),
                    (id, s) -> new StepSpan(id, s.action(), s.start(), Optional.of(event.time())));
            default -> { }
        }
    }

    /** When the main steps of {@code ids} that have started ran, in the order they first started. */
    public synchronized List<StepSpan> spans(List<String> ids) {
        return spans.values().stream().filter(s -> ids.contains(s.step())).toList();
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

    /** Why the step last failed, or null. */
    public synchronized String failure(String step) {
        return failures.get(step);
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

    /** What the child runbook that step {@code step} runs has journalled so far, as its own execution sees it. */
    public synchronized List<Event> child(String step) {
        return ChildEvents.of(step, nested);
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

    /** The last event that is not a notice: the end, once the execution has ended or stopped. */
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
