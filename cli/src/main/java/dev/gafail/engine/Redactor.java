package dev.gafail.engine;

import dev.gafail.yaml.Durations;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Masks secret values in text, in every spelling gafail itself gives them: a text as it is, JSON-escaped
 * and URL-encoded; a number as digits; a duration in runbook syntax ({@code 1s300ms}), in ISO-8601
 * ({@code PT1.3S}) and for people ({@code 1.3s}). Texts are masked wherever they appear (an expression
 * may glue a secret to other text); numbers and durations only as whole tokens, so a secret {@code 42}
 * leaves {@code 1420} alone. Events are masked before any listener sees them, and the console masks
 * everything it writes.
 */
public final class Redactor {

    public static final String MASK = "***";
    public static final Redactor NONE = new Redactor(Map.of());

    /** Spelling -> whether it is masked only as a whole token. */
    private final Map<String, Boolean> spellings;
    private final Pattern pattern;

    private Redactor(Map<String, Boolean> spellings) {
        this.spellings = Map.copyOf(spellings);
        // Longest first: the regex takes the first alternative that matches, and a secret that contains
        // another must be masked whole.
        this.pattern = spellings.isEmpty() ? null : Pattern.compile(spellings.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .map(s -> spellings.get(s) ? "(?<![\\p{Alnum}.])" + Pattern.quote(s) + "(?![\\p{Alnum}])"
                        : Pattern.quote(s))
                .collect(Collectors.joining("|")));
    }

    /** Masks {@code secrets}: values of a parameter type's Java class (String, Long, Duration, Boolean). */
    public static Redactor of(Collection<?> secrets) {
        Map<String, Boolean> spellings = new LinkedHashMap<>();
        for (Object secret : secrets) {
            if (secret instanceof String text) {
                textSpellings(text).forEach(s -> spellings.put(s, false));
            } else if (secret != null) {
                tokenSpellings(secret).forEach(s -> spellings.putIfAbsent(s, true));
            }
        }
        spellings.remove("");
        return new Redactor(spellings);
    }

    /** Masks what this one and {@code other} mask. */
    public Redactor plus(Redactor other) {
        Map<String, Boolean> all = new LinkedHashMap<>(spellings);
        other.spellings.forEach((s, token) -> all.merge(s, token, (a, b) -> a && b));
        return new Redactor(all);
    }

    private static Set<String> textSpellings(String text) {
        Set<String> out = new LinkedHashSet<>();
        out.add(text);
        out.add(new String(JsonStringEncoder.getInstance().quoteAsCharArray(text)));
        String form = URLEncoder.encode(text, StandardCharsets.UTF_8);
        out.add(form);
        out.add(form.replace("+", "%20"));
        // The console masks line by line (ConsoleMask holds text only to a line's end), so each line of a
        // multi-line secret (a PEM key) is a spelling of its own.
        text.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(out::add);
        return out;
    }

    private static Set<String> tokenSpellings(Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof Duration d) {
            out.add(Durations.format(d));
            out.add(Durations.human(d));
            out.add(d.toString());
        } else {
            out.add(value.toString());
        }
        return out;
    }

    public Event redact(Event event) {
        if (pattern == null) {
            return event;
        }
        // The event's own fields (pid, journalFormat, tornBytes...) are gafail's bookkeeping: a number there
        // that happens to equal a secret int is not the secret, and masking it would break what reads them.
        Map<String, Object> data = new LinkedHashMap<>();
        event.data().forEach((k, v) -> data.put(k, v instanceof Number ? v : value(v)));
        return new Event(event.type(), event.time(), event.execution(), event.phase(), event.step(),
                event.action(), event.attempt(), text(event.message()), data);
    }

    public String text(String text) {
        if (text == null || pattern == null) {
            return text;
        }
        return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
    }

    private Object value(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
            return out;
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(value(v)));
            return out;
        }
        if (value instanceof Number || value instanceof Duration) {
            // A number that spells a secret becomes the mask's text: a secret int passed through to an output
            // must not reach the journal as a number either.
            String masked = text(value instanceof Duration d ? Durations.format(d) : value.toString());
            return masked.contains(MASK) ? masked : value;
        }
        return value instanceof String s ? text(s) : value;
    }
}
