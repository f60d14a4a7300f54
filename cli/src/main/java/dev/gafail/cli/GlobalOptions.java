package dev.gafail.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes, before or after the subcommand's name. */
public final class GlobalOptions {

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "text|json|markdown",
            description = "What to print on stdout: text (default), json, or markdown (status, history, show).")
    OutputFormat output = OutputFormat.TEXT;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "No colours (also: NO_COLOR=1).")
    boolean noColor;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More detail: each change's before and after, and stack traces of internal errors.")
    boolean verbose;

    @Option(names = "--topology", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "The topology (gafail.yaml); default: $GAFAIL_TOPOLOGY, then ./gafail.yaml.")
    Path topology;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "The AWS profile (keys, role, SSO or credential_process) and all it carries; default: the"
                    + " environment's keys, then AWS_PROFILE's or the default profile, then a web identity or role"
                    + " (docs/TOPOLOGY.md#credentials).")
    String profile;

    @Option(names = "--state", scope = ScopeType.INHERIT, paramLabel = "local",
            description = "Break glass: keep the lock and journal in the local folder even though the topology names"
                    + " a state bucket (it cannot be reached). Nobody else sees or is kept out by this execution;"
                    + " afterwards: gafail state push ID.")
    StateChoice state;

    /** Where {@code --state} puts the state: only {@code local} can be chosen; the topology says the rest. */
    enum StateChoice { local }
}
