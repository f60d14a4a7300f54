package dev.gafail.engine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The operator's request to stop (Ctrl-C, SIGTERM, a dropped terminal). It never cuts a step in
 * the middle of a change: the engine looks at it at safe points, and waits end early through {@link #sleep}.
 */
public final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String reason;
    private volatile boolean armed;

    /** An execution is listening from now on: a signal should stop it gracefully, not kill the process. */
    public void arm() {
        armed = true;
    }

    public boolean armed() {
        return armed;
    }

    public void request(String why) {
        if (reason == null) {
            reason = why;
        }
        stopped.countDown();
    }

    public boolean requested() {
        return stopped.getCount() == 0;
    }

    public String reason() {
        return reason;
    }

    /** Sleeps for {@code duration}; throws as soon as a stop is requested or the thread is interrupted. */
    public void sleep(Duration duration) throws InterruptedException {
        if (stopped.await(Math.max(0, duration.toNanos()), TimeUnit.NANOSECONDS)) {
            throw new InterruptedException("stop requested: " + reason);
        }
    }
}
