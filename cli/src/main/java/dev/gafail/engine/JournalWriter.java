package dev.gafail.engine;

import java.util.Optional;

/**
 * Where an execution's events are written, before the engine goes on: a journal file, or one object
 * per event in a bucket. A write that cannot be made throws, which stops the execution before its
 * next change.
 */
public interface JournalWriter extends EventListener, AutoCloseable {

    /** The torn line that opening the journal set aside, if there was one. */
    default Optional<Journal.SetAside> setAside() {
        return Optional.empty();
    }

    @Override
    void close();
}
