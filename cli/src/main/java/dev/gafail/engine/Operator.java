package dev.gafail.engine;

import java.util.List;
import java.util.Optional;

/** The person running gafail, as far as the engine needs them: to approve or decline, and to give a secret again. */
public interface Operator {

    /** Who approves, for the journal and the audit log. */
    String name();

    /**
     * Asks a yes/no question; returns normally on yes.
     *
     * @throws OperatorAbort on no, or when there is nobody to ask (no terminal and no --yes)
     */
    void approve(String question) throws OperatorAbort;

    /** Asks {@code question} about what {@code summary} shows (a plan): the operator at a terminal reads it first. */
    default void approve(List<String> summary, String question) throws OperatorAbort {
        approve(question);
    }

    /** The value of {@code what}, typed by the person at the terminal; empty when there is nobody to ask. */
    default Optional<String> secret(String what) {
        return Optional.empty();
    }

    /** The operator of {@code --yes}: approves everything, recorded as such. */
    static Operator preApproved(String name) {
        return new Operator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void approve(String question) {
            }
        };
    }
}
