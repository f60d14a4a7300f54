package dev.gafail.runbook;

import dev.gafail.yaml.Durations;
import dev.gafail.yaml.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Binds {@code --set name=value} pairs to a runbook's declared parameters, typed, with defaults. */
public final class ParameterValues {

    private static final String SET = "--set";

    /** Every problem with the given values, one line each. */
    public static final class InvalidParameters extends Exception {
        private final List<String> lines;

        InvalidParameters(List<String> lines) {
            super(String.join("; ", lines));
            this.lines = List.copyOf(lines);
        }

        public List<String> lines() {
            return lines;
        }
    }

    private ParameterValues() {
    }

    /** @return values by name, of the Java class of each type (String, Long, Boolean, Duration) */
    public static Map<String, Object> bind(Runbook runbook, Map<String, String> given) throws InvalidParameters {
        return bind(runbook, given, Map.of(), "");
    }

    /**
     * As {@link #bind(Runbook, Map)}, with {@code presets} between {@code --set} and the runbook's
     * defaults: values for the parameters of these names, from {@code presetSource} (a topology's
     * {@code parameters}). A preset the runbook does not declare is not its business, so it is ignored.
     */
    public static Map<String, Object> bind(Runbook runbook, Map<String, String> given, Map<String, String> presets,
                                           String presetSource) throws InvalidParameters {
        List<String> problems = new ArrayList<>();
        for (String name : given.keySet()) {
            if (!runbook.parameters().containsKey(name)) {
                problems.add("--set " + name + ": runbook '" + runbook.name() + "' has no parameter '" + name + "'"
                        + Suggestions.didYouMean(name, runbook.parameters().keySet())
                        + (runbook.parameters().isEmpty() ? "" : "; it has: "
                        + String.join(", ", runbook.parameters().keySet())));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParameterSpec spec : runbook.parameters().values()) {
            boolean preset = !given.containsKey(spec.name()) && presets.containsKey(spec.name());
            String text = preset ? presets.get(spec.name()) : given.get(spec.name());
            if (text == null) {
                if (spec.defaultValue() != null) {
                    values.put(spec.name(), spec.defaultValue());
                } else if (spec.required()) {
                    problems.add("missing required parameter '" + spec.name() + "': --set " + spec.name() + "=..."
                            + (spec.description().isEmpty() ? "" : " (" + spec.description() + ")"));
                }
                continue;
            }
            String origin = preset ? presetSource + " parameters." : "--set ";
            StringBuilder why = new StringBuilder();
            spec.type().parse(text, spec.values(), why).ifPresentOrElse(
                    value -> values.put(spec.name(), value),
                    () -> problems.add(origin + spec.name() + "=" + (spec.secret() ? "***" : text) + ": " + why));
        }
        if (!problems.isEmpty()) {
            throw new InvalidParameters(problems);
        }
        return values;
    }

    /** The secret values among {@code values}, of their types' Java classes, to mask wherever they might appear. */
    public static List<Object> secrets(Runbook runbook, Map<String, Object> values) {
        List<Object> secrets = new ArrayList<>();
        runbook.parameters().values().stream().filter(ParameterSpec::secret)
                .map(p -> values.get(p.name())).filter(Objects::nonNull).forEach(secrets::add);
        return secrets;
    }

    /**
     * {@code argv} with the value of every {@code --set} of a secret parameter replaced by {@code mask}: as
     * typed ({@code 0042}, {@code 1300ms}) it may be spelt in a way the value's own spellings miss.
     */
    public static List<String> maskedArguments(Runbook runbook, List<String> argv, String mask) {
        List<String> out = new ArrayList<>();
        boolean value = false;
        for (String arg : argv) {
            if (value) {
                out.add(masked(runbook, arg, mask));
            } else if (arg.startsWith(SET + "=")) {
                out.add(SET + "=" + masked(runbook, arg.substring(SET.length() + 1), mask));
            } else {
                out.add(arg);
            }
            value = arg.equals(SET);
        }
        return out;
    }

    private static String masked(Runbook runbook, String pair, String mask) {
        int eq = pair.indexOf('=');
        ParameterSpec spec = eq < 0 ? null : runbook.parameters().get(pair.substring(0, eq));
        // A pair that names no parameter is masked whole: it may be a secret typed without its name.
        return spec == null ? mask : spec.secret() ? pair.substring(0, eq + 1) + mask : pair;
    }

    /** The values as text, the way {@code --set} takes them, with secrets left out (resume asks for them again). */
    public static Map<String, String> storable(Runbook runbook, Map<String, Object> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            ParameterSpec spec = runbook.parameters().get(name);
            if (spec != null && !spec.secret()) {
                out.put(name, value instanceof java.time.Duration d ? Durations.format(d) : value.toString());
            }
        });
        return out;
    }
}
