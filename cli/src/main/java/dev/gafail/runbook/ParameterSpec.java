package dev.gafail.runbook;

import java.util.List;

/**
 * A declared runbook parameter. {@code defaultValue} is already of the type's Java class
 * (String, Long, Boolean, Duration); {@code secret} values never reach output, journals or audit.
 */
public record ParameterSpec(String name, ParameterType type, boolean required, Object defaultValue,
                            String description, List<String> values, boolean secret) {

    public ParameterSpec {
        values = values == null ? List.of() : List.copyOf(values);
    }
}
