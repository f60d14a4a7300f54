package dev.gafail.engine;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One message about an execution, whatever the sink: what happened, to what, by whom and why, and the
 * command that comes next. Sinks render it: {@link #subject()} and {@link #text()} for people,
 * {@link #document()} for programs, whose field names docs/TOPOLOGY.md lists and which stay stable.
 *
 * @param step   the step it is about, or null
 * @param status the execution's status, for the kinds that end it; else null
 * @param next   the command to run next ({@code gafail resume ID}), or null
 * @param title  a notify step's own subject, or null
 */
public record Notification(Kind kind, Instant time, About about, String execution, String step, String status,
                           String message, String next, String title, boolean dryRun) {

    /** SNS refuses a longer subject; the others show the first line anyway. */
    public static final int SUBJECT_LIMIT = 100;

    /**
     * What every message of an execution says about it.
     *
     * @param topology the topology's name, or null without one
     * @param identity the AWS identity (ARN) the operator acts as, when known; else null
     * @param reason   the operator's {@code --reason}, or null
     */
    public record About(String topology, String runbook, String user, String host, String identity, String reason) {
    }

    /** What happened; the topology's {@code events} name them by {@link #wire()}. */
    public enum Kind {
        STARTED("started"), RESUMED("resumed"), APPROVAL("awaits approval"), STEP_FAILED("step failed"),
        ROLLBACK("rolling back"), SUCCEEDED("succeeded"), DEFERRED("succeeded with deferred steps"),
        FAILED("failed"), ROLLED_BACK("rolled back"), ABORTED("aborted"), INTERRUPTED("interrupted"),
        /** A drill's verdict failed: a target was missed. */
        VERDICT_FAILED("verdict failed"),
        /** A notify step's message. */
        MESSAGE("says"),
        DRY_RUN("dry run");

        /** The ends of an execution, which {@code finished} names at once. */
        public static final Set<Kind> FINISHED = EnumSet.of(SUCCEEDED, DEFERRED, FAILED, ROLLED_BACK, ABORTED,
                INTERRUPTED, VERDICT_FAILED);

        private final String phrase;

        Kind(String phrase) {
            this.phrase = phrase;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The kinds one name of the topology's {@code events} stands for: {@code finished} for every end. */
        public static Set<Kind> named(String name) {
            if (name.equals("finished")) {
                return FINISHED;
            }
            return Arrays.stream(values()).filter(k -> k.wire().equals(name)).findFirst().map(EnumSet::of)
                    .orElseThrow(() -> new IllegalArgumentException("no notification kind " + name));
        }
    }

    /** This notification with {@code redactor}'s secrets masked in the texts that did not come from events. */
    Notification masked(Redactor redactor) {
        About who = new About(about.topology(), about.runbook(), about.user(), about.host(), about.identity(),
                redactor.text(about.reason()));
        return new Notification(kind, time, who, execution, step, status, redactor.text(message), next,
                redactor.text(title), dryRun);
    }

    /** "gafail: orders-api failover rolled back (execution ID)": what happened in one line. */
    public String headline() {
        String what = (about.topology() == null ? "" : about.topology() + " ") + about.runbook();
        if (kind == Kind.MESSAGE) {
            return "gafail: " + what + " " + kind.phrase + ": " + message.lines().findFirst().orElse("");
        }
        return "gafail: " + what + " " + kind.phrase + (dryRun ? "" : " (execution " + execution + ")");
    }

    /** The subject of an e-mail or SNS message: one line of printable ASCII, at most {@link #SUBJECT_LIMIT} characters. */
    public String subject() {
        String line = (title != null ? title : headline()).replaceAll("[^\\x20-\\x7e]", "?");
        return line.length() <= SUBJECT_LIMIT ? line : line.substring(0, SUBJECT_LIMIT - 3) + "...";
    }

    /** The message for people: the headline, what happened, who and why, and what to run next. */
    public String text() {
        StringBuilder out = new StringBuilder(title != null ? title : headline()).append('\n');
        out.append(message).append('\n');
        out.append("operator: ").append(about.user()).append('@').append(about.host())
                .append(about.identity() == null ? "" : " as " + about.identity()).append('\n');
        if (about.reason() != null) {
            out.append("reason: ").append(about.reason()).append('\n');
        }
        if (next != null) {
            out.append("next: ").append(next).append('\n');
        }
        return out.toString();
    }

    /** gafail's JSON document: every field always present (null when not known), so that programs read it plainly. */
    public Map<String, Object> document() {
        Map<String, Object> operator = new LinkedHashMap<>();
        operator.put("user", about.user());
        operator.put("host", about.host());
        operator.put("identity", about.identity());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", "gafail");
        out.put("version", 1);
        out.put("event", kind.wire());
        out.put("time", time.toString());
        out.put("topology", about.topology());
        out.put("runbook", about.runbook());
        out.put("execution", execution);
        out.put("dryRun", dryRun);
        out.put("step", step);
        out.put("status", status);
        out.put("message", message);
        out.put("operator", operator);
        out.put("reason", about.reason());
        out.put("next", next);
        out.put("subject", subject());
        out.put("text", text());
        return out;
    }
}
