package dev.gafail.aws;

import dev.gafail.engine.Approval;
import dev.gafail.engine.AuditLog;
import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.ExecutionLock;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Journal;
import dev.gafail.engine.JournalWriter;
import dev.gafail.engine.Json;
import dev.gafail.engine.Lease;
import dev.gafail.engine.LineBytes;
import dev.gafail.engine.StateBackend;
import dev.gafail.topology.StateBucket;
import dev.gafail.yaml.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The team's state in an S3 bucket: under the topology's prefix, {@code locks/NAME.json} (a lease, see
 * {@link S3Lock}), and per execution {@code executions/ID/} with the runbook and topology it ran,
 * {@code events/SEQUENCE.json} (see {@link S3Journal}), while someone asks it to stop, {@code abort.json},
 * and one object per approval of its plan, {@code approvals/MILLIS-IDENTITY.json}.
 */
public final class S3State implements StateBackend {

    /** How many objects are read at once: a history reads every event of every execution. */
    private static final int READERS = 16;
    private static final String EVENTS = "events/";
    private static final String APPROVALS = "approvals/";

    private final S3Objects objects;
    private final StateBucket bucket;
    private final Duration lease;
    private final Clock clock;
    private S3AuditLog audit;
    /**
     * Each approval object read, by key and version (ETag, Last-Modified): a waiting execution lists them
     * every few seconds, and reads only what is new.
     */
    private final Map<String, Optional<Approval>> approvalsRead = new ConcurrentHashMap<>();

    public S3State(S3Client s3, StateBucket bucket, Duration lease, Clock clock) {
        this.objects = new S3Objects(s3, bucket.bucket());
        this.bucket = bucket;
        this.lease = lease;
        this.clock = clock;
    }

    S3Objects objects() {
        return objects;
    }

    @Override
    public String location() {
        return bucket.url();
    }

    /** One per process: it keeps what its first append learnt (the bucket's Object Lock, the last record). */
    @Override
    public synchronized AuditLog audit() {
        if (audit == null) {
            audit = new S3AuditLog(objects, bucket.prefix(), bucket.audit(), clock);
        }
        return audit;
    }

    private String executionKey(String id, String rest) {
        return bucket.prefix() + "executions/" + id + "/" + rest;
    }

    String eventKey(String id, long sequence) {
        return executionKey(id, EVENTS + String.format("%010d", sequence) + ".json");
    }

    private String lockKey(String scope) {
        return bucket.prefix() + "locks/" + ExecutionLock.name(scope) + ".json";
    }

    @Override
    public String journalName(String id) {
        return objects.url(executionKey(id, EVENTS));
    }

    @Override
    public List<String> ids() {
        return List.copyOf(eventKeys().keySet());
    }

    @Override
    public JournalRead journal(String id) {
        return read(id, objects.list(executionKey(id, EVENTS)).stream().map(S3Object::key).toList());
    }

    /** One listing of every execution's objects, then their events read in parallel. */
    @Override
    public Map<String, JournalRead> journals() {
        Map<String, JournalRead> out = new LinkedHashMap<>();
        eventKeys().forEach((id, keys) -> out.put(id, read(id, keys)));
        return out;
    }

    /** Every execution's event keys, by id in id order, from one listing: one without events yet has none. */
    private Map<String, List<String>> eventKeys() {
        String root = bucket.prefix() + "executions/";
        Map<String, List<String>> eventKeys = new TreeMap<>();
        for (S3Object object : objects.list(root)) {
            String rest = object.key().substring(root.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                List<String> keys = eventKeys.computeIfAbsent(rest.substring(0, slash), id -> new ArrayList<>());
                if (rest.startsWith(EVENTS, slash + 1)) {
                    keys.add(object.key());
                }
            }
        }
        return eventKeys;
    }

    /** The events at {@code keys}, which must be numbered 1, 2, 3... with none missing. */
    private JournalRead read(String id, List<String> keys) {
        List<String> sorted = keys.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            if (!sorted.get(i).equals(eventKey(id, i + 1))) {
                return JournalRead.unreadable(journalName(id) + ": event " + (i + 1) + " is missing");
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(READERS, sorted.size())));
        try {
            List<Future<Event>> reads = new ArrayList<>();
            for (String key : sorted) {
                reads.add(pool.submit(() -> event(key)));
            }
            List<Event> events = new ArrayList<>();
            for (Future<Event> read : reads) {
                events.add(read.get());
            }
            return JournalRead.of(new Journal.Contents(events, 0));
        } catch (ExecutionException e) {
            return JournalRead.unreadable(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JournalRead.unreadable("interrupted while reading " + journalName(id));
        } finally {
            pool.shutdownNow();
        }
    }

    private Event event(String key) throws IOException {
        return event(objects.get(key).orElseThrow(() -> new IOException(objects.url(key) + ": gone while read"))
                .bytes(), key);
    }

    /** The event an object at {@code key} holds, read as strictly as a journal line is. */
    private Event event(byte[] bytes, String key) throws IOException {
        try {
            return Journal.event(LineBytes.utf8(bytes, 0, bytes.length), objects.url(key));
        } catch (CharacterCodingException e) {
            throw new IOException(objects.url(key) + ": journal line is not valid UTF-8", e);
        }
    }

    @Override
    public Instant createdAt(String id) {
        return objects.get(executionKey(id, "runbook.yaml")).map(S3Objects.Found::lastModified).orElse(Instant.EPOCH);
    }

    /** Running if the lock of its scope, fresh by S3's clock, names it and the process that last took it up. */
    @Override
    public boolean running(String id, List<Event> events) {
        Event owner = ExecutionStore.owner(events);
        String scope = events.isEmpty() ? null : events.get(0).text("lockScope");
        if (owner == null || scope == null) {
            return false;
        }
        return holder(scope).filter(holder -> id.equals(holder.execution()) && holder.host().equals(owner.text("host"))
                && owner.get("pid") instanceof Number pid && pid.longValue() == holder.pid()).isPresent();
    }

    /** The holder the lock object names while its lease lasts by S3's clock; a stale lock is held by nobody. */
    @Override
    public Optional<ExecutionLock.Holder> holder(String scope) {
        return objects.get(lockKey(scope)).flatMap(f -> {
            Optional<S3Lock.Body> body = S3Lock.parse(f.bytes());
            return body.filter(b -> S3Lock.fresh(f, body, lease)).map(S3Lock.Body::holder);
        });
    }

    /**
     * Uploads an execution kept elsewhere ({@code --state local}, when the bucket was out of reach): its
     * runbook, topology and events, each only if absent, so nothing in the bucket is ever overwritten.
     *
     * @throws GafailException USAGE when the bucket already holds anything of it
     */
    public void push(String id, String runbookSource, Optional<String> topologySource, List<Event> events) {
        if (!objects.list(executionKey(id, "")).isEmpty()) {
            throw new GafailException(ExitCode.USAGE, "execution " + id + " is already in " + location()
                    + "; nothing was pushed");
        }
        put(executionKey(id, "runbook.yaml"), runbookSource);
        topologySource.ifPresent(text -> put(executionKey(id, "topology.yaml"), text));
        long sequence = 1;
        for (Event event : events) {
            put(eventKey(id, sequence++), Journal.text(event));
        }
    }

    @Override
    public String keep(String id, String name, byte[] content) {
        String key = executionKey(id, name);
        objects.put(key, content);
        return objects.url(key);
    }

    @Override
    public String runbookCopyName(String id) {
        return objects.url(executionKey(id, "runbook.yaml"));
    }

    @Override
    public Optional<String> runbookCopy(String id) {
        return copy(id, "runbook.yaml");
    }

    @Override
    public Optional<String> topologyCopy(String id) {
        return copy(id, "topology.yaml");
    }

    private Optional<String> copy(String id, String name) {
        return kept(id, name).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public Optional<byte[]> kept(String id, String name) {
        return objects.get(executionKey(id, name)).map(S3Objects.Found::bytes);
    }

    /** Takes the lock, or stops with one line when the bucket does not answer: nothing has been changed yet. */
    @Override
    public Lease acquire(ExecutionLock.Holder me) {
        try {
            return S3Lock.acquire(objects, lockKey(me.scope()), me.shared(me.identity(), lease.toSeconds()), lease,
                    clock, this::fence);
        } catch (UncheckedIOException e) {
            throw new GafailException(ExitCode.PRECONDITIONS_NOT_MET, "cannot take the lock: " + e.getMessage()
                    + ". Nothing was changed. If the bucket stays out of reach and this cannot wait: run again with"
                    + " --state local, then later: gafail state push ID");
        }
    }

    /**
     * Writes the stale holder's execution's next event: a notice of the takeover, which its own next write
     * collides with. Another taker's notice there fences it as well: takers racing for one stale lock do not
     * refuse each other here, the lock's compare-and-swap decides between them.
     */
    private void fence(String execution, ExecutionLock.Holder stale, ExecutionLock.Holder taker, Duration silentFor) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("lockTakenOver", true);
        data.put("previousHolder", stale);
        data.put("takenOverBy", taker);
        String message = "the lock's lease was not renewed for " + Durations.human(silentFor) + " by S3's clock;"
                + " being taken over by " + taker.describe();
        Event notice = Event.ofExecution(EventType.NOTICE, execution, clock.instant(), message, data);
        byte[] bytes = Journal.text(notice).getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 3; attempt++) {
            List<S3Object> written = objects.list(executionKey(execution, EVENTS));
            // Fenced already against this holder by another taker: writing further would only land where the
            // winner writes next.
            if (!written.isEmpty() && fences(written.get(written.size() - 1).key(), stale)) {
                return;
            }
            String key = eventKey(execution, written.size() + 1L);
            if (objects.create(key, bytes).isPresent() || fences(key, stale)) {
                return;
            }
        }
        throw new GafailException(ExitCode.LOCKED, "execution " + execution + " is being written by another gafail"
                + " right now; see: gafail show " + execution);
    }

    /** Whether the event at {@code key} is a takeover's notice against {@code holder}. */
    private boolean fences(String key, ExecutionLock.Holder holder) {
        try {
            return fence(event(key)).filter(previous -> same(previous, holder)).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether {@code eventBytes}, the object at {@code key}, are a takeover's notice against a holder other
     * than {@code me}: one that a late taker wrote where {@code me}, the winner, was to write next, and that
     * is not meant for it.
     */
    boolean fencesAnother(byte[] eventBytes, String key, ExecutionLock.Holder me) {
        try {
            return fence(event(eventBytes, key))
                    .filter(previous -> !same(previous, me)).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** The holder a takeover's notice fenced, if the event is one. */
    private static Optional<Map<?, ?>> fence(Event event) {
        return Boolean.TRUE.equals(event.get("lockTakenOver")) && event.get("previousHolder") instanceof Map<?, ?> previous
                ? Optional.of(previous) : Optional.empty();
    }

    private static boolean same(Map<?, ?> named, ExecutionLock.Holder holder) {
        return holder.host().equals(named.get("host")) && named.get("pid") instanceof Number pid
                && pid.longValue() == holder.pid() && java.util.Objects.equals(holder.execution(), named.get("execution"));
    }

    @Override
    public ExecutionLock.Forced forceUnlock(String scope) {
        String key = lockKey(scope);
        Optional<S3Objects.Found> found = objects.get(key);
        if (found.isEmpty()) {
            return new ExecutionLock.Forced(null, "no lock object");
        }
        Optional<S3Lock.Body> body = S3Lock.parse(found.get().bytes());
        if (body.isPresent() && S3Lock.fresh(found.get(), body, lease)) {
            throw new GafailException(ExitCode.LOCKED, "the lock for " + scope + " is held by "
                    + body.get().holder().describe() + ", renewed " + Durations.human(S3Lock.silence(found.get()))
                    + " ago by S3's clock; stop that execution (gafail abort " + body.get().holder().execution()
                    + ") rather than force the lock");
        }
        if (!objects.delete(key, found.get().etag())) {
            throw new GafailException(ExitCode.LOCKED, "the lock for " + scope + " changed while it was forced;"
                    + " see: gafail history");
        }
        return new ExecutionLock.Forced(body.map(S3Lock.Body::holder).orElse(null),
                body.isPresent() ? null : found.get().bytes().length + " bytes that name no holder");
    }

    @Override
    public JournalWriter create(String id, String runbookSource, Optional<String> topologySource, Lease lease) {
        put(executionKey(id, "runbook.yaml"), runbookSource);
        topologySource.ifPresent(text -> put(executionKey(id, "topology.yaml"), text));
        return new S3Journal(this, id, lease, 1);
    }

    private void put(String key, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (!createOrFound(key, bytes)) {
            throw new GafailException(ExitCode.STEP_FAILED, objects.url(key) + " exists already; nothing was changed");
        }
    }

    /** Creates {@code key}; true too when it holds these very bytes (the SDK sent again a write S3 had applied). */
    private boolean createOrFound(String key, byte[] bytes) {
        return objects.create(key, bytes).isPresent()
                || objects.get(key).filter(f -> java.util.Arrays.equals(f.bytes(), bytes)).isPresent();
    }

    @Override
    public JournalWriter append(String id, Lease lease) {
        return new S3Journal(this, id, lease, objects.list(executionKey(id, EVENTS)).size() + 1L);
    }

    @Override
    public void requestAbort(String id, Map<String, Object> request) {
        if (!createOrFound(executionKey(id, "abort.json"), Json.MAPPER.writeValueAsBytes(request))) {
            throw new GafailException(ExitCode.USAGE, "execution " + id + " was already asked to stop");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> abortRequest(String id) {
        return objects.get(executionKey(id, "abort.json")).flatMap(f -> {
            try {
                return Optional.of((Map<String, Object>) Json.MAPPER.readValue(f.bytes(), Map.class));
            } catch (RuntimeException e) {
                return Optional.of(Map.of("by", "someone (an unreadable request)"));
            }
        });
    }

    @Override
    public void clearAbort(String id) {
        objects.delete(executionKey(id, "abort.json"));
    }

    /** A new object per approval, so that one who approves again (a new plan, an expired approval) adds one. */
    @Override
    public void approve(String id, Approval approval) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identity", approval.identity());
        body.put("by", approval.by());
        body.put("plan", approval.plan());
        if (approval.reason() != null) {
            body.put("reason", approval.reason());
        }
        if (!approval.proof().isEmpty()) {
            body.put("proof", approval.proof());
        }
        String key = executionKey(id, APPROVALS + approval.at().toEpochMilli() + "-"
                + ExecutionLock.name(approval.identity()) + ".json");
        if (!createOrFound(key, Json.MAPPER.writeValueAsBytes(body))) {
            throw new GafailException(ExitCode.USAGE, "an approval of execution " + id + " by " + approval.identity()
                    + " was already kept at this very millisecond; approve again");
        }
    }

    /** Each approval as kept, stamped with when S3 wrote it (not the approver's clock); unreadable ones are none. */
    @Override
    public List<Approval> approvals(String id) {
        List<Approval> out = new ArrayList<>();
        for (S3Object object : objects.list(executionKey(id, APPROVALS))) {
            approvalsRead.computeIfAbsent(object.key() + " " + object.eTag() + " " + object.lastModified(),
                    version -> objects.get(object.key()).flatMap(S3State::approval)).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Approval> approval(S3Objects.Found found) {
        try {
            JsonNode body = Json.MAPPER.readTree(found.bytes());
            if (!body.path("identity").isString() || !body.path("plan").isString()) {
                return Optional.empty();
            }
            return Optional.of(new Approval(body.path("identity").asString(), body.path("by").asString(""),
                    body.path("plan").asString(), found.lastModified(), body.path("reason").isString()
                    ? body.path("reason").asString() : null, body.path("proof").isObject()
                    ? Json.MAPPER.convertValue(body.path("proof"), Map.class) : Map.of()));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}
