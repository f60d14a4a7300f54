package dev.gafail.yaml;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The duration syntax of runbooks: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}. */
public final class Durations {

    /**
     * Also in the runbook JSON Schema, so editors flag bad durations too. Bounded (8 parts of up to 10
     * digits, which any duration up to {@link #MAX} needs at most): Java's regex engine recurses once per
     * repetition of a group, and {@code 1h} repeated a few thousand times overflowed the stack.
     */
    public static final String PATTERN = "^([0-9]{1,10}(ms|s|m|h)){1,8}$";
    /** Longer than any failover or drill should wait; also keeps deadlines far from overflow. */
    public static final Duration MAX = Duration.ofDays(30);
    public static final String EXAMPLES = "e.g. 500ms, 30s, 5m, 1h30m; at most 720h";

    private static final Pattern WHOLE = Pattern.compile(PATTERN);
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {
    }

    public static Optional<Duration> parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        try {
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
        return total.compareTo(MAX) > 0 ? Optional.empty() : Optional.of(total);
    }

    /** The shortest runbook spelling of {@code d}, so that {@code parse(format(d))} gives d back. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long hours = d.toHours();
        int minutes = d.toMinutesPart();
        int seconds = d.toSecondsPart();
        int millis = d.toMillisPart();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        if (seconds > 0) {
            out.append(seconds).append('s');
        }
        if (millis > 0) {
            out.append(millis).append("ms");
        }
        return out.toString();
    }

    /** Elapsed time for people: {@code 850ms}, {@code 12.3s}, {@code 4m05s}. */
    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
