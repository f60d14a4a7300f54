package dev.gafail.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A step type's observed state survives the journal as its own record: what a rollback after a resume reads. */
class ChangeTest {

    record Seen(Map<String, Integer> dials, int desiredCount, String writer) {
    }

    @Test
    void observedStateComesBackFromTheJournalAsTheStepTypesRecord() {
        Seen seen = new Seen(Map.of("region-a", 100, "region-b", 0), 2, "region-a");
        Change planned = Change.to("before", "after").observing(seen);
        Change journalled = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(planned), Change.class);

        assertEquals(Optional.of(seen), journalled.observedAs(Seen.class));
        assertEquals(Optional.of(seen), planned.observedAs(Seen.class));
    }

    @Test
    void aChangeThatObservedNothingHasNothingToRestore() {
        assertEquals(Optional.empty(), Change.to("before", "after").observedAs(Seen.class));
        assertEquals(Optional.empty(), Change.alreadyDone("done").observedAs(Seen.class));
    }
}
