package dev.gafail.lab.edge;

/**
 * One backend process behind the edge, with its health as the accelerator judges it: it changes
 * only after {@code threshold} checks in a row say otherwise.
 */
final class Endpoint {

    private final int port;
    private final int threshold;
    private volatile boolean healthy;
    private volatile boolean checked;
    private int streak;

    Endpoint(int port, int threshold) {
        this.port = port;
        this.threshold = threshold;
    }

    int port() {
        return port;
    }

    boolean healthy() {
        return healthy;
    }

    /** The first check decides at once (the lab does not wait out an initial state); then streaks do. */
    synchronized void observe(boolean ok) {
        if (!checked) {
            checked = true;
            healthy = ok;
            return;
        }
        if (ok == healthy) {
            streak = 0;
            return;
        }
        if (++streak >= threshold) {
            healthy = ok;
            streak = 0;
        }
    }
}
