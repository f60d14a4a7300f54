package dev.gafail.engine;

/**
 * The lease this process acts under, if any: what every AWS call and journal write checks first, so
 * that a process whose lease ran out (stopped past it, or cut off from the bucket) changes nothing.
 */
public final class HeldLock {

    private volatile Lease lease;

    /** From now until {@link #release}, calls are refused once {@code held} is lost. */
    public void hold(Lease held) {
        lease = held;
    }

    public void release(Lease held) {
        if (lease == held) {
            lease = null;
        }
    }

    /**
     * @throws LockLost when the lease held is lost
     */
    public void check() {
        Lease held = lease;
        if (held != null) {
            held.check();
        }
    }
}
