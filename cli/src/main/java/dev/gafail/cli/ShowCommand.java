package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExecutionSummary;
import dev.gafail.engine.Json;
import dev.gafail.engine.Phase;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "show", description = {
        "Show one execution's timeline.",
        "Each step with its times and outcome, and RTO/RPO where recorded: for the incident",
        "channel and the postmortem; --output markdown pastes into one, json prints one document."})
final class ShowCommand implements Callable<Integer>, Tables {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", paramLabel = "ID", description = "Execution id (or a unique prefix).")
    String id;

    @Override
    public Integer call() {
        ExecutionStore store = gafail.session().store();
        String execution = store.resolve(id);
        ExecutionStore.Stored stored = store.load(execution, gafail.context().clock());
        List<Event> events = stored.events();
        ExecutionSummary summary = stored.summary();
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            Map<String, Object> whole = new LinkedHashMap<>();
            whole.put("summary", summary);
            whole.put("objectives", Objectives.of(events, summary.startedAt()).json());
            whole.put("events", events);
            out.println(Json.MAPPER.writeValueAsString(whole));
            out.flush();
            return 0;
        }
        if (events.isEmpty()) {
            out.println("execution " + summary.id() + " " + summary.message());
            out.flush();
            return 0;
        }
        boolean markdown = gafail.global().output == OutputFormat.MARKDOWN;
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
                String line = line(e, begun);
                if (line != null) {
                    timeline = timeline.with(List.of(e.time().toString().substring(11, 23),
                            "+" + Durations.human(Duration.between(start, e.time())), line));
                }
            }
            out.println();
            timeline.print(out, true);
            out.println();
        } else {
            for (Event e : events) {
                String line = line(e, begun);
                if (line != null) {
                    out.printf("%s  %8s  %s%n", e.time().toString().substring(11, 23),
                            "+" + Durations.human(Duration.between(start, e.time())), line);
                }
            }
        }
        Objectives.of(events, start).lines().forEach(out::println);
        if (summary.message() != null) {
            out.println(gap + summary.message());
        }
        out.flush();
        return 0;
    }

    private static String line(Event e, Map<String, Instant> begun) {
        String who = e.step() == null ? "" : (e.phase() == null || e.phase() == Phase.STEP ? "" : e.phase().wire()
                + " ") + e.step() + " ";
        String key = e.phase() + "/" + e.step();
        return switch (e.type()) {
            case EXECUTION_STARTED -> "started by " + e.text("user") + "@" + e.text("host") + " pid " + e.text("pid");
            case EXECUTION_RESUMED -> "resumed by " + e.text("user") + "@" + e.text("host") + " pid " + e.text("pid");
            case APPROVAL_GRANTED, APPROVAL_DECLINED, NOTICE, EXECUTION_INTERRUPTED, EXECUTION_FINISHED,
                 ROLLBACK_STARTED -> e.type().wire() + ": " + e.message();
            case STEP_STARTED -> {
                begun.put(key, e.time());
                yield who + "started";
            }
            case STEP_RETRYING -> who + "attempt " + e.attempt() + " failed: " + e.message();
            case STEP_SUCCEEDED, STEP_SKIPPED, STEP_FAILED, STEP_DEFERRED -> who + outcome(e) + took(begun.get(key), e.time())
                    + (e.message() == null ? "" : ": " + e.message());
            case ROLLBACK_SUCCEEDED, ROLLBACK_FAILED -> who + e.type().wire() + ": " + e.message();
            case PLANNED, STEP_APPLYING, STEP_APPLIED, ROLLBACK_APPLYING, ROLLBACK_APPLIED, PROGRESS -> null;
        };
    }

    /** "succeeded", "failed", "skipped"; a check that found its condition true "passed". */
    private static String outcome(Event e) {
        boolean check = e.phase() == Phase.PRECONDITION || e.phase() == Phase.VERIFY;
        return check && e.type() == EventType.STEP_SKIPPED ? "passed" : e.type().wire().substring("step-".length());
    }

    private static String took(Instant from, Instant to) {
        return from == null ? "" : " in " + Durations.human(Duration.between(from, to));
    }
}
