package dev.gafail.engine;

/**
 * This process no longer holds its execution's lock: the lease ran out before it could be renewed (the
 * process was stopped, the bucket did not answer), or another gafail took it over. Nothing more may be
 * called or journalled, so the engine stops where it is, writing nothing; outside a run it is one line.
 */
public final class LockLost extends GafailException {

    public LockLost(ExitCode exitCode, String message) {
        super(exitCode, message);
    }
}
