package dev.gafail.aws;

import dev.gafail.engine.AuditChain;
import dev.gafail.engine.AuditLog;
import dev.gafail.engine.LineBytes;
import dev.gafail.topology.StateBucket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.core.JacksonException;

/**
 * The audit log in the state bucket: one object per record, {@code PREFIX/audit/records/%012d.json}, the
 * record's canonical JSON chained as the local log's ({@link AuditChain}), each created only if absent,
 * so two gafail processes appending at once both land, one after the other. When the bucket has Object
 * Lock, each record carries its own retention (never a bucket-wide default, which would lock the lock and
 * the journals too). {@code PREFIX/audit/head.json} names the last record written: where an appender
 * starts looking for the end, and, for verify, the proof that records at the end were there.
 */
final class S3AuditLog implements AuditLog {

    /** How many records verify reads at once: a year's log holds thousands. */
    private static final int READERS = 8;
    private static final Pattern RECORD_KEY = Pattern.compile("(\\d{12})\\.json");

    private final S3Objects objects;
    private final String records;
    private final String head;
    private final StateBucket.AuditRetention retention;
    private final Clock clock;
    /** Asked of the bucket on the first append; null until then. */
    private Boolean objectLock;
    /** The last record this process wrote or found: the next append starts looking after it. */
    private Map<String, Object> last;

    S3AuditLog(S3Objects objects, String prefix, StateBucket.AuditRetention retention, Clock clock) {
        this.objects = objects;
        this.records = prefix + "audit/records/";
        this.head = prefix + "audit/head.json";
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public String location() {
        return objects.url(records);
    }

    String key(long seq) {
        return records + String.format("%012d", seq) + ".json";
    }

    /**
     * Creates the record after the last; when another process took that number meanwhile, reads its record
     * and chains after it.
     */
    @Override
    public synchronized void append(Map<String, Object> fields) {
        if (objectLock == null) {
            objectLock = objects.objectLock();
        }
        Map<String, Object> after = last != null ? last : lastRecord();
        while (true) {
            after = end(after);
            TreeMap<String, Object> record = AuditChain.next(fields, after);
            long seq = AuditChain.seq(record);
            byte[] bytes = AuditChain.text(record).getBytes(StandardCharsets.UTF_8);
            if (objects.create(key(seq), bytes, b -> {
                if (objectLock) {
                    b.objectLockMode(ObjectLockMode.fromValue(retention.mode()))
                            .objectLockRetainUntilDate(clock.instant().plus(retention.days(), ChronoUnit.DAYS));
                }
            }).isPresent()) {
                last = record;
                Map<String, Object> hint = new LinkedHashMap<>();
                hint.put("seq", seq);
                hint.put("hash", record.get("hash"));
                objects.put(head, AuditChain.text(hint).getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
    }

    /** The record the head names; failing that (no head yet, or it names what is gone), the highest listed. */
    private Map<String, Object> lastRecord() {
        Optional<Long> named = objects.get(head).flatMap(f -> seqOf(f.bytes()));
        if (named.isPresent()) {
            Optional<TreeMap<String, Object>> record = record(key(named.get()));
            if (record.isPresent()) {
                return record.get();
            }
        }
        return objects.list(records).stream().map(S3Object::key).filter(k -> number(k).isPresent())
                .max(Comparator.naturalOrder()).flatMap(this::record).orElse(null);
    }

    /** Follows the records after {@code after} (null: none yet) to the last there is. */
    private Map<String, Object> end(Map<String, Object> after) {
        Map<String, Object> end = after;
        while (true) {
            Optional<TreeMap<String, Object>> next = record(key(end == null ? 1 : AuditChain.seq(end) + 1));
            if (next.isEmpty()) {
                return end;
            }
            end = next.get();
        }
    }

    /** The record at {@code key}, empty when there is none; one line when it holds no record to chain to. */
    private Optional<TreeMap<String, Object>> record(String key) {
        return objects.get(key).map(found -> {
            Optional<TreeMap<String, Object>> record = parse(found.bytes());
            if (record.isEmpty() || !AuditChain.chainable(record.get())) {
                throw new UncheckedIOException(new IOException(objects.url(key) + " is not an audit record, so"
                        + " nothing can chain after it; see: gafail audit verify"));
            }
            return record.get();
        });
    }

    private static Optional<TreeMap<String, Object>> parse(byte[] bytes) {
        try {
            return Optional.of(AuditChain.read(LineBytes.utf8(bytes, 0, bytes.length)));
        } catch (CharacterCodingException | JacksonException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> seqOf(byte[] bytes) {
        return parse(bytes).filter(h -> h.get("seq") instanceof Number).map(AuditChain::seq);
    }

    private Optional<Long> number(String key) {
        Matcher m = RECORD_KEY.matcher(key.substring(records.length()));
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /**
     * Lists every version and delete marker of the records, reads the current ones in parallel, and names
     * the first record (by its key) that was overwritten, deleted, inserted, altered or removed, or a head
     * that names a record past the last (the tail removed).
     */
    @Override
    public Verification verify() {
        S3Objects.Versions listing = objects.versions(records);
        TreeMap<String, List<ObjectVersion>> versions = new TreeMap<>();
        listing.versions().forEach(v -> versions.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v));
        TreeMap<String, List<DeleteMarkerEntry>> markers = new TreeMap<>();
        listing.deleteMarkers().forEach(d -> markers.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d));
        TreeSet<String> keys = new TreeSet<>(versions.keySet());
        keys.addAll(markers.keySet());
        AuditLog.Protection protection = protection(versions.isEmpty() ? null : versions.lastKey());
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        try {
            Map<String, Future<Optional<S3Objects.Found>>> bodies = new TreeMap<>();
            for (String key : versions.keySet()) {
                if (!markers.containsKey(key)) {
                    bodies.put(key, pool.submit(() -> objects.get(key)));
                }
            }
            AuditChain chain = new AuditChain();
            String previous = null;
            for (String key : keys) {
                Optional<Long> number = number(key);
                if (number.isEmpty()) {
                    return broken(key, null, "not a record's key: an object was inserted among the records",
                            protection);
                }
                long n = number.get();
                if (markers.containsKey(key)) {
                    DeleteMarkerEntry marker = markers.get(key).get(0);
                    return broken(key, marker.versionId(), "record " + n + " was deleted at " + marker.lastModified()
                            + " (a delete marker)", protection);
                }
                List<ObjectVersion> kept = versions.get(key);
                if (kept.size() > 1) {
                    ObjectVersion newest = kept.stream().max(Comparator.comparing(ObjectVersion::lastModified)).get();
                    return broken(key, newest.versionId(), "record " + n + " was overwritten at "
                            + newest.lastModified() + " (" + kept.size() + " versions)", protection);
                }
                long expected = chain.length() + 1L;
                if (n != expected) {
                    return broken(key(expected), null, "record " + expected + " is missing (the records go on at "
                            + n + "): record(s) were removed", protection);
                }
                Optional<S3Objects.Found> body = bodies.get(key).get();
                Optional<TreeMap<String, Object>> record = body.flatMap(f -> parse(f.bytes()));
                if (record.isEmpty()) {
                    return broken(key, null, body.isEmpty() ? "record " + n + " was deleted while read"
                            : "not a valid audit record: it was altered", protection);
                }
                if (record.get().get("seq") instanceof Number seq && seq.longValue() != n) {
                    return broken(key, null, "holds record " + seq + ", not record " + n + ": it was inserted",
                            protection);
                }
                Optional<AuditChain.Break> broken = chain.follow(record.get());
                if (broken.isPresent()) {
                    return broken(broken.get().before() ? previous : key, null, broken.get().problem(), protection);
                }
                previous = key;
            }
            Optional<Long> named = objects.get(head).flatMap(f -> seqOf(f.bytes()));
            if (named.isPresent() && named.get() > chain.length()) {
                return broken(key(chain.length() + 1L), null, "the records end at record " + chain.length() + ", but "
                        + objects.url(head) + " says record " + named.get() + " was written: records at the end were"
                        + " removed", protection);
            }
            return new Verification(true, chain.length(), null, 0, null, null, protection);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while reading " + location()));
        } finally {
            pool.shutdownNow();
        }
    }

    /** What the bucket does against rewriting: its versioning, its Object Lock, the last record's retention. */
    private AuditLog.Protection protection(String lastKey) {
        boolean locked = objects.objectLock();
        Optional<ObjectLockRetention> kept = locked && lastKey != null
                ? objects.retention(lastKey) : Optional.empty();
        return new AuditLog.Protection(objects.versioning(), locked, kept.map(r -> r.modeAsString()).orElse(null),
                kept.map(r -> String.valueOf(r.retainUntilDate())).orElse(null));
    }

    private Verification broken(String key, String versionId, String problem, AuditLog.Protection protection) {
        String where = objects.url(key) + (versionId == null || "null".equals(versionId) ? ""
                : " (version " + versionId + ")");
        return new Verification(false, 0, where, 0, problem, null, protection);
    }
}
