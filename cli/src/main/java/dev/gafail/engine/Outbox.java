package dev.gafail.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An execution's notifications on their way: one sender thread per sink delivers its messages in order,
 * off the execution's thread, so a sink that hangs or fails delays no step. A sink that fails is told in
 * one notice (journalled, shown) until it delivers again; the execution's result never changes for it.
 * When the execution ends, the senders get {@link #BOUND} to finish, and what is left is reported as
 * not sent.
 */
public final class Outbox implements AutoCloseable {

    /**
     * How long one delivery may take (a webhook's connection and answer, SNS in each region), how long a
     * notify step waits for its sinks, and how long the end of an execution waits for messages on their
     * way. docs/TOPOLOGY.md quotes it.
     */
    public static final Duration BOUND = Duration.ofSeconds(5);

    /**
     * What a notify step's message came to.
     *
     * @param delivered how many sinks took it within {@link #BOUND}
     * @param sinks     the sinks it went to
     * @param missed    those of them that did not take it in time (it may still arrive)
     */
    public record Delivery(int delivered, List<String> sinks, List<String> missed) {
    }

    private final List<Sender> senders;
    private final boolean dryRun;
    private final Redactor redactor;
    private final Clock clock;
    /** Guards where notices go and whether they still may: none once the journal is about to close. */
    private final Object reporting = new Object();
    private EventListener notices;
    private String execution;
    private boolean closed;

    /**
     * @param dryRun a dry run's outbox: only the sinks that take dry runs get its messages
     * @param redactor masks what a message says that did not come through the event bus (a notify step's text)
     */
    public Outbox(List<Subscription> subscriptions, boolean dryRun, Redactor redactor, Clock clock) {
        this.senders = subscriptions.stream().map(Sender::new).toList();
        this.dryRun = dryRun;
        this.redactor = redactor;
        this.clock = clock;
    }

    /**
     * Where the notices about sinks go: the execution's event bus, which takes this outbox's notifier as a
     * listener and so is made after it. Called before anything is posted.
     */
    public void reportTo(EventListener bus, String executionId) {
        synchronized (reporting) {
            notices = bus;
            execution = executionId;
        }
    }

    /** The sinks' names, in the topology's order. */
    public List<String> names() {
        return senders.stream().map(s -> s.subscription.name()).toList();
    }

    /** Hands {@code notification} to every sink that takes its kind (in a dry run, that takes dry runs); returns at once. */
    void post(Notification notification) {
        Notification safe = notification.masked(redactor);
        for (Sender sender : senders) {
            Subscription s = sender.subscription;
            if (s.kinds().contains(safe.kind()) && (!dryRun || s.dryRuns())) {
                sender.submit(safe);
            }
        }
    }

    /**
     * Sends {@code notification} to the sinks named {@code to} (every sink when empty), whatever kinds they
     * take, and waits at most {@link #BOUND} until they have taken it.
     */
    Delivery send(Notification notification, List<String> to) throws InterruptedException {
        Notification safe = notification.masked(redactor);
        List<Sender> chosen = senders.stream().filter(s -> to.isEmpty() || to.contains(s.subscription.name()))
                .toList();
        List<Future<Boolean>> sent = chosen.stream().map(s -> s.submit(safe)).toList();
        long end = System.nanoTime() + BOUND.toNanos();
        int delivered = 0;
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            boolean taken;
            try {
                taken = sent.get(i).get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                taken = false;
            }
            if (taken) {
                delivered++;
            } else {
                missed.add(chosen.get(i).subscription.name());
            }
        }
        return new Delivery(delivered, chosen.stream().map(s -> s.subscription.name()).toList(), missed);
    }

    /** Gives the senders {@link #BOUND} to deliver what they hold, then reports what is left as not sent. */
    @Override
    public void close() {
        long end = System.nanoTime() + BOUND.toNanos();
        senders.forEach(Sender::finish);
        try {
            for (Sender sender : senders) {
                sender.await(end);
            }
        } catch (InterruptedException e) {
            // Waiting ends here; the flag stays clear, since the journal must still record what was not sent.
        }
        synchronized (reporting) {
            for (Sender sender : senders) {
                // Each failure was told only when its sink began to fail: the journal keeps the whole count.
                if (!sender.undelivered.isEmpty()) {
                    report(sender.undelivered.size() + " notification(s) to " + sender.subscription.describe()
                            + " were not delivered: " + String.join(", ", sender.undelivered), Map.of("sink",
                            sender.subscription.name(), "undelivered", List.copyOf(sender.undelivered)));
                }
                int left = sender.pending.get();
                if (left > 0) {
                    report(left + " notification(s) to " + sender.subscription.describe() + " not sent: still on"
                            + " their way " + BOUND.toSeconds() + " s after the execution's end", Map.of("sink",
                            sender.subscription.name(), "unsent", left));
                }
            }
            closed = true;
        }
        senders.forEach(Sender::abandon);
    }

    /** A notice on the execution's event bus, unless the execution has closed its journal. Holds {@code reporting}. */
    private void report(String message, Map<String, Object> data) {
        if (!closed && notices != null) {
            try {
                notices.on(Event.ofExecution(EventType.NOTICE, execution, clock.instant(), message, data));
            } catch (RuntimeException e) {
                // The journal no longer takes events (the lock was lost, the disk is full): the execution has
                // met that itself and says so; a notification's notice must not replace its result.
            }
        }
    }

    /** One sink's thread and queue, made on its first message. */
    private final class Sender {
        private final Subscription subscription;
        private final AtomicInteger pending = new AtomicInteger();
        private ExecutorService thread;
        /** Whether its last delivery failed, so the next failure is not told again; read on its thread only. */
        private boolean failing;
        /** The kinds of the notifications it could not deliver, in order. */
        private final List<String> undelivered = new CopyOnWriteArrayList<>();

        Sender(Subscription subscription) {
            this.subscription = subscription;
        }

        synchronized Future<Boolean> submit(Notification notification) {
            if (thread == null) {
                thread = Executors.newSingleThreadExecutor(task -> {
                    Thread t = new Thread(task, "notify-" + subscription.name());
                    t.setDaemon(true);
                    return t;
                });
            }
            pending.incrementAndGet();
            try {
                return thread.submit(() -> deliver(notification));
            } catch (RejectedExecutionException e) {
                pending.decrementAndGet();
                return CompletableFuture.completedFuture(false);
            }
        }

        private boolean deliver(Notification notification) {
            try {
                subscription.sink().deliver(notification);
                failing = false;
                return true;
            } catch (NotificationSink.Undelivered e) {
                failed(notification, e.getMessage());
                return false;
            } catch (RuntimeException e) {
                failed(notification, "could not send it (" + e.getClass().getSimpleName() + ")");
                return false;
            } finally {
                pending.decrementAndGet();
            }
        }

        private void failed(Notification notification, String why) {
            undelivered.add(notification.kind().wire());
            if (!failing) {
                failing = true;
                synchronized (reporting) {
                    report("notifications to " + subscription.describe() + " fail: " + why + "; the execution goes"
                            + " on without them", Map.of("sink", subscription.name(), "notification",
                            notification.kind().wire()));
                }
            }
        }

        synchronized void finish() {
            if (thread != null) {
                thread.shutdown();
            }
        }

        void await(long end) throws InterruptedException {
            ExecutorService t;
            synchronized (this) {
                t = thread;
            }
            if (t != null) {
                t.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }

        synchronized void abandon() {
            if (thread != null) {
                thread.shutdownNow();
            }
        }
    }
}
