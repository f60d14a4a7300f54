package dev.gafail.cli;

import dev.gafail.lab.load.ClientLoad;
import dev.gafail.lab.load.LoadReport;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client load saw of a failover: RTO, failures, lost writes, latency by period, and each kind of
 * client's requests, failures and answering regions; as text for people, or as one JSON object
 * (durations in seconds) for programs.
 */
final class LoadReportText {

    private LoadReportText() {
    }

    static void print(PrintWriter out, LoadReport report, ClientLoad.ReadBack readBack, String target,
                              Duration took) {
        out.printf("%nwhat the clients saw (from the start to the failover's end: %s)%n", Durations.human(took));
        out.printf("  RTO, first write acknowledged by %-9s %s%n", target, report.firstWrite().map(Durations::human)
                .orElse("never"));
        out.printf("  RTO, all traffic in %-22s %s%n", target, report.allTraffic().map(d -> d.isZero()
                ? "at once (no other region answered)" : Durations.human(d)).orElse("not reached"));
        out.printf("  requests failed during the switch      %d of %d%s%n", report.during().failed(),
                report.during().requests(), report.during().failures().isEmpty() ? "" : " (" + String.join(", ",
                        report.during().failures().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                                .toList()) + "; writes were retried until acknowledged, and reads answered 503 with"
                        + " Retry-After were retried)");
        out.printf("  of them noticed by users               %d (all but 503s with Retry-After retried to a success)%n",
                report.noticed());
        out.printf("  acknowledged writes lost               %d of %d (each read back through the edge)%s%n",
                readBack.lost().size(), readBack.checked(), readBack.unreadable().isEmpty() ? ""
                        : "; " + readBack.unreadable().size() + " could not be read back");
        readBack.lost().forEach(w -> out.printf("    lost: note %s, acknowledged by %s at %s%n", w.id(), w.region(),
                w.at()));
        out.printf("%n  %-8s %9s %7s %10s %10s%n", "", "requests", "failed", "p50", "p99");
        row(out, "before", report.before());
        row(out, "during", report.during());
        row(out, "after", report.after());
        out.printf("%n  %-12s %9s %7s  %-32s %s%n", "clients", "requests", "failed", "answered during the switch",
                "after");
        report.kinds().forEach((kind, p) -> out.printf("  %-12s %9d %7d  %-32s %s%n", kind.label(),
                p.before().requests() + p.during().requests() + p.after().requests(), p.during().failed(),
                regions(p.during()), regions(p.after())));
    }

    private static String regions(LoadReport.Window w) {
        return w.regions().isEmpty() ? "-" : String.join(", ", w.regions().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    static Map<String, Object> json(LoadReport report, ClientLoad.ReadBack readBack, String target, Duration took) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "demo-report");
        out.put("target", target);
        out.put("failoverSeconds", seconds(took));
        out.put("rtoFirstWriteSeconds", report.firstWrite().map(LoadReportText::seconds).orElse(null));
        out.put("rtoAllTrafficSeconds", report.allTraffic().map(LoadReportText::seconds).orElse(null));
        out.put("before", report.before());
        out.put("during", report.during());
        out.put("after", report.after());
        out.put("noticed", report.noticed());
        Map<String, Object> kinds = new LinkedHashMap<>();
        report.kinds().forEach((kind, periods) -> kinds.put(kind.label(), periods));
        out.put("kinds", kinds);
        out.put("writesChecked", readBack.checked());
        out.put("writesLost", readBack.lost());
        out.put("writesUnreadable", readBack.unreadable());
        return out;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static void row(PrintWriter out, String name, LoadReport.Window w) {
        out.printf("  %-8s %9d %7d %7.1f ms %7.1f ms%n", name, w.requests(), w.failed(), w.p50(), w.p99());
    }
}
