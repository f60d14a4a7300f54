package dev.gafail.engine;

/** Receives an execution's events in order: the journal, the audit log and the console are three of these. */
@FunctionalInterface
public interface EventListener {

    void on(Event event);
}
