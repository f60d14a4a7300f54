package dev.gafail.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.gafail.sample.Model.Note;
import dev.gafail.sample.Model.NoteInput;
import dev.gafail.sample.Model.NotePatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes of /api/v1, /healthz and /livez. Each response carries X-Request-Id and X-Region;
 * each request leaves one JSON log line.
 */
final class Api implements HttpHandler {

    private static final Pattern NOTE = Pattern.compile("/api/v1/notes/([^/]+)");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final Config config;
    private final Auth auth;
    private final Notes notes;
    private final Optional<Writes> writes;
    private final NoteCache cache;
    private final RoleMonitor monitor;
    private final RequestLog log;
    private final BooleanSupplier draining;
    private final String version;
    private final String openApi;

    /**
     * @param notes  the region's own database: reads, and writes when there is no writer endpoint
     * @param writes through the writer endpoint, when there is one: every write, from any region
     */
    Api(Config config, Auth auth, Notes notes, Optional<Writes> writes, NoteCache cache, RoleMonitor monitor,
        RequestLog log, BooleanSupplier draining, String version) {
        this.config = config;
        this.auth = auth;
        this.notes = notes;
        this.writes = writes;
        this.cache = cache;
        this.monitor = monitor;
        this.log = log;
        this.draining = draining;
        this.version = version;
        this.openApi = resource("openapi.json");
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        Call call = new Call(exchange);
        exchange.getResponseHeaders().set("X-Request-Id", call.requestId());
        exchange.getResponseHeaders().set("X-Region", config.region());
        try {
            route(call);
        } catch (ApiException e) {
            call.error(e);
        } catch (RuntimeException e) {
            log.failure(call, e);
            call.error(new ApiException(500, "INTERNAL", "unexpected error"));
        }
        log.request(call, (System.nanoTime() - start) / 1_000_000);
    }

    private void route(Call call) {
        String path = call.path();
        switch (path) {
            case "/livez" -> only(call, "GET", () -> call.json(200, Map.of("status", "alive")));
            case "/healthz" -> only(call, "GET", () -> health(call));
            case "/api/v1/openapi.json" -> only(call, "GET", () -> call.json(200, openApi, Map.of()));
            case "/api/v1/notes" -> {
                String subject = auth.subject(call.header("Authorization"));
                switch (call.method()) {
                    case "POST" -> create(call, subject);
                    case "GET" -> call.json(200, here(n -> n.list(subject, call.query("cursor"), call.limit())));
                    default -> throw notAllowed("GET, POST");
                }
            }
            case "/api/v1/audit-events" -> {
                String subject = auth.subject(call.header("Authorization"));
                only(call, "GET", () -> call.json(200, here(n -> n.auditEvents(subject, call.query("cursor"),
                        call.limit()))));
            }
            default -> {
                Matcher note = NOTE.matcher(path);
                if (!note.matches()) {
                    throw ApiException.notFound("no such path: " + path);
                }
                String subject = auth.subject(call.header("Authorization"));
                UUID id = uuid(note.group(1));
                switch (call.method()) {
                    case "GET" -> read(call, subject, id);
                    case "PATCH" -> update(call, subject, id);
                    case "DELETE" -> delete(call, subject, id);
                    default -> throw notAllowed("GET, PATCH, DELETE");
                }
            }
        }
    }

    private void create(Call call, String subject) {
        String key = call.header("Idempotency-Key").orElseThrow(() -> ApiException.badRequest(
                "the Idempotency-Key header is required, so that a retried POST cannot create a second note"));
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw ApiException.badRequest("the Idempotency-Key must be 1-255 visible ASCII characters");
        }
        NoteInput input = call.body(NoteInput.class).validated();
        Notes.Caller caller = new Notes.Caller(subject, call.requestId());
        // Without a writer endpoint a replica region cannot write, but answers a retry of a POST that landed.
        Notes.Created created = writes.isEmpty() && monitor.role() == RoleMonitor.Role.READER
                ? notes.previous(caller, key, input).orElseThrow(ApiException::readOnly)
                : write(w -> w.create(caller, key, input));
        call.json(created.status(), created.body(), created.replayed() ? Map.of("Idempotent-Replayed", "true")
                : Map.of());
    }

    private void read(Call call, String subject, UUID id) {
        Optional<String> cached = cache.get(subject, id);
        if (cached.isPresent()) {
            if (NoteCache.deleted(cached.get())) {
                throw ApiException.notFound("no note " + id);
            }
            call.json(200, cached.get(), Map.of("X-Cache", "hit"));
            return;
        }
        // Read your writes: a note acknowledged a moment ago may not have reached this region's replica.
        Optional<Note> found = here(n -> n.find(subject, id), missing -> missing.isEmpty()
                && monitor.role() != RoleMonitor.Role.WRITER);
        Note note = found.orElseThrow(() -> ApiException.notFound("no note " + id));
        String json = Json.MAPPER.writeValueAsString(note);
        cache.fill(subject, id, json);
        call.json(200, json, Map.of("X-Cache", cache.configured() ? "miss" : "off"));
    }

    /** {@link #here(Function, Predicate)} whatever this region's database answers. */
    private <T> T here(Function<Notes, T> read) {
        return here(read, answer -> false);
    }

    /**
     * A read on this region's database; with a writer endpoint, on the writer instead (once) when that
     * database does not answer, or when its answer is one {@code askWriter} says the writer must confirm: a
     * switchover rebuilds the old writer's database as a replica while its region may still have users
     * (keep-alive connections the dials have not moved yet), and a replica trails the writer.
     */
    private <T> T here(Function<Notes, T> read, Predicate<T> askWriter) {
        T answer;
        try {
            answer = read.apply(notes);
        } catch (ApiException e) {
            if (writes.isEmpty() || e.status() != 503) {
                throw e;
            }
            return writes.get().read(read);
        }
        return writes.isPresent() && askWriter.test(answer) ? writes.get().read(read) : answer;
    }

    /** The new version goes into this region's cache, so that it reads back here at once, replica or not. */
    private void update(Call call, String subject, UUID id) {
        NotePatch patch = call.body(NotePatch.class).validated();
        Notes.Caller caller = new Notes.Caller(subject, call.requestId());
        Note note = write(w -> w.update(caller, id, patch)).orElseThrow(() -> ApiException.notFound("no note " + id));
        String json = Json.MAPPER.writeValueAsString(note);
        cache.put(subject, id, json);
        call.json(200, json, Map.of());
    }

    private void delete(Call call, String subject, UUID id) {
        Notes.Caller caller = new Notes.Caller(subject, call.requestId());
        boolean deleted = write(w -> w.delete(caller, id));
        // gone either way: a 404 may follow a delete that committed as its connection was lost
        cache.forget(subject, id);
        if (!deleted) {
            throw ApiException.notFound("no note " + id);
        }
        call.json(204, "", Map.of());
    }

    /** A write: through the writer endpoint when there is one, else here, if this region writes. */
    private <T> T write(Function<Notes, T> write) {
        if (writes.isPresent()) {
            return writes.get().attempt(write);
        }
        requireWriter();
        return write.apply(notes);
    }

    /** Writes go to the writer region only; a replica answers 503 so the client retries after the failover. */
    private void requireWriter() {
        switch (monitor.role()) {
            case WRITER -> { }
            case READER -> throw ApiException.readOnly();
            default -> throw ApiException.unavailable("the database role is not known yet");
        }
    }

    private void health(Call call) {
        boolean databaseOk = monitor.databaseHealthy();
        boolean ready = !draining.getAsBoolean() && databaseOk && monitor.role() != RoleMonitor.Role.UNKNOWN;
        String cacheState = cache.state();
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("database", databaseOk ? "ok" : monitor.databaseProblem());
        checks.put("cache", cacheState);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", draining.getAsBoolean() ? "draining" : !ready ? "unavailable"
                : cacheState.equals("degraded") ? "degraded" : "ok");
        body.put("region", config.region());
        body.put("role", monitor.role().name().toLowerCase(java.util.Locale.ROOT));
        // where this instance's writes go: the writer endpoint (from any region), or its own database
        body.put("writes", writes.isPresent() ? "writer-endpoint" : "local");
        body.put("version", version);
        body.put("checks", checks);
        call.json(ready ? 200 : 503, Json.MAPPER.writeValueAsString(body), ready ? Map.of()
                : Map.of("Retry-After", "5"));
    }

    private static void only(Call call, String method, Runnable action) {
        if (!call.method().equals(method)) {
            throw notAllowed(method);
        }
        action.run();
    }

    private static ApiException notAllowed(String allowed) {
        return new ApiException(405, "METHOD_NOT_ALLOWED", "allowed: " + allowed, Map.of("Allow", allowed));
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no note " + text);
        }
    }

    static String resource(String name) {
        try (InputStream in = Api.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
