package dev.gafail.engine;

/**
 * Where the steps of one execution keep files beside its journal, for its report (a load's raw samples),
 * in the state the team shares when it is configured.
 */
@FunctionalInterface
public interface Attachments {

    /** Keeps {@code content} as file {@code name}, replacing an earlier one of that name; where it is, for messages. */
    String keep(String name, byte[] content);
}
