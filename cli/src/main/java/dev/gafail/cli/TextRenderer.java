package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventListener;
import dev.gafail.engine.Phase;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * An execution as a person follows it: each step as it starts and ends, with elapsed time,
 * and (on a terminal) one live line while a step waits, redrawn with an escape code where colours
 * are allowed, else overwritten with spaces, so that NO_COLOR and --no-color get no escape code at all.
 */
final class TextRenderer implements EventListener {

    private final PrintWriter out;
    private final Style style;
    private final boolean live;
    private final boolean verbose;
    private final Map<String, Instant> started = new HashMap<>();
    private int liveWidth;

    TextRenderer(PrintWriter out, Style style, boolean live, boolean verbose) {
        this.out = out;
        this.style = style;
        this.live = live;
        this.verbose = verbose;
    }

    @Override
    public synchronized void on(Event e) {
        if (e.type() == dev.gafail.engine.EventType.PROGRESS) {
            if (live) {
                String text = "  … " + label(e) + ": " + e.message();
                out.print(erase() + style.dim(text));
                out.flush();
                liveWidth = text.length();
            }
            return;
        }
        if (liveWidth > 0) {
            out.print(erase());
            liveWidth = 0;
        }
        String line = switch (e.type()) {
            case EXECUTION_STARTED -> style.bold("▶ " + e.text("runbook")) + style.dim("  execution " + e.execution())
                    + params(e);
            case EXECUTION_RESUMED -> style.bold("▶ resuming " + e.text("runbook"))
                    + style.dim("  execution " + e.execution() + " (" + e.text("previousStatus") + ")");
            case PLANNED -> "  plan  " + label(e) + "  " + (e.message() != null ? style.dim(e.message())
                    : change(e));
            case APPROVAL_REQUESTED -> style.yellow("⏸ ") + e.message();
            case APPROVAL_GRANTED -> style.green("✔ ") + e.message();
            case APPROVAL_DECLINED -> style.red("✗ not approved: ") + e.message();
            case STEP_STARTED -> {
                started.put(key(e), e.time());
                yield "→ " + label(e) + (e.message() != null ? style.dim("  " + e.message()) : "");
            }
            case STEP_APPLYING -> verbose ? style.dim("    " + change(e)) : null;
            case STEP_RETRYING -> style.yellow("  ↻ ") + label(e) + ": attempt " + e.attempt() + " failed: "
                    + e.message() + "; retrying in " + e.text("delay");
            case STEP_SUCCEEDED -> style.green("✓ ") + label(e) + style.dim("  " + elapsed(e));
            case STEP_SKIPPED -> style.green("✓ ") + label(e) + style.dim("  " + e.message() + "  " + elapsed(e));
            case STEP_FAILED -> style.red("✗ ") + label(e) + "  " + e.message() + style.dim("  " + elapsed(e));
            case STEP_DEFERRED -> style.yellow("⏸ ") + label(e) + "  deferred: " + e.message()
                    + style.dim("  " + elapsed(e));
            case ROLLBACK_STARTED -> style.yellow("↩ rolling back: ") + e.message();
            case ROLLBACK_APPLYING -> verbose && e.message() != null ? style.dim("    " + e.message()) : null;
            case ROLLBACK_SUCCEEDED -> style.yellow("↩ ") + e.step() + " compensated";
            case ROLLBACK_FAILED -> style.red("✗ ") + "compensating " + e.step() + " failed: " + e.message();
            case NOTICE -> notice(e);
            case STEP_APPLIED, ROLLBACK_APPLIED, EXECUTION_INTERRUPTED, EXECUTION_FINISHED, PROGRESS -> null;
        };
        if (line != null) {
            out.println(line);
            out.flush();
        }
    }

    /** A notice; one that stands for a child runbook's start, rollback or end reads as the parent's would. */
    private String notice(Event e) {
        return switch (String.valueOf(e.get("child"))) {
            case "execution-started" -> style.bold("▶ ") + e.message();
            case "rollback-started" -> style.yellow("↩ " + e.step() + " rolling back: ") + e.message();
            case "execution-finished" -> ("succeeded".equals(e.text("status")) ? style.green("✓ ")
                    : style.yellow("! ")) + e.message();
            default -> style.yellow("! ") + e.message();
        };
    }

    /** Back to the start of the live line, cleared. */
    private String erase() {
        return style.color() ? "\r\u001b[K" : "\r" + " ".repeat(liveWidth) + "\r";
    }

    private static String key(Event e) {
        return e.phase() + "/" + e.step();
    }

    private static String label(Event e) {
        String phase = e.phase() == null || e.phase() == Phase.STEP ? "" : e.phase().wire() + " ";
        return phase + e.step() + (e.action() == null ? "" : " (" + e.action() + ")");
    }

    private String elapsed(Event e) {
        Instant from = started.get(key(e));
        return from == null ? "" : Durations.human(Duration.between(from, e.time()));
    }

    private static String change(Event e) {
        Object change = e.get("change");
        if (change instanceof Map<?, ?> c) {
            return c.get("current") + " → " + c.get("desired");
        }
        return "";
    }

    private String params(Event e) {
        Object params = e.get("params");
        if (params instanceof Map<?, ?> map && !map.isEmpty()) {
            StringBuilder text = new StringBuilder();
            map.forEach((k, v) -> text.append(text.length() == 0 ? "" : " ").append(k).append('=').append(v));
            return style.dim("  " + text);
        }
        return "";
    }
}
