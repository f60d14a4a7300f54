package dev.gafail.cli;

import dev.gafail.app.ChangeRequest;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of every command that changes something. */
public final class ChangeOptions {

    @Option(names = {"-y", "--yes"}, description = "Approve the plan and every control.approve step without asking.")
    boolean yes;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why you run this (an incident, a drill); kept in the journal and the audit log.")
    String reason;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Bound the whole execution (e.g. 30m); overrides the runbook's timeout.")
    String timeout;

    @Option(names = "--force-unlock",
            description = "Clear a lock whose holder is gone (audited); refused (exit 5) while a process holds it.")
    boolean forceUnlock;

    /** The options as a request: {@code --timeout} parsed (a bad one is a usage error, exit 2). */
    ChangeRequest request() {
        Duration bound = timeout == null ? null : Durations.parse(timeout).orElseThrow(() -> new GafailException(
                ExitCode.USAGE, "--timeout " + timeout + ": not a duration (" + Durations.EXAMPLES + ")"));
        return new ChangeRequest(yes, reason, bound, forceUnlock);
    }
}
