package dev.gafail.actions;

import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Targets;
import dev.gafail.yaml.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * {@code load.check {load, region, slo, since, within}}: read-only; waits until the last {@code slo.window}
 * of a running load's requests holds at least {@code slo.minSamples} and meets the SLO (availability,
 * error rate, p95, p99), and, with {@code region}, every answered request of that window came from that
 * region (the responses' {@code X-Region}: routing validated). A quiet window decides nothing: it waits.
 * It gives up within {@code within} and the step's timeout, failing with each target missed, its measured
 * value and the target. Its outputs are the window's figures, when the SLO was met ({@code metAt}), and
 * how long after {@code since} (a fault's start: the RTO).
 */
public final class LoadCheck extends CheckAction<LoadCheck.Params, LoadCheck.Outputs> {

    /** How often the window is judged again: the samples are in memory, so this costs nothing. */
    private static final Duration EVERY = Duration.ofSeconds(1);
    private static final Duration DEFAULT_WITHIN = Duration.ofMinutes(5);

    /**
     * An SLO as a step gives it: by hand, or {@code topology.slo[region]}, whose durations are milliseconds.
     * Targets left out are not checked.
     */
    public record Objective(Double availability, @JsonDeserialize(using = Millis.class) Duration p95,
                            @JsonDeserialize(using = Millis.class) Duration p99, Double errorRate,
                            @JsonDeserialize(using = Millis.class) Duration window, Integer minSamples) {

        Targets.Slo slo() {
            return new Targets.Slo(availability, p95, p99, errorRate, window == null ? Targets.Slo.DEFAULT_WINDOW
                    : window, minSamples == null ? Targets.Slo.DEFAULT_MIN_SAMPLES : minSamples);
        }
    }

    /** A duration as milliseconds (what expressions give) or in runbook syntax ({@code 1200ms}, {@code 30s}). */
    static final class Millis extends ValueDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken().isNumeric()) {
                return Duration.ofNanos(Math.round(p.getDoubleValue() * 1e6));
            }
            String text = p.getString();
            return Durations.parse(text).orElseThrow(() -> ctxt.weirdStringException(text, Duration.class,
                    "not a duration (" + Durations.EXAMPLES + ", or milliseconds)"));
        }
    }

    /**
     * @param load  the load's name (default: load)
     * @param since an instant (ISO-8601) to measure {@code sinceMs} from: a fault's start
     */
    public record Params(String load, String region, Objective slo, Instant since, Duration within) {

        String name() {
            return load == null ? UserLoad.DEFAULT_NAME : load;
        }

        Duration giveUpAfter() {
            return within == null ? DEFAULT_WITHIN : within;
        }
    }

    /**
     * The figures of the window that met the SLO (or, in a failure's message, of the last one judged).
     *
     * @param samples requests in the window
     * @param metAt   when the window met the SLO (ISO-8601)
     * @param sinceMs from {@code since} to {@code metAt}; null without {@code since}
     * @param targets each target judged on the window (availability, errorRate, p95, p99, region): measured,
     *                bound, held; what a {@code verdict} step reads
     */
    public record Outputs(int samples, int failed, double availability, double errorRate, double p50, double p95,
                          double p99, Map<String, Long> regions, String metAt, Long sinceMs,
                          List<SloJudgement.Judged> targets) {
    }

    private static final String MILLIS_OR_DURATION = """
            {"anyOf": [{"type": "number", "minimum": 0}, {"$ref": "#/$defs/durationOrExpression"}]}""";
    private static final String PERCENT = """
            {"anyOf": [{"type": "number", "minimum": 0, "maximum": 100}, {"$ref": "#/$defs/expression"}]}""";

    public LoadCheck(Supplier<Target> target) {
        super("load.check", Params.class, Outputs.class, List.of(), """
                {"type": "object", "additionalProperties": false, "required": ["slo"],
                 "properties": {
                   "load": {"type": "string", "minLength": 1, "description": "the load.start's name (default: load)"},
                   "region": {"type": "string", "minLength": 1,
                              "description": "every answered request of the window must come from this region"},
                   "slo": {"anyOf": [{"$ref": "#/$defs/expression"},
                     {"type": "object", "additionalProperties": false,
                      "description": "as the topology's slo; durations in runbook syntax, or milliseconds (as topology.slo[region] gives them)",
                      "properties": {
                        "availability": %2$s, "errorRate": %2$s, "p95": %1$s, "p99": %1$s, "window": %1$s,
                        "minSamples": {"anyOf": [{"type": "integer", "minimum": 1}, {"$ref": "#/$defs/expression"}]}}}]},
                   "since": {"type": "string", "minLength": 1,
                             "description": "an instant (ISO-8601) to measure sinceMs from: a fault's start, for the RTO"},
                   "within": {"$ref": "#/$defs/durationOrExpression"}}}""".formatted(MILLIS_OR_DURATION, PERCENT),
                target);
    }

    @Override
    String expectation(Params params) {
        Targets.Slo slo = params.slo().slo();
        return "the SLO met over the last " + Durations.format(slo.window()) + " of load '" + params.name() + "' ("
                + "at least " + slo.minSamples() + " samples)" + (params.region() == null ? ""
                : ", every answer from " + params.region());
    }

    /** One look at the window that ends now; a load that does not run (yet: a dry run) cannot tell. */
    @Override
    Verdict<Outputs> evaluate(Params params, StepContext context) throws StepFailure {
        Optional<UserLoad> load = UserLoad.find(context, params.name());
        if (load.isEmpty()) {
            return Verdict.unknown("no load '" + params.name() + "' runs yet");
        }
        return verdict(judge(params, load.get(), context), params, context);
    }

    private SloJudgement judge(Params params, UserLoad load, StepContext context) throws StepFailure {
        if (params.region() != null) {
            target().region(params.region());
        }
        return SloJudgement.of(load.clients().samples(), context.clock().instant(), params.slo().slo(),
                Optional.ofNullable(params.region()), load.started());
    }

    private static Verdict<Outputs> verdict(SloJudgement judged, Params params, StepContext context) {
        if (judged.quiet()) {
            return Verdict.unknown(judged.detail());
        }
        Instant now = context.clock().instant();
        LoadFigures f = judged.figures();
        Outputs outputs = new Outputs(f.requests(), f.failed(), f.availability(), f.errorRate(), f.p50(), f.p95(),
                f.p99(), f.regions(), now.toString(), params.since() == null ? null
                : Duration.between(params.since(), now).toMillis(), judged.targets());
        return judged.met() ? Verdict.holds(judged.detail(), outputs) : Verdict.fails(judged.detail(), outputs);
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException {
        UserLoad load = UserLoad.require(context, params.name());
        Instant start = context.clock().instant();
        Instant giveUp = start.plus(params.giveUpAfter());
        if (context.deadline().isPresent() && context.deadline().get().isBefore(giveUp)) {
            giveUp = context.deadline().get();
        }
        while (true) {
            Verdict<Outputs> verdict = verdict(judge(params, load, context), params, context);
            if (verdict.holds()) {
                context.notice(verdict.detail());
                return verdict.outputs().orElseThrow();
            }
            Instant now = context.clock().instant();
            // Fail before the engine's timeout cuts the step short: the message names what missed.
            if (!now.plus(EVERY).isBefore(giveUp)) {
                throw StepFailure.transientFailure("SLO not met within " + Durations.format(Duration.between(start, now)
                        .withNanos(0)) + ": " + verdict.detail());
            }
            context.progress(verdict.detail() + "; " + Durations.human(Duration.between(start, now)) + " so far");
            context.sleep(EVERY);
        }
    }
}
