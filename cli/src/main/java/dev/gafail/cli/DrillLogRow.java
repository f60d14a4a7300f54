package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.ExecutionStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One drill in the drill log, as its journal tells it: when its execution started (UTC), the scenario, who
 * started it (user@host, and the AWS identity when the journal has one), RTO and RPO as measured against
 * their targets, the verdict (pass, or fail naming the targets missed), the command that writes its report,
 * which names the execution, and a learnings cell for the team to fill in after the drill's review.
 */
record DrillLogRow(String execution, Instant started, String scenario, String who, String rto, String rpo,
                   String verdict) {

    static final List<String> COLUMNS = List.of("date (UTC)", "scenario", "who", "RTO (target)", "RPO (target)",
            "verdict", "report", "learnings");
    /** The learnings cell until the team fills it in. */
    static final String NO_LEARNINGS = "—";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    /**
     * The row of the execution whose journal is {@code events} (its start first) and which ended with
     * {@code status}, if it ended on a verdict.
     */
    static Optional<DrillLogRow> of(List<Event> events, ExecutionStatus status) {
        Event started = events.get(0);
        return VerdictText.of(events, status).map(v -> new DrillLogRow(started.execution(), started.time(),
                started.get("params") instanceof Map<?, ?> params && params.get("scenario") != null
                        ? String.valueOf(params.get("scenario")) : "—",
                who(started), measured(v, "RTO"), measured(v, "RPO"), verdict(v, status)));
    }

    /** The row as a line of the log's Markdown table. */
    String markdown() {
        List<String> cells = new ArrayList<>(Stream.of(DATE.format(started), scenario, who, rto, rpo, verdict)
                .map(DrillLogRow::cell).toList());
        cells.add(report());
        cells.add(NO_LEARNINGS);
        return line(cells);
    }

    /** The cell that names the execution: how the log knows it has this drill's row already. */
    String report() {
        return "`gafail report " + execution + "`";
    }

    /** The table's header: its two lines, each ending in {@code eol}. */
    static String header(String eol) {
        return line(COLUMNS) + eol + "|" + "---|".repeat(COLUMNS.size()) + eol;
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |";
    }

    /** Text as one table cell: a bar would end the cell, a line break the row. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** The user and host the journal names, and the AWS identity the execution acted as, when it knew it. */
    private static String who(Event started) {
        String who = started.text("user") + "@" + started.text("host");
        return started.get("identity") instanceof Map<?, ?> identity && identity.get("arn") != null
                ? who + " (" + identity.get("arn") + ")" : who;
    }

    /** The target {@code name} as measured, with its bound: {@code 37.3s (≤ 2m)}. */
    private static String measured(VerdictText verdict, String name) {
        return verdict.target(name).map(t -> t.measured() + (t.bound().isEmpty() ? "" : " (" + t.bound() + ")"))
                .orElse("not measured");
    }

    /**
     * Pass, or fail with the names of the targets missed. Told by how the execution ended: a verdict that
     * could not be reached failed too, though the last verdict reached (the steady state's) passed.
     */
    private static String verdict(VerdictText verdict, ExecutionStatus status) {
        if (status == ExecutionStatus.SUCCEEDED) {
            return "pass";
        }
        List<String> missed = verdict.targets().stream().filter(t -> !t.held()).map(VerdictText.Target::name).toList();
        return missed.isEmpty() ? "fail: the verdict could not be reached" : "fail: " + String.join(", ", missed);
    }
}
