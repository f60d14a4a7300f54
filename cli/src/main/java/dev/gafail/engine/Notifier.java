package dev.gafail.engine;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tells people what an execution does: a listener on its event bus that turns the events that matter
 * (start, resume, an approval awaited, a step failed for good, a rollback, the end) into notifications
 * for the outbox, each naming the command to run next; and what a notify step sends. It only hands
 * messages over, so the execution never waits for a sink.
 */
public final class Notifier implements EventListener {

    private final Outbox outbox;
    private final Notification.About about;
    private final Clock clock;

    public Notifier(Outbox outbox, Notification.About about, Clock clock) {
        this.outbox = outbox;
        this.about = about;
        this.clock = clock;
    }

    @Override
    public void on(Event e) {
        String id = e.execution();
        switch (e.type()) {
            case EXECUTION_STARTED -> post(Notification.Kind.STARTED, e, null, "runbook '" + about.runbook()
                    + "' started" + parameters(e), show(id));
            case EXECUTION_RESUMED -> post(Notification.Kind.RESUMED, e, null, e.message(), show(id));
            case APPROVAL_REQUESTED -> post(Notification.Kind.APPROVAL, e, null, e.message(), "gafail approve " + id);
            case STEP_FAILED -> post(Notification.Kind.STEP_FAILED, e, null, "step '" + e.step() + "'"
                    + (e.action() == null ? "" : " (" + e.action() + ")") + " failed: " + e.message(), show(id));
            case ROLLBACK_STARTED -> post(Notification.Kind.ROLLBACK, e, null, "rolling back: " + e.message(), show(id));
            case EXECUTION_INTERRUPTED -> post(Notification.Kind.INTERRUPTED, e, ExecutionStatus.INTERRUPTED.wire(),
                    e.message(), "gafail resume " + id);
            case EXECUTION_FINISHED -> {
                ExecutionStatus status = ExecutionStatus.fromWire(e.text("status"));
                post(end(status), e, status.wire(), e.message(), next(status, id));
            }
            default -> { }
        }
    }

    /** The sinks' names, in the topology's order: whom a notify step can reach. */
    public List<String> sinks() {
        return outbox.names();
    }

    /**
     * A notify step's message, to the sinks named {@code to} (all when empty), waited for at most {@link
     * Outbox#BOUND}.
     *
     * @param subject the message's own subject, or null for gafail's
     */
    public Outbox.Delivery message(String execution, String step, String subject, String text, List<String> to)
            throws InterruptedException {
        return outbox.send(new Notification(Notification.Kind.MESSAGE, clock.instant(), about, execution,
                step, null, text, show(execution), subject, false), to);
    }

    /** A dry run's outcome, for the sinks that take dry runs. */
    public void dryRun(String execution, ExecutionResult result) {
        outbox.post(new Notification(Notification.Kind.DRY_RUN, clock.instant(), about, execution, null,
                result.status().wire(), result.message(), null, null, true));
    }

    private void post(Notification.Kind kind, Event e, String status, String message, String next) {
        outbox.post(new Notification(kind, e.time(), about, e.execution(), e.step(), status, message, next, null,
                false));
    }

    private static Notification.Kind end(ExecutionStatus status) {
        return switch (status) {
            case SUCCEEDED -> Notification.Kind.SUCCEEDED;
            case SUCCEEDED_WITH_DEFERRED -> Notification.Kind.DEFERRED;
            case ROLLED_BACK -> Notification.Kind.ROLLED_BACK;
            case ABORTED -> Notification.Kind.ABORTED;
            case INTERRUPTED -> Notification.Kind.INTERRUPTED;
            case VERDICT_FAILED -> Notification.Kind.VERDICT_FAILED;
            case FAILED, RUNNING, DID_NOT_START -> Notification.Kind.FAILED;
        };
    }

    /** What to run after an execution ends so: finish it, complete its deferred steps, or read what it did. */
    private static String next(ExecutionStatus status, String id) {
        if (status.resumable()) {
            return "gafail resume " + id;
        }
        return status == ExecutionStatus.SUCCEEDED_WITH_DEFERRED ? "gafail reconcile " + id : show(id);
    }

    private static String show(String id) {
        return "gafail show " + id;
    }

    /** " with to=region-b, mode=planned", as journalled (secrets masked); empty without parameters. */
    private static String parameters(Event started) {
        if (started.get("params") instanceof Map<?, ?> params && !params.isEmpty()) {
            return " with " + params.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue())
                    .collect(Collectors.joining(", "));
        }
        return "";
    }
}
