package dev.gafail.actions;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.gafail.engine.Json;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.yaml.Durations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * {@code http.probe {url | region, expectStatus, expectJson, successes, interval, timeout, within, hint}}:
 * GETs a URL (a region's {@code /healthz} when given {@code region}) until it answers as expected
 * {@code successes} times in a row, {@code interval} apart; a miss starts the count again. Gives up
 * after {@code within}, adding {@code hint} (what to do about it) to the failure.
 */
public final class HttpProbe extends CheckAction<HttpProbe.Params, HttpProbe.Outputs> {

    /**
     * @param expectJson top-level fields the JSON body must have, e.g. {@code {role: writer}}
     * @param timeout    for one request
     * @param hint       added to the step's failure: what the operator can do about it; null: nothing
     */
    public record Params(String url, String region, Integer expectStatus, Map<String, JsonNode> expectJson,
                         Integer successes, Duration interval, Duration timeout, Duration within, String hint) {

        int status() {
            return expectStatus == null ? 200 : expectStatus;
        }

        int needed() {
            return successes == null ? 3 : successes;
        }

        Duration every() {
            return interval == null ? Duration.ofSeconds(2) : interval;
        }

        Duration requestTimeout() {
            return timeout == null ? Duration.ofSeconds(5) : timeout;
        }

        Duration giveUpAfter() {
            return within == null ? Duration.ofMinutes(2) : within;
        }

        Map<String, JsonNode> fields() {
            return expectJson == null ? Map.of() : expectJson;
        }
    }

    /**
     * @param status the HTTP status of the last answer
     * @param fields each expected field as the body had it, as text; output beside {@code status}, by its own name
     */
    public record Outputs(int status, @JsonAnyGetter @JsonAnySetter Map<String, String> fields) {

        public Outputs {
            fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    public HttpProbe(Supplier<Target> target) {
        super("http.probe", Params.class, Outputs.class, List.of(), """
                {"type": "object", "additionalProperties": false,
                 "oneOf": [{"required": ["url"]}, {"required": ["region"]}],
                 "properties": {
                   "url": {"type": "string", "minLength": 1},
                   "region": {"type": "string", "minLength": 1},
                   "expectStatus": {"anyOf": [{"type": "integer", "minimum": 100, "maximum": 599},
                                              {"$ref": "#/$defs/expression"}]},
                   "expectJson": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]},
                                  "propertyNames": {"not": {"const": "status"}, "description":
                                      "it is the probe's own output (expectStatus checks the HTTP status)"}},
                   "successes": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 100},
                                           {"$ref": "#/$defs/expression"}]},
                   "interval": {"$ref": "#/$defs/durationOrExpression"},
                   "timeout": {"$ref": "#/$defs/durationOrExpression"},
                   "within": {"$ref": "#/$defs/durationOrExpression"},
                   "hint": {"type": "string", "maxLength": 500}}}""", target);
    }

    @Override
    String expectation(Params params) {
        return "HTTP " + params.status() + expected(params) + (params.needed() > 1 ? " " + params.needed()
                + " times in a row" : "");
    }

    private static String expected(Params params) {
        StringBuilder out = new StringBuilder();
        params.fields().forEach((k, v) -> out.append(", ").append(k).append('=').append(text(v)));
        return out.toString();
    }

    /** One probe's outcome outside a runbook: whether it answered as expected, and what it saw or why it did not. */
    public record Probe(boolean holds, String detail) {
    }

    /**
     * One GET of {@code region}'s health URL, expecting a 200 with the top-level fields {@code expectJson}
     * within {@code timeout} ({@code gafail check}).
     */
    public Probe once(String region, Map<String, String> expectJson, Duration timeout) throws StepFailure,
            InterruptedException {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        expectJson.forEach((name, value) -> fields.put(name, StringNode.valueOf(value)));
        Verdict<Outputs> verdict = evaluate(new Params(null, region, 200, fields, 1, null, timeout, null, null), null);
        return new Probe(verdict.holds(), verdict.detail());
    }

    @Override
    Verdict<Outputs> evaluate(Params params, StepContext context) throws StepFailure, InterruptedException {
        URI uri = uri(params);
        HttpResponse<String> response;
        try {
            // A new client, so a new connection, each time: as a new user would, since an accelerator
            // keeps an established connection where it first sent it.
            HttpClient client = HttpClient.newBuilder().connectTimeout(params.requestTimeout()).build();
            CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(HttpRequest.newBuilder(uri)
                    .timeout(params.requestTimeout()).header("Accept", "application/json")
                    .header("User-Agent", "gafail-probe").GET().build(), HttpResponse.BodyHandlers.ofString());
            // Stop-aware: Ctrl-C ends the wait (and the request) at once, not after the request's timeout.
            response = context == null ? awaitInterruptibly(exchange) : context.await(exchange);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return Verdict.fails(uri + ": no answer within " + Durations.format(params.requestTimeout()));
            }
            return Verdict.fails(uri + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage()));
        }
        Map<String, String> seen = new LinkedHashMap<>();
        String observed = "HTTP " + response.statusCode() + observedFields(params, response.body(), seen);
        boolean matches = response.statusCode() == params.status() && params.fields().entrySet().stream()
                .allMatch(e -> text(e.getValue()).equals(seen.get(e.getKey())));
        Outputs outputs = new Outputs(response.statusCode(), seen);
        return matches ? Verdict.holds(observed, outputs)
                : Verdict.fails(uri + ": " + observed + ", expected " + expectation(params), outputs);
    }

    /** Without a step (a status, bounded by its own budget): an interrupt cancels the request. */
    private static <T> T awaitInterruptibly(CompletableFuture<T> work) throws InterruptedException, ExecutionException {
        try {
            return work.get();
        } catch (InterruptedException e) {
            work.cancel(true);
            throw e;
        }
    }

    /** The expected fields as the body has them, recorded in {@code seen}. */
    private static String observedFields(Params params, String body, Map<String, String> seen) {
        if (params.fields().isEmpty()) {
            return "";
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            return ", body is not JSON";
        }
        StringBuilder out = new StringBuilder();
        for (String field : params.fields().keySet()) {
            String text = text(json.path(field));
            seen.put(field, text);
            out.append(", ").append(field).append('=').append(text);
        }
        return out.toString();
    }

    /** A JSON value as a field compares and shows: scalars as their text, so {@code 2} matches {@code "2"}. */
    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asString() : value.isMissingNode() ? "(none)" : value.toString();
    }

    private URI uri(Params params) throws StepFailure {
        if (params.url() != null) {
            try {
                URI uri = URI.create(params.url());
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw StepFailure.permanent("url " + params.url() + " is not http:// or https://");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw StepFailure.permanent("url " + params.url() + " is not a URL: " + e.getMessage());
            }
        }
        return target().region(params.region()).healthz();
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException {
        Instant giveUp = context.clock().instant().plus(params.giveUpAfter());
        int row = 0;
        Verdict<Outputs> last;
        String miss = null;
        while (true) {
            last = evaluate(params, context);
            row = last.holds() ? row + 1 : 0;
            miss = last.holds() ? miss : last.detail();
            if (row >= params.needed()) {
                return last.outputs().orElseThrow();
            }
            if (!context.clock().instant().plus(params.every()).isBefore(giveUp)) {
                // Say what the misses were: "2 of 3 in a row" alone hides which answer broke the row.
                throw StepFailure.transientFailure((last.holds() ? "only " + row + " of " + params.needed()
                        + " successes in a row within " + Durations.format(params.giveUpAfter())
                        + (miss == null ? "" : "; the last miss: " + miss) : last.detail())
                        + (params.hint() == null ? "" : ". " + params.hint()));
            }
            context.progress(row + "/" + params.needed() + " successes in a row; " + last.detail() + "; "
                    + Durations.human(Duration.between(giveUp.minus(params.giveUpAfter()), context.clock().instant()))
                    + " of at most " + Durations.format(params.giveUpAfter()));
            context.sleep(params.every());
        }
    }
}
