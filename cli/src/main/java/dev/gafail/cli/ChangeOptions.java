package dev.gafail.cli;

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
            description = "Remove the lock of an execution whose holder is gone for good (audited).")
    boolean forceUnlock;
}
