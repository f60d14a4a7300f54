package dev.gafail.engine;

import java.util.Map;
import java.util.Optional;

/**
 * What a step's {@code plan} found: the state it observed and the state it would bring about.
 * {@code done} means nothing is left to do. {@code observed} is journalled before the change, so a
 * rollback can restore what was there even if the change itself never reported back. A step type
 * observes into a record of its own ({@link #observing}) and reads it back as that record
 * ({@link #observedAs}), whether plan just made it or a resumed execution read it from the journal;
 * {@code observed} is its JSON form.
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

    /** This change, with {@code state} (the step type's record of what plan found) as what it observed. */
    public Change observing(Record state) {
        return new Change(current, desired, done, Json.object(state));
    }

    /** What plan observed, as the step type's record {@code type}; empty when plan observed nothing. */
    public <T extends Record> Optional<T> observedAs(Class<T> type) {
        return observed.isEmpty() ? Optional.empty() : Optional.of(Json.MAPPER.convertValue(observed, type));
    }
}
