package dev.gafail.actions;

import java.util.Map;

/**
 * What a check found: it holds, it does not, or it cannot tell (telemetry missing). Unknown is
 * never taken for "holds": a missing datapoint is not a zero.
 */
record Verdict(Kind kind, String detail, Map<String, Object> outputs) {

    enum Kind { HOLDS, FAILS, UNKNOWN }

    Verdict {
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    }

    static Verdict holds(String detail, Map<String, Object> outputs) {
        return new Verdict(Kind.HOLDS, detail, outputs);
    }

    static Verdict fails(String detail) {
        return new Verdict(Kind.FAILS, detail, Map.of());
    }

    static Verdict unknown(String detail) {
        return new Verdict(Kind.UNKNOWN, detail, Map.of());
    }

    boolean holds() {
        return kind == Kind.HOLDS;
    }
}
