package dev.gafail.engine;

/** The exit codes of DESIGN.md, the only ones gafail returns. */
public enum ExitCode {
    OK(0), STEP_FAILED(1), USAGE(2), PRECONDITIONS_NOT_MET(3), ABORTED(4), LOCKED(5), DEFERRED(6), INCOMPLETE_PLAN(7),
    /** A verdict failed: a drill missed a target, or {@code gafail check} found a failing item. */
    VERDICT_FAILED(8);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
