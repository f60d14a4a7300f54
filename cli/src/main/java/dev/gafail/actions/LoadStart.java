package dev.gafail.actions;

import dev.gafail.engine.Change;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unmet;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code load.start {name, endpoint, rate, writes, tokenEnv}}: starts synthetic users in this gafail
 * process, an open loop of {@code rate} requests a second through the topology's public endpoint (the
 * accelerator; the lab's edge): reads of notes, and a share {@code writes} of idempotent writes, each
 * retried with its Idempotency-Key until acknowledged and kept to be read back by load.stop. Every
 * request is a sample (when, how long, write or read, status, the answering region's {@code X-Region}).
 *
 * <p>The load belongs to the execution: load.stop ends it, and so does the execution's end, however
 * it ends. It lives in this process only; when {@code gafail resume} continues the execution in another,
 * the load is started there again ({@link #restart}). The users' bearer token comes from the environment
 * variable {@code tokenEnv}, or from the lab; it is never output, journalled or logged.
 */
public final class LoadStart extends TargetedAction<LoadStart.Params, LoadStart.Outputs> {

    static final String DEFAULT_TOKEN_ENV = "GAFAIL_LOAD_TOKEN";

    /**
     * @param rate   requests a second (the seed's k6 profile: 25)
     * @param writes the share of requests that write, from 0 to 1 (default 0.25)
     */
    public record Params(String name, String endpoint, Double rate, Double writes, String tokenEnv) {

        String load() {
            return name == null ? UserLoad.DEFAULT_NAME : name;
        }

        double perSecond() {
            return rate == null ? 25 : rate;
        }

        double writeShare() {
            return writes == null ? 0.25 : writes;
        }

        String variable() {
            return tokenEnv == null ? DEFAULT_TOKEN_ENV : tokenEnv;
        }
    }

    /** @param startedAt when this process started the load (ISO-8601) */
    public record Outputs(String name, String endpoint, double rate, double writes, String startedAt) {
    }

    public LoadStart(Supplier<Target> target) {
        super("load.start", Params.class, Outputs.class, false, List.of(), """
                {"type": "object", "additionalProperties": false,
                 "properties": {
                   "name": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$",
                            "description": "what load.check and load.stop call the load (default: load)"},
                   "endpoint": {"type": "string", "minLength": 1,
                                "description": "where users send their requests (default: the topology's endpoint)"},
                   "rate": {"anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
                                      {"$ref": "#/$defs/expression"}],
                            "description": "requests a second, arriving whatever the answers (default 25)"},
                   "writes": {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"$ref": "#/$defs/expression"}],
                              "description": "the share of requests that are idempotent writes (default 0.25)"},
                   "tokenEnv": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                                "description": "the environment variable that holds the users' bearer token (default GAFAIL_LOAD_TOKEN)"}}}""",
                target);
    }

    private URI endpoint(Params params) throws StepFailure {
        if (params.endpoint() == null) {
            return target().topology().endpoint();
        }
        try {
            URI uri = URI.create(params.endpoint());
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw StepFailure.permanent("endpoint " + params.endpoint() + " is not an http:// or https:// URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw StepFailure.permanent("endpoint " + params.endpoint() + " is not a URL: " + e.getMessage());
        }
    }

    private String token(Params params) throws StepFailure {
        return target().tokens().token(params.variable()).orElseThrow(() -> new Unmet("no bearer token for the"
                + " synthetic users: set the environment variable " + params.variable() + " (the API's token for a"
                + " test user), or run against a lab"));
    }

    private static String describe(Params params, URI endpoint) {
        return String.format(Locale.ROOT, "%s users/s against %s, %s%% of them idempotent writes",
                SloJudgement.trimmed(params.perSecond()), endpoint, SloJudgement.trimmed(params.writeShare() * 100));
    }

    @Override
    public Change plan(Params params, StepContext context) throws StepFailure {
        URI endpoint = endpoint(params);
        token(params);
        return Change.to("no load '" + params.load() + "' running", "would start " + describe(params, endpoint));
    }

    @Override
    public Outputs apply(Params params, StepContext context) throws StepFailure, InterruptedException {
        // Convergent: a load this execution already runs under the name (an attempt retried) is the one.
        UserLoad load = UserLoad.find(context, params.load()).orElse(null);
        if (load == null) {
            load = UserLoad.start(context, params.load(), endpoint(params), token(params), params.perSecond(),
                    params.writeShare());
            context.notice("load '" + params.load() + "' started: " + describe(params, load.endpoint()));
        }
        return new Outputs(load.name(), load.endpoint().toString(), params.perSecond(), params.writeShare(),
                load.started().toString());
    }

    @Override
    public boolean resident() {
        return true;
    }

    /** The process that ran the load is gone: the load starts again here, as it was started there. */
    @Override
    public void restart(Params params, Outputs outputs, StepContext context) throws StepFailure, InterruptedException {
        if (UserLoad.find(context, outputs.name()).isEmpty()) {
            UserLoad.start(context, outputs.name(), URI.create(outputs.endpoint()), token(params), outputs.rate(),
                    outputs.writes());
            context.notice("load '" + outputs.name() + "' started again in this process (the one that ran it is"
                    + " gone; what it measured went with it): " + describe(params, URI.create(outputs.endpoint())));
        }
    }
}
