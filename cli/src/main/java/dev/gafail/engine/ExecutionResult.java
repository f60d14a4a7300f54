package dev.gafail.engine;

/** How an execution ended, the exit code that says so, and one line for the operator. */
public record ExecutionResult(ExecutionStatus status, ExitCode exitCode, String message) {
}
