package dev.gafail.lab;

import java.util.List;
import java.util.Map;

/** What a lab's supervisor runs: a whole lab, or Global Accelerator's control plane alone. */
interface Supervised extends AutoCloseable {

    /**
     * The answer to one lab command ({@code status}, {@code fail}, {@code heal}, ...), as JSON-ready values; an
     * {@link IllegalArgumentException} when the command makes no sense here (an unknown region).
     */
    Object operate(String operation, Map<String, String> query) throws Exception;

    /** The process ids of its parts, so that what a dead supervisor left can be stopped. */
    List<Long> pids();

    @Override
    void close() throws InterruptedException;
}
