package dev.gafail.actions;

import dev.gafail.engine.Change;
import dev.gafail.engine.Json;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.StepSpan;
import dev.gafail.lab.load.ClientLoad;
import dev.gafail.lab.load.Sample;
import dev.gafail.yaml.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code load.stop {load}}: stops a load's users, reads every write they had acknowledged back through
 * the same endpoint (one that answers 404 is lost: the RPO, counted in writes), and outputs what users
 * saw: in all, and while each of the runbook's main steps ran (its start and end as journalled). Given
 * {@code lossAt}, when the data was lost (a drill's fault began), the RPO is also a time: how long before
 * then the oldest lost write was acknowledged.
 */
public final class LoadStop extends TargetedAction<LoadStop.Params, LoadStop.Outputs> {

    /** How long the read-back asks again a write that gets no answer, at most (less if the step's time ends first). */
    private static final Duration READ_BACK_PATIENCE = Duration.ofSeconds(30);

    /** @param lossAt when the writes that are lost were lost, for the RPO as a time */
    public record Params(String load, Instant lossAt) {

        String name() {
            return load == null ? UserLoad.DEFAULT_NAME : load;
        }
    }

    /** What users saw while one step ran. */
    public record StepLoad(String step, String action, LoadFigures load) {
    }

    /** What users saw in one interval of the load, from {@code at}: a point of a report's timeline. */
    public record Interval(Instant at, LoadFigures load) {
    }

    /** A timeline of at most this many intervals, of whole seconds: one a second for a load of up to 10 minutes. */
    private static final int INTERVALS = 600;

    /**
     * @param total      every request of the load in this process
     * @param writes     acknowledged writes, each read back
     * @param lost       of them, those the API no longer has (404)
     * @param unreadable of them, those that got no answer but errors while the read-back lasted: cannot tell
     * @param lostWrites the ids of the lost writes
     * @param rpoMs      how long before {@code lossAt} the oldest lost write was acknowledged: 0 when none was
     *                   lost, at least 1 when one was (a write acknowledged after the loss began is lost too);
     *                   absent without {@code lossAt}
     * @param steps      for each main step that ran while the load ran, in the order they started
     * @param timeline   what users saw interval by interval, from the load's start (empty intervals left out)
     * @param samples    the file beside the journal that holds every request of the load, a JSON line each
     *                   ({@link #SAMPLES}, for the report); null when it could not be kept
     */
    public record Outputs(LoadFigures total, int writes, int lost, int unreadable, List<String> lostWrites,
                          Long rpoMs, List<StepLoad> steps, List<Interval> timeline, long seconds, String samples) {
    }

    /**
     * The name of the raw samples beside the journal, after the step that stopped the load (a child runbook's
     * with its prefix), so that two loads stopped in one execution keep two files: {@code users-end.samples.jsonl}.
     */
    static final String SAMPLES = "%s.samples.jsonl";

    public LoadStop(Supplier<Target> target) {
        super("load.stop", Params.class, Outputs.class, false, List.of(), """
                {"type": "object", "additionalProperties": false,
                 "properties": {
                   "load": {"type": "string", "minLength": 1, "description": "the load.start's name (default: load)"},
                   "lossAt": {"type": "string", "minLength": 1,
                              "description": "when the lost writes were lost (an ISO-8601 time, e.g. a fault's start): the RPO as a time"}}}""",
                target);
    }

    @Override
    public Change plan(Params params, StepContext context) {
        String load = "load '" + params.name() + "'";
        return Change.to(UserLoad.find(context, params.name()).map(l -> load + " runs against " + l.endpoint())
                .orElse(load + " (started by an earlier step)"), load + " stopped, its acknowledged writes read back");
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException {
        UserLoad load = UserLoad.require(context, params.name());
        Instant end = context.clock().instant();
        UserLoad.release(context, params.name());
        load.close();
        ClientLoad.ReadBack readBack = load.clients().readBack(patience(context));
        List<Sample> samples = load.clients().samples();
        List<StepLoad> steps = new ArrayList<>();
        for (StepSpan span : context.steps()) {
            Instant until = span.end().orElse(end);
            List<Sample> during = samples.stream().filter(s -> !s.at().isBefore(span.start()) && s.at().isBefore(until))
                    .toList();
            // A step that began and ended between two requests (load.start itself) saw nothing to report.
            if (!during.isEmpty() && !span.step().equals(context.stepId())) {
                steps.add(new StepLoad(span.step(), span.action(), LoadFigures.of(during)));
            }
        }
        Outputs outputs = new Outputs(LoadFigures.of(samples), readBack.checked(), readBack.lost().size(),
                readBack.unreadable().size(), readBack.lost().stream().map(ClientLoad.Write::id).toList(),
                rpoMillis(params.lossAt(), readBack.lost()), steps, timeline(load.started(), end, samples),
                Duration.between(load.started(), end).toSeconds(), keep(context, params.name(), samples));
        context.notice("load '" + params.name() + "' stopped after " + Durations.human(Duration.between(load.started(),
                end)) + ": " + outputs.total().requests() + " requests, " + outputs.total().failed() + " failed; "
                + readBack.checked() + " acknowledged writes read back, " + readBack.lost().size() + " lost"
                + (readBack.unreadable().isEmpty() ? "" : ", " + readBack.unreadable().size() + " unreadable"));
        return outputs;
    }

    /**
     * Keeps every request of the load beside the journal, a JSON line each (when it began, its latency, a
     * read or a write, the status, 0 when no answer came, and the region that answered); the file's name, or
     * null when it could not be kept: the drill's figures stand without it, and the step says so.
     */
    private static String keep(StepContext context, String load, List<Sample> samples) {
        StringBuilder lines = new StringBuilder();
        for (Sample s : samples) {
            lines.append(Json.MAPPER.writeValueAsString(new RawSample(s.at(), s.latency().toMillis(), s.write(),
                    s.status(), s.region()))).append('\n');
        }
        String name = SAMPLES.formatted(context.stepId().replace('/', '.'));
        try {
            context.keep(name, lines.toString().getBytes(StandardCharsets.UTF_8));
            return name;
        } catch (RuntimeException e) {
            context.notice("load '" + load + "': its raw samples could not be kept beside the journal ("
                    + e.getMessage() + "); the report has its figures without them");
            return null;
        }
    }

    /** One request of a load as its raw samples file holds it. */
    record RawSample(Instant at, long latencyMs, boolean write, int status, String region) {
    }

    /** The samples by interval of whole seconds from {@code start}, as many as {@link #INTERVALS} at most. */
    static List<Interval> timeline(Instant start, Instant end, List<Sample> samples) {
        long seconds = Math.max(1, Duration.between(start, end).toSeconds() + 1);
        long width = Math.max(1, (seconds + INTERVALS - 1) / INTERVALS);
        Map<Long, List<Sample>> byInterval = new TreeMap<>();
        for (Sample sample : samples) {
            long index = Math.max(0, Duration.between(start, sample.at()).toSeconds()) / width;
            byInterval.computeIfAbsent(index, i -> new ArrayList<>()).add(sample);
        }
        List<Interval> out = new ArrayList<>();
        byInterval.forEach((index, during) -> out.add(new Interval(start.plusSeconds(index * width),
                LoadFigures.of(during))));
        return out;
    }

    private static Long rpoMillis(Instant lossAt, List<ClientLoad.Write> lost) {
        if (lossAt == null) {
            return null;
        }
        return lost.stream().map(ClientLoad.Write::at).min(Comparator.naturalOrder())
                .map(oldest -> Math.max(1, Duration.between(oldest, lossAt).toMillis())).orElse(0L);
    }

    /** As long as the step may still take, at most {@link #READ_BACK_PATIENCE}. */
    private static Duration patience(StepContext context) {
        Optional<Duration> left = context.deadline().map(d -> Duration.between(context.clock().instant(), d)
                .minusSeconds(2));
        return left.filter(d -> d.compareTo(READ_BACK_PATIENCE) < 0).map(d -> d.isNegative() ? Duration.ZERO : d)
                .orElse(READ_BACK_PATIENCE);
    }

    /** Stopped before the process died: ended again here, once its load.start has started it anew. */
    @Override
    public boolean resident() {
        return true;
    }

    @Override
    public void restart(Params params, Outputs outputs, StepContext context) throws InterruptedException {
        Optional<UserLoad> load = UserLoad.release(context, params.name());
        if (load.isPresent()) {
            load.get().close();
        }
    }
}
