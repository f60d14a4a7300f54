package dev.gafail.actions;

import dev.gafail.lab.load.LoadReport;
import dev.gafail.lab.load.Sample;
import java.util.List;
import java.util.Map;

/**
 * What users saw in a set of requests of a synthetic load, as load.check and load.stop output them.
 *
 * @param availability the share of requests answered without a server error or a failed connection, in
 *                     percent (100 without requests: nothing was unavailable)
 * @param errorRate    the share of requests that failed in any way, in percent
 * @param p50          latency percentiles of the requests that got an answer, in milliseconds
 * @param regions      the answered requests by the region that answered (their {@code X-Region} header)
 */
public record LoadFigures(int requests, int failed, double availability, double errorRate, double p50, double p95,
                          double p99, Map<String, Long> regions) {

    public LoadFigures {
        regions = Map.copyOf(regions);
    }

    static LoadFigures of(List<Sample> samples) {
        LoadReport.Window w = LoadReport.Window.of(samples);
        int n = w.requests();
        return new LoadFigures(n, w.failed(), n == 0 ? 100 : hundredths(100.0 * (n - w.unavailable()) / n),
                n == 0 ? 0 : hundredths(100.0 * w.failed() / n), tenths(w.p50()), tenths(w.p95()), tenths(w.p99()),
                w.regions());
    }

    private static double hundredths(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
