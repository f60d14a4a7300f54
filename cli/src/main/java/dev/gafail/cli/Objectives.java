package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Phase;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RTO and RPO as an execution's journal has them, from what the steps write: the replication lag
 * that {@code aurora.switchover} or {@code aurora.failover} measured when it moved the writer
 * ({@code rpoLag}, {@code rpoLagMs}), and when the writer, then all traffic ({@code traffic.shift},
 * whose {@code seconds} the shift took), were in the new region, counted from the execution's start.
 */
record Objectives(Event writer, Event shift, Instant start) {

    private static final List<String> WRITER_CHANGES = List.of("aurora.switchover", "aurora.failover");

    /** The last writer change and traffic shift that succeeded as steps of {@code events} and were not undone. */
    static Objectives of(List<Event> events, Instant start) {
        Event writer = null;
        Event shift = null;
        Set<String> undone = new HashSet<>();
        for (Event e : events) {
            if (e.type() == EventType.ROLLBACK_APPLIED || e.type() == EventType.ROLLBACK_SUCCEEDED) {
                undone.add(e.step());
            }
            // A child runbook's writer change or shift (a drill's failover, then its failback) is not the
            // execution's own recovery: a drill's verdict measures that.
            if (e.type() != EventType.STEP_SUCCEEDED || e.phase() != Phase.STEP || e.step().contains("/")
                    || !(e.get("outputs") instanceof Map<?, ?> out)) {
                continue;
            }
            if (WRITER_CHANGES.contains(e.action()) && out.get("from") != null) {
                writer = e;
            } else if ("traffic.shift".equals(e.action()) && out.get("seconds") != null) {
                shift = e;
            }
        }
        return new Objectives(writer == null || undone.contains(writer.step()) ? null : writer,
                shift == null || undone.contains(shift.step()) ? null : shift, start);
    }

    /**
     * For {@code show --output json}: {@code rpoMs} (0 for a switchover; for a failover the lag, when
     * known), {@code rpoLag} and {@code rpoLagMs} as recorded, {@code writerAfterMs},
     * {@code trafficAfterMs}, {@code shiftSeconds}.
     */
    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (writer != null) {
            Number lag = number(writer, "rpoLagMs");
            if (planned()) {
                out.put("rpoMs", 0);
            } else if (lag != null) {
                out.put("rpoMs", lag.longValue());
            }
            out.put("rpoLag", output(writer, "rpoLag"));
            if (lag != null) {
                out.put("rpoLagMs", lag.longValue());
            }
            out.put("writerAfterMs", after(writer).toMillis());
        }
        if (shift != null) {
            out.put("trafficAfterMs", after(shift).toMillis());
            Number seconds = number(shift, "seconds");
            if (seconds != null) {
                out.put("shiftSeconds", seconds.longValue());
            }
        }
        return out;
    }

    /** For {@code show}'s text: an RPO line and an RTO line, each when a step recorded it. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        if (writer != null) {
            String moved = writer.step() + " (" + writer.action() + ") moved the writer " + output(writer, "from")
                    + " -> " + output(writer, "to");
            Object lag = output(writer, "rpoLag");
            out.add(planned() ? "RPO: 0, a planned switchover loses no acknowledged write (replication lag " + lag
                    + " when " + moved + ")"
                    : number(writer, "rpoLagMs") == null ? "RPO: unknown, no replication lag was recorded when " + moved
                    : "RPO: up to " + lag + " of writes (the replication lag when " + moved + ")");
        }
        List<String> rto = new ArrayList<>();
        if (writer != null) {
            rto.add("writer in " + output(writer, "to") + " at +" + Durations.human(after(writer)));
        }
        if (shift != null) {
            rto.add("all traffic in " + output(shift, "to") + " at +" + Durations.human(after(shift)) + " ("
                    + shift.step() + " took " + output(shift, "seconds") + "s)");
        }
        if (!rto.isEmpty()) {
            out.add("RTO: " + String.join(", ", rto));
        }
        return out;
    }

    private boolean planned() {
        return "aurora.switchover".equals(writer.action());
    }

    private Duration after(Event e) {
        return Duration.between(start, e.time());
    }

    private static Object output(Event e, String name) {
        return ((Map<?, ?>) e.get("outputs")).get(name);
    }

    /** A numeric output, or null when absent or masked (a secret's value shows as text). */
    private static Number number(Event e, String name) {
        return output(e, name) instanceof Number n ? n : null;
    }
}
