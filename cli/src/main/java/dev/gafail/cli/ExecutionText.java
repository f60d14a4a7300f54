package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExecutionSummary;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One execution as {@code gafail show} prints it and its report keeps it: the summary, the timeline, the
 * RTO/RPO objectives and the verdict, in text or markdown; or as one JSON document, events included.
 */
final class ExecutionText {

    /** An event's time of day in UTC, to the millisecond, as the timeline shows it (12:03:15.042). */
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private ExecutionText() {
    }

    static String clock(Instant time) {
        return CLOCK.format(time);
    }

    static Map<String, Object> json(ExecutionStore.Stored stored) {
        List<Event> events = stored.events();
        ExecutionSummary summary = stored.summary();
        Map<String, Object> whole = new LinkedHashMap<>();
        whole.put("summary", summary);
        whole.put("objectives", Objectives.of(events, summary.startedAt()).json());
        VerdictText.of(events, summary.status()).ifPresent(v -> whole.put("verdict", v.outputs()));
        whole.put("events", events);
        return whole;
    }

    static void print(ExecutionStore.Stored stored, PrintWriter out, boolean markdown) {
        List<Event> events = stored.events();
        ExecutionSummary summary = stored.summary();
        if (events.isEmpty()) {
            out.println("execution " + summary.id() + " " + summary.message());
            out.flush();
            return;
        }
        String gap = markdown ? "\n" : "";
        out.printf("%sexecution %s · runbook %s · %s · %s%s%n", markdown ? "**" : "", summary.id(), summary.runbook(),
                summary.status().wire(), Durations.human(Duration.ofMillis(summary.durationMs())), markdown ? "**" : "");
        out.printf("%sstarted %s by %s@%s%s%n", gap, summary.startedAt(), summary.user(), summary.host(),
                summary.reason() == null ? "" : " · reason: " + summary.reason());
        if (summary.tornNote() != null) {
            out.println(gap + summary.tornNote());
        }
        Instant start = summary.startedAt();
        Map<String, Instant> begun = new LinkedHashMap<>();
        if (markdown) {
            Table timeline = new Table(List.of("time", "elapsed", "what"));
            for (Event e : events) {
                String line = Timeline.line(e, begun);
                if (line != null) {
                    timeline = timeline.with(List.of(clock(e.time()),
                            "+" + Durations.human(Duration.between(start, e.time())), line));
                }
            }
            out.println();
            timeline.print(out, true);
            out.println();
        } else {
            for (Event e : events) {
                String line = Timeline.line(e, begun);
                if (line != null) {
                    out.printf("%s  %8s  %s%n", clock(e.time()),
                            "+" + Durations.human(Duration.between(start, e.time())), line);
                }
            }
        }
        Objectives.of(events, start).lines().forEach(out::println);
        VerdictText.of(events, summary.status()).ifPresent(v -> v.print(out, markdown));
        if (summary.message() != null) {
            out.println(gap + summary.message());
        }
        out.flush();
    }
}
