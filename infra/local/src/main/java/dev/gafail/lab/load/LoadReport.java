package dev.gafail.lab.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a client load saw of a failover that ran from {@code start} to {@code end}, toward
 * {@code target}: the figures an SRE asks for after a drill.
 *
 * @param firstWrite  from the start to the end of the first write acknowledged by the target
 * @param allTraffic  from the start to the end of the last request another region answered: after
 *                    it, only the target answers
 * @param kinds       the same periods for each kind of client that sent
 * @param noticed     the requests that failed during the switch as a user would notice: all but the
 *                    503s with Retry-After that their client retried to a success ({@link #unrecovered})
 */
public record LoadReport(Window before, Window during, Window after, Optional<Duration> firstWrite,
                         Optional<Duration> allTraffic, Map<Sample.Kind, Periods> kinds, int noticed) {

    public LoadReport {
        kinds = Collections.unmodifiableMap(new TreeMap<>(kinds));
    }

    /** Requests before the failover, during it and after it. */
    public record Periods(Window before, Window during, Window after) {

        static Periods of(List<Sample> samples, Instant start, Instant end) {
            return new Periods(Window.of(samples.stream().filter(s -> s.at().isBefore(start)).toList()),
                    Window.of(samples.stream().filter(s -> !s.at().isBefore(start) && s.at().isBefore(end)).toList()),
                    Window.of(samples.stream().filter(s -> !s.at().isBefore(end)).toList()));
        }
    }

    /**
     * Requests in one period.
     *
     * @param unavailable the requests answered with a server error (5xx) or not at all: what availability counts
     * @param p50         of the requests that got an answer, in milliseconds (0 when there were none)
     * @param failures    the failed requests by answer: "503", "no answer"
     * @param regions     the answered requests by the region that answered ({@code X-Region})
     */
    public record Window(int requests, int failed, int unavailable, double p50, double p95, double p99,
                         Map<String, Long> failures, Map<String, Long> regions) {

        public Window {
            failures = Collections.unmodifiableMap(new TreeMap<>(failures));
            regions = Collections.unmodifiableMap(new TreeMap<>(regions));
        }

        public static Window of(List<Sample> samples) {
            List<Double> millis = samples.stream().filter(s -> s.status() != 0)
                    .map(s -> s.latency().toNanos() / 1e6).sorted().toList();
            Map<String, Long> failures = samples.stream().filter(s -> !s.ok()).collect(Collectors.groupingBy(
                    s -> s.status() == 0 ? "no answer" : String.valueOf(s.status()), Collectors.counting()));
            Map<String, Long> regions = samples.stream().filter(s -> !s.region().isEmpty())
                    .collect(Collectors.groupingBy(Sample::region, Collectors.counting()));
            int failed = (int) samples.stream().filter(s -> !s.ok()).count();
            int unavailable = (int) samples.stream().filter(s -> s.status() == 0 || s.status() >= 500).count();
            return new Window(samples.size(), failed, unavailable, percentile(millis, 0.50), percentile(millis, 0.95),
                    percentile(millis, 0.99), failures, regions);
        }

        /** The nearest-rank percentile {@code p} (0 to 1) of ascending values: the smallest that many are at most. */
        public static double percentile(List<Double> sorted, double p) {
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.max(0, Math.min(sorted.size() - 1,
                    Math.ceil(p * sorted.size()) - 1)));
        }
    }

    public static LoadReport of(List<Sample> samples, Instant start, Instant end, String target) {
        Periods all = Periods.of(samples, start, end);
        Map<Sample.Kind, Periods> kinds = samples.stream().collect(Collectors.groupingBy(Sample::kind,
                Collectors.collectingAndThen(Collectors.toList(), of -> Periods.of(of, start, end))));
        Optional<Duration> firstWrite = samples.stream()
                .filter(s -> s.write() && s.ok() && s.region().equals(target) && !s.at().isBefore(start))
                .map(Sample::end).min(Instant::compareTo).map(t -> Duration.between(start, t));
        Optional<Instant> lastElsewhere = samples.stream()
                .filter(s -> !s.region().isEmpty() && !s.region().equals(target) && !s.at().isBefore(start))
                .map(Sample::end).max(Instant::compareTo);
        boolean targetServes = samples.stream().filter(s -> !s.region().isEmpty()).max(
                Comparator.comparing(Sample::at)).filter(s -> s.region().equals(target)).isPresent();
        Optional<Duration> allTraffic = !targetServes ? Optional.empty()
                : Optional.of(Duration.between(start, lastElsewhere.orElse(start)));
        return new LoadReport(all.before(), all.during(), all.after(), firstWrite, allTraffic, kinds,
                unrecovered(samples, start, end).size());
    }

    /**
     * The attempts begun from {@code start} to {@code end} that failed as a user would notice: all but
     * the 503s with Retry-After whose logical request a later attempt completed. A planned failover
     * leaves none.
     */
    public static List<Sample> unrecovered(List<Sample> samples, Instant start, Instant end) {
        Map<String, Instant> lastSuccess = samples.stream().filter(s -> s.ok() && !s.request().isEmpty())
                .collect(Collectors.toMap(Sample::request, Sample::at, (a, b) -> a.isAfter(b) ? a : b));
        return samples.stream().filter(s -> !s.ok() && !s.at().isBefore(start) && s.at().isBefore(end))
                .filter(s -> !(s.status() == 503 && s.retryAfter() && !s.request().isEmpty()
                        && lastSuccess.getOrDefault(s.request(), Instant.MIN).isAfter(s.at())))
                .toList();
    }
}
