package dev.gafail.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The outbox delivers each sink's messages in order, off the caller's thread, and never waits past its bound. */
class OutboxTest {

    private static final Notification.About ABOUT = new Notification.About("orders-api", "failover", "alice", "laptop",
            null, "drill");

    private final List<Event> notices = new CopyOnWriteArrayList<>();

    private static Notification notification(Notification.Kind kind, String message) {
        return new Notification(kind, Instant.now(), ABOUT, "exec-1", null, null, message, "gafail show exec-1", null,
                false);
    }

    private static Subscription subscription(String name, NotificationSink sink, Set<Notification.Kind> kinds,
                                             boolean dryRuns) {
        return new Subscription(name, name + " (webhook)", sink, kinds, dryRuns);
    }

    private Outbox outbox(boolean dryRun, Subscription... subscriptions) {
        Outbox outbox = new Outbox(List.of(subscriptions), dryRun, Redactor.of(List.of("s3cret")), Clock.systemUTC());
        outbox.reportTo(notices::add, "exec-1");
        return outbox;
    }

    @Test
    void eachSinkGetsWhatItTakesInOrderAndMaskedWhileThePosterGoesOn() {
        List<String> all = new CopyOnWriteArrayList<>();
        List<String> ends = new CopyOnWriteArrayList<>();
        try (Outbox outbox = outbox(false,
                subscription("all", n -> all.add(n.message()), EnumSet.allOf(Notification.Kind.class), false),
                subscription("ends", n -> ends.add(n.message()), Notification.Kind.FINISHED, false))) {
            outbox.post(notification(Notification.Kind.STARTED, "one"));
            outbox.post(notification(Notification.Kind.STEP_FAILED, "two with s3cret"));
            outbox.post(notification(Notification.Kind.ROLLED_BACK, "three"));
        }
        assertEquals(List.of("one", "two with ***", "three"), all);
        assertEquals(List.of("three"), ends);
        assertEquals(List.of(), notices);
    }

    @Test
    void aDryRunReachesOnlyTheSinksThatTakeDryRuns() {
        List<String> plain = new CopyOnWriteArrayList<>();
        List<String> dry = new CopyOnWriteArrayList<>();
        try (Outbox outbox = outbox(true,
                subscription("plain", n -> plain.add(n.message()), EnumSet.allOf(Notification.Kind.class), false),
                subscription("dry", n -> dry.add(n.message()), EnumSet.allOf(Notification.Kind.class), true))) {
            outbox.post(notification(Notification.Kind.DRY_RUN, "would act"));
        }
        assertEquals(List.of(), plain);
        assertEquals(List.of("would act"), dry);
    }

    @Test
    void aFailingSinkIsToldOncePerRunOfFailuresAndTheOthersAreNotHeldUp() {
        AtomicInteger calls = new AtomicInteger();
        List<String> fine = new CopyOnWriteArrayList<>();
        try (Outbox outbox = outbox(false,
                subscription("flaky", n -> {
                    // fails, fails, delivers, fails
                    if (calls.incrementAndGet() != 3) {
                        throw new NotificationSink.Undelivered("connection refused");
                    }
                }, EnumSet.allOf(Notification.Kind.class), false),
                subscription("fine", n -> fine.add(n.message()), EnumSet.allOf(Notification.Kind.class), false))) {
            for (String message : List.of("1", "2", "3", "4")) {
                outbox.post(notification(Notification.Kind.STEP_FAILED, message));
            }
        }
        assertEquals(List.of("1", "2", "3", "4"), fine);
        assertEquals(List.of("notifications to flaky (webhook) fail: connection refused; the execution goes on without"
                + " them", "notifications to flaky (webhook) fail: connection refused; the execution goes on without them",
                "3 notification(s) to flaky (webhook) were not delivered: step-failed, step-failed, step-failed"),
                notices.stream().map(Event::message).toList());
        assertEquals("flaky", notices.get(0).text("sink"));
    }

    @Test
    void theEndWaitsAtMostTheBoundThenReportsWhatIsLeftAndNothingAfter() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        Outbox outbox = outbox(false, subscription("stuck", n -> {
            try {
                stuck.await();
            } catch (InterruptedException e) {
                throw new NotificationSink.Undelivered("interrupted");
            }
        }, EnumSet.allOf(Notification.Kind.class), false));
        for (String message : List.of("1", "2", "3")) {
            outbox.post(notification(Notification.Kind.STARTED, message));
        }
        long start = System.nanoTime();
        outbox.close();
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(waited.compareTo(Outbox.BOUND) >= 0 && waited.compareTo(Outbox.BOUND.plusSeconds(2)) < 0,
                "waited " + waited);
        assertEquals(List.of("3 notification(s) to stuck (webhook) not sent: still on their way 5 s after the"
                + " execution's end"), notices.stream().map(Event::message).toList());
        Thread.sleep(200); // the abandoned delivery ends now, interrupted: it reports nothing once closed
        assertEquals(1, notices.size(), notices.toString());
    }

    @Test
    void aNotifyStepsMessageGoesToTheNamedSinksWhateverTheyTakeAndSaysWhoTookItInTime() throws Exception {
        List<String> oncall = new CopyOnWriteArrayList<>();
        CountDownLatch never = new CountDownLatch(1);
        try (Outbox outbox = outbox(false,
                subscription("oncall", n -> oncall.add(n.message()), EnumSet.of(Notification.Kind.STARTED), false),
                subscription("slow", n -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        throw new NotificationSink.Undelivered("interrupted");
                    }
                }, EnumSet.allOf(Notification.Kind.class), false),
                subscription("other", n -> { }, EnumSet.allOf(Notification.Kind.class), false))) {
            Outbox.Delivery delivery = outbox.send(notification(Notification.Kind.MESSAGE, "we are failing over"),
                    List.of("oncall", "slow"));

            assertEquals(new Outbox.Delivery(1, List.of("oncall", "slow"), List.of("slow")), delivery);
            assertEquals(List.of("we are failing over"), oncall);
            never.countDown();
        }
    }
}
