package dev.gafail.actions;

import dev.gafail.lab.load.Sample;
import dev.gafail.topology.Targets;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An SLO measured on the last window of a load's requests: the figures, which targets held, and each
 * one missed with the value measured and the target. A window with fewer than the SLO's minimum of
 * samples is quiet: it decides nothing, neither met nor missed.
 *
 * @param targets each target judged ({@code availability}, {@code errorRate}, {@code p95}, {@code p99},
 *                {@code region}): what was measured, its bound, whether it held
 * @param missed  one line per target missed, e.g. {@code p95 1480 ms > target 1200 ms}
 */
record SloJudgement(LoadFigures figures, Targets.Slo slo, boolean quiet, List<Judged> targets, List<String> missed,
                    Duration covered) {

    /** One target as judged, in the shape a {@code verdict} step reads from a step's outputs. */
    record Judged(String name, String measured, String target, boolean held) {
    }

    SloJudgement {
        targets = List.copyOf(targets);
        missed = List.copyOf(missed);
    }

    /** The names of the targets that held. */
    List<String> held() {
        return targets.stream().filter(Judged::held).map(Judged::name).toList();
    }

    /**
     * Judges the requests sent in the window that ends at {@code now}; with {@code region}, every answered
     * request of the window must have been answered by that region.
     */
    static SloJudgement of(List<Sample> samples, Instant now, Targets.Slo slo, Optional<String> region) {
        return of(samples, now, slo, region, Instant.MIN);
    }

    /**
     * As {@link #of(List, Instant, Targets.Slo, Optional)}, for a load that began at {@code loadStarted}: a
     * window the load has not filled yet is quiet too, however many samples it holds.
     */
    static SloJudgement of(List<Sample> samples, Instant now, Targets.Slo slo, Optional<String> region,
                           Instant loadStarted) {
        Instant from = now.minus(slo.window());
        List<Sample> window = samples.stream().filter(s -> s.at().isAfter(from) && !s.at().isAfter(now)).toList();
        LoadFigures f = LoadFigures.of(window);
        List<Judged> targets = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        if (slo.availability() != null) {
            judge(new Judged("availability", percent(f.availability()), "≥ " + percent(slo.availability()),
                    f.availability() >= slo.availability()), "availability " + percent(f.availability())
                    + " < target " + percent(slo.availability()), targets, missed);
        }
        if (slo.errorRate() != null) {
            judge(new Judged("errorRate", percent(f.errorRate()), "≤ " + percent(slo.errorRate()),
                    f.errorRate() <= slo.errorRate()), "error rate " + percent(f.errorRate()) + " > target "
                    + percent(slo.errorRate()), targets, missed);
        }
        if (slo.p95() != null) {
            judge(new Judged("p95", millis(f.p95()), "≤ " + millis(slo.p95().toNanos() / 1e6),
                    f.p95() <= slo.p95().toNanos() / 1e6), "p95 " + millis(f.p95()) + " > target "
                    + millis(slo.p95().toNanos() / 1e6), targets, missed);
        }
        if (slo.p99() != null) {
            judge(new Judged("p99", millis(f.p99()), "≤ " + millis(slo.p99().toNanos() / 1e6),
                    f.p99() <= slo.p99().toNanos() / 1e6), "p99 " + millis(f.p99()) + " > target "
                    + millis(slo.p99().toNanos() / 1e6), targets, missed);
        }
        region.ifPresent(r -> {
            long answered = f.regions().values().stream().mapToLong(Long::longValue).sum();
            long elsewhere = answered - f.regions().getOrDefault(r, 0L);
            judge(new Judged("region", f.regions().toString(), "every answer from " + r,
                    answered > 0 && elsewhere == 0), answered == 0 ? "region: no request answered, expected "
                    + r : "region: " + elsewhere + " of " + answered + " answers from " + String.join(", ",
                    f.regions().keySet().stream().filter(k -> !k.equals(r)).toList()) + ", not " + r, targets, missed);
        });
        Duration covered = loadStarted.isAfter(from) ? Duration.between(loadStarted, now) : slo.window();
        return new SloJudgement(f, slo, f.requests() < slo.minSamples() || covered.compareTo(slo.window()) < 0,
                targets, missed, covered);
    }

    private static void judge(Judged target, String miss, List<Judged> targets, List<String> missed) {
        targets.add(target);
        if (!target.held()) {
            missed.add(miss);
        }
    }

    /** Whether every target held over a window with enough samples to tell. */
    boolean met() {
        return !quiet && missed.isEmpty();
    }

    /** Over which window, and how many samples it held: what each line of the judgement was measured on. */
    String over() {
        return "over " + Durations.format(slo.window()) + " (" + figures.requests() + " samples)";
    }

    /** What the window shows, in one line: why it decides nothing, each target missed, or that it holds. */
    String detail() {
        if (quiet) {
            return covered.compareTo(slo.window()) < 0 ? "the load has run " + Durations.human(covered) + " of the "
                    + Durations.format(slo.window()) + " window the SLO decides on"
                    : "only " + figures.requests() + " samples in the last " + Durations.format(slo.window())
                    + "; the SLO decides on at least " + slo.minSamples();
        }
        if (!missed.isEmpty()) {
            return String.join("; ", missed) + " " + over();
        }
        return "SLO met " + over() + ": " + String.join(", ", held()) + " held (p95 " + millis(figures.p95())
                + ", p99 " + millis(figures.p99()) + ", error rate " + percent(figures.errorRate()) + ")";
    }

    static String percent(double value) {
        return trimmed(value) + "%";
    }

    static String millis(double value) {
        return trimmed(value) + " ms";
    }

    /** A whole number as such, else one decimal: 1480, 98, 97.3. */
    static String trimmed(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
