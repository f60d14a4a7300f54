package dev.gafail.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Looks, while an execution runs, for a request to stop it ({@code gafail abort}, from any machine that
 * shares its state): journals who asked, and stops the execution at its next safe point, as Ctrl-C does.
 */
final class AbortWatch implements AutoCloseable {

    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "abort-watch");
        thread.setDaemon(true);
        return thread;
    });

    AbortWatch(StateBackend backend, String id, StopSignal stop, EventListener bus, Clock clock, Duration every) {
        poller.scheduleWithFixedDelay(() -> {
            try {
                backend.abortRequest(id).ifPresent(request -> {
                    String who = String.valueOf(request.getOrDefault("by", "someone"));
                    String why = "aborted by " + who + (request.get("reason") == null ? ""
                            : " (" + request.get("reason") + ")");
                    Map<String, Object> data = new LinkedHashMap<>(request);
                    data.put("abortRequested", true);
                    bus.on(Event.ofExecution(EventType.NOTICE, id, clock.instant(), why
                            + ": stopping at the next safe point", data));
                    stop.request(why);
                    backend.clearAbort(id);
                    poller.shutdown();
                });
            } catch (RuntimeException e) {
                // The bucket did not answer this time, or the lock is lost (the engine sees that itself): look again.
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
