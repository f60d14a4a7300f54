package dev.gafail.engine;

import java.util.Map;

/**
 * What a step's {@code plan} found: the state it observed and the state it would bring about.
 * {@code done} means nothing is left to do. {@code observed} is journalled before the change, so a
 * rollback can restore what was there even if the change itself never reported back.
 */
public record Change(String current, String desired, boolean done, Map<String, Object> observed) {

    public Change {
        observed = observed == null ? Map.of() : Map.copyOf(observed);
    }

    public static Change to(String current, String desired) {
        return new Change(current, desired, false, Map.of());
    }

    public static Change alreadyDone(String state) {
        return new Change(state, state, true, Map.of());
    }

    public Change observing(Map<String, Object> state) {
        return new Change(current, desired, done, state);
    }
}
