package dev.gafail.cli;

import dev.gafail.engine.Event;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExecutionSummary;
import dev.gafail.engine.Json;
import dev.gafail.yaml.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "show", description = {
        "Show one execution's timeline.",
        "Each step with its times and outcome, and RTO/RPO where recorded: for the incident",
        "channel and the postmortem; --output markdown pastes into one, json prints one document;",
        "--follow watches a running one."})
final class ShowCommand implements Callable<Integer>, Tables {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", paramLabel = "ID", description = "Execution id (or a unique prefix).")
    String id;

    @Option(names = {"-f", "--follow"}, description = {"Follow a running execution live, from any machine that shares"
            + " its state: its holder, each step, the change it applies; until it ends, then exit with its exit code.",
            "--output json: one event per line."})
    boolean follow;

    @Override
    public Integer call() {
        ExecutionStore store = gafail.session().store();
        String execution = store.resolve(id);
        if (follow) {
            return new Following(gafail, store, execution, Following.POLL).follow();
        }
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
                String line = Timeline.line(e, begun);
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
                String line = Timeline.line(e, begun);
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
}
