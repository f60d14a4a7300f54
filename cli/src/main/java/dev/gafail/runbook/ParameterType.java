package dev.gafail.runbook;

import dev.gafail.yaml.Durations;
import java.util.List;
import java.util.Optional;

/** The types a runbook parameter may have, and how a value of each is written on the command line. */
public enum ParameterType {
    STRING, INT, BOOL, DURATION, ENUM;

    /** Parses {@code text} for this type; empty with a reason in {@code why} when it is not one. */
    public Optional<Object> parse(String text, List<String> enumValues, StringBuilder why) {
        switch (this) {
            case INT -> {
                try {
                    return Optional.of(Long.parseLong(text.trim()));
                } catch (NumberFormatException e) {
                    why.append("not an integer");
                    return Optional.empty();
                }
            }
            case BOOL -> {
                if (text.equals("true") || text.equals("false")) {
                    return Optional.of(Boolean.parseBoolean(text));
                }
                why.append("not a bool (true or false)");
                return Optional.empty();
            }
            case DURATION -> {
                Optional<Object> d = Durations.parse(text).map(x -> x);
                if (d.isEmpty()) {
                    why.append("not a duration (").append(Durations.EXAMPLES).append(')');
                }
                return d;
            }
            case ENUM -> {
                if (enumValues.contains(text)) {
                    return Optional.of(text);
                }
                why.append("not one of ").append(String.join(", ", enumValues));
                return Optional.empty();
            }
            default -> {
                return Optional.of(text);
            }
        }
    }
}
