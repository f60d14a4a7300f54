package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --set name=value}, for runbook parameters. Split here rather than by picocli's map options:
 * those keep the last of a repeated name silently, and warn about quotes by echoing the value, which
 * may be a secret. No message here quotes a value.
 */
public final class ParameterOptions {

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Set a runbook parameter; repeat for several (each parameter once).")
    List<String> pairs = new ArrayList<>();

    /** A parameter a command sets from one of its own options, named so that an error can point at it. */
    record Preset(String value, String option) {
    }

    /**
     * The parameters {@code command} sets from its options, then those of {@code --set}, which must not name
     * one of those (exit 2 naming the option that sets it).
     */
    Map<String, String> after(String command, Map<String, Preset> presets) {
        Map<String, String> out = new LinkedHashMap<>();
        presets.forEach((name, preset) -> out.put(name, preset.value()));
        for (Map.Entry<String, String> set : values().entrySet()) {
            Preset preset = presets.get(set.getKey());
            if (preset != null) {
                throw new GafailException(ExitCode.USAGE, "--set " + set.getKey() + ": " + command + " sets it from "
                        + preset.option() + "; give it there only");
            }
            out.put(set.getKey(), set.getValue());
        }
        return out;
    }

    /** The values by name, in the order given; a pair without a name, or a name given twice, is exit 2. */
    Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            String pair = pairs.get(i);
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new GafailException(ExitCode.USAGE, "--set number " + (i + 1) + " has no "
                        + (eq < 0 ? "'='" : "name before '='") + ": write --set NAME=VALUE");
            }
            String name = pair.substring(0, eq);
            if (values.putIfAbsent(name, pair.substring(eq + 1)) != null) {
                throw new GafailException(ExitCode.USAGE, "--set " + name + " is given more than once;"
                        + " give each parameter once");
            }
        }
        return values;
    }
}
