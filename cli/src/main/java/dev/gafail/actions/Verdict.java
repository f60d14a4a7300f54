package dev.gafail.actions;

import java.util.Objects;
import java.util.Optional;

/**
 * What a check found: it holds, it does not, or it cannot tell (telemetry missing). Unknown is
 * never taken for "holds": a missing datapoint is not a zero. A verdict that holds carries the
 * step's outputs; one that fails may carry what it saw in the same shape (a probe's answer, which
 * {@code gafail status} shows).
 */
record Verdict<O extends Record>(Kind kind, String detail, Optional<O> outputs) {

    enum Kind { HOLDS, FAILS, UNKNOWN }

    Verdict {
        Objects.requireNonNull(outputs, "outputs");
        if (kind == Kind.HOLDS && outputs.isEmpty()) {
            throw new IllegalArgumentException("a verdict that holds has outputs");
        }
    }

    static <O extends Record> Verdict<O> holds(String detail, O outputs) {
        return new Verdict<>(Kind.HOLDS, detail, Optional.of(outputs));
    }

    static <O extends Record> Verdict<O> fails(String detail) {
        return new Verdict<>(Kind.FAILS, detail, Optional.empty());
    }

    static <O extends Record> Verdict<O> fails(String detail, O seen) {
        return new Verdict<>(Kind.FAILS, detail, Optional.of(seen));
    }

    static <O extends Record> Verdict<O> unknown(String detail) {
        return new Verdict<>(Kind.UNKNOWN, detail, Optional.empty());
    }

    boolean holds() {
        return kind == Kind.HOLDS;
    }
}
