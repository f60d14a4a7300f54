package dev.gafail.engine;

import java.time.Duration;
import java.util.List;

/**
 * How the operator asked for an execution: who approves, how to stop it, why it runs
 * ({@code --reason}), the command line (for the audit log), the overall timeout (null: the
 * runbook's), and the secret values to mask everywhere.
 */
public record RunOptions(Operator operator, StopSignal stop, String reason, String command, Duration timeout,
                         List<String> secrets) {

    public RunOptions {
        secrets = List.copyOf(secrets);
    }
}
