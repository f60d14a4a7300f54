package dev.gafail.engine;

import java.util.List;

/**
 * Delivers each event to every listener, one event at a time and in order (parallel steps publish
 * concurrently). Secrets are masked first. The journal is the first listener: if it cannot write,
 * the exception stops the execution before the next change.
 */
public final class EventBus implements EventListener {

    private final List<EventListener> listeners;
    private final Redactor redactor;

    public EventBus(Redactor redactor, List<EventListener> listeners) {
        this.redactor = redactor;
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public synchronized void on(Event event) {
        Event safe = redactor.redact(event);
        for (EventListener listener : listeners) {
            listener.on(safe);
        }
    }
}
