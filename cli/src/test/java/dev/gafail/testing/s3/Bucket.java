package dev.gafail.testing.s3;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One bucket's objects. Each operation holds the bucket's lock from reading the key's current object
 * to changing it, so conditional writes are linearizable: of the writers racing on one key, each one
 * is judged against what the one before it left. (S3 may instead answer a racer 409
 * ConditionalRequestConflict; this never does, which is one of the outcomes S3 allows.)
 */
final class Bucket {

    /** An object as stored: its ETag is the MD5 of the body in hex; written when S3's clock said, in whole seconds. */
    record StoredObject(byte[] body, String etag, Instant lastModified, String contentType) {
    }

    /** An object in a listing. */
    record Listed(String key, StoredObject object) {
    }

    /** One page of a listing: its objects, and whether more follow. */
    record Page(List<Listed> objects, boolean truncated) {
    }

    private final Supplier<Instant> clock;
    private final NavigableMap<String, StoredObject> objects = new TreeMap<>();

    Bucket(Supplier<Instant> clock) {
        this.clock = clock;
    }

    synchronized StoredObject put(String key, Preconditions when, byte[] body, String contentType) throws S3Error {
        when.beforeWrite(key, objects.get(key));
        StoredObject stored = new StoredObject(body, HexFormat.of().formatHex(Checksums.digest("MD5", body)),
                clock.get().truncatedTo(ChronoUnit.SECONDS), contentType);
        objects.put(key, stored);
        return stored;
    }

    synchronized StoredObject get(String key, Preconditions when) throws S3Error {
        StoredObject current = objects.get(key);
        when.beforeRead(key, current);
        return current;
    }

    synchronized void delete(String key, Preconditions when) throws S3Error {
        when.beforeWrite(key, objects.get(key));
        objects.remove(key);
    }

    /** Up to {@code maxKeys} objects whose keys start with {@code prefix} and sort after {@code after}, in key order. */
    synchronized Page list(String prefix, String after, int maxKeys) {
        List<Listed> found = objects.tailMap(after, false).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .limit(maxKeys + 1L)
                .map(e -> new Listed(e.getKey(), e.getValue()))
                .toList();
        return new Page(found.subList(0, Math.min(maxKeys, found.size())), found.size() > maxKeys);
    }
}
