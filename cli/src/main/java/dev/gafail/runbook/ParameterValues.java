package dev.gafail.runbook;

import dev.gafail.yaml.Durations;
import dev.gafail.yaml.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds {@code --set name=value} pairs to a runbook's declared parameters, typed, with defaults. */
public final class ParameterValues {

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

    /** The text of the secret values among {@code values}, to mask wherever they might appear. */
    public static List<String> secrets(Runbook runbook, Map<String, Object> values) {
        List<String> secrets = new ArrayList<>();
        runbook.parameters().values().stream().filter(ParameterSpec::secret)
                .forEach(p -> {
                    Object value = values.get(p.name());
                    if (value != null) {
                        secrets.add(value.toString());
                    }
                });
        return secrets;
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
