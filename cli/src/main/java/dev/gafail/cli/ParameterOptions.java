package dev.gafail.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --set name=value}, for runbook parameters. */
public final class ParameterOptions {

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Set a runbook parameter; repeat for several.")
    Map<String, String> values = new LinkedHashMap<>();
}
