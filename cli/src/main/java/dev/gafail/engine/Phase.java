package dev.gafail.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The part of a runbook a step belongs to. */
public enum Phase {
    PRECONDITION, STEP, VERIFY, ROLLBACK;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Phase fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
