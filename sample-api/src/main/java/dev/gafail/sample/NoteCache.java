package dev.gafail.sample;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.params.SetParams;

/**
 * Cache-aside for single notes in the region's Valkey. Every failure degrades to "no cache": the
 * service is slower without it, never wrong or down because of it. An entry lives {@code ttl}: with
 * both regions writing, another region's change reaches this region's database but not its cache, so
 * the TTL bounds how much older than the database's copy a cached note may be. A note this region
 * deletes leaves a tombstone for as long, so that its replica, which may not have the delete yet, is
 * not asked.
 */
final class NoteCache implements AutoCloseable {

    /** What a deleted note's entry holds: no note is empty JSON. */
    private static final String TOMBSTONE = "";

    private final RedisClient valkey;
    private final Duration ttl;
    private final AtomicBoolean healthy = new AtomicBoolean(true);

    NoteCache(Optional<URI> url, Duration ttl) {
        this.valkey = url.map(NoteCache::connect).orElse(null);
        this.ttl = ttl;
    }

    private static RedisClient connect(URI url) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(500).socketTimeoutMillis(500);
        if ("rediss".equals(url.getScheme())) {
            config.sslOptions(SslOptions.defaults()); // ElastiCache Serverless speaks TLS only
        }
        return RedisClient.builder().hostAndPort(new HostAndPort(url.getHost(), url.getPort()))
                .clientConfig(config.build()).build();
    }

    /** Whether notes are cached here: a cache, and a TTL above zero. */
    boolean configured() {
        return valkey != null && !ttl.isZero();
    }

    /** "ok", "degraded" (configured but failing) or "disabled". */
    String state() {
        return valkey == null ? "disabled" : healthy.get() ? "ok" : "degraded";
    }

    /** The cached note; empty JSON for one this region deleted; empty when none is cached. */
    Optional<String> get(String owner, UUID id) {
        return configured() ? call(() -> valkey.get(key(owner, id))) : Optional.empty();
    }

    static boolean deleted(String cached) {
        return cached.equals(TOMBSTONE);
    }

    /** A version this region wrote (or a tombstone): it replaces whatever is cached. */
    void put(String owner, UUID id, String json) {
        set(owner, id, json, SetParams.setParams().px(ttl.toMillis()));
    }

    /**
     * A version a read found in the database: cached only if nothing is, so that a read that began before a
     * write here cannot put back the version that write replaced.
     */
    void fill(String owner, UUID id, String json) {
        set(owner, id, json, SetParams.setParams().nx().px(ttl.toMillis()));
    }

    private void set(String owner, UUID id, String json, SetParams params) {
        if (configured()) {
            call(() -> valkey.set(key(owner, id), json, params));
        }
    }

    /** Marks the note deleted here, for the TTL. */
    void forget(String owner, UUID id) {
        put(owner, id, TOMBSTONE);
    }

    /** Forgets everything: on becoming the writer, since this region's cache never saw the other region's writes. */
    void flush() {
        call(() -> valkey.flushDB());
    }

    void ping() {
        call(() -> valkey.ping());
    }

    private <T> Optional<T> call(java.util.function.Supplier<T> command) {
        if (valkey == null) {
            return Optional.empty();
        }
        try {
            T value = command.get();
            healthy.set(true);
            return Optional.ofNullable(value);
        } catch (RuntimeException e) {
            healthy.set(false);
            return Optional.empty();
        }
    }

    /** Notes are their owner's: the key names the owner (hashed), so a hit never serves someone else's note. */
    private static String key(String owner, UUID id) {
        return "note:" + Hashes.sha256(owner).substring(0, 16) + ":" + id;
    }

    @Override
    public void close() {
        if (valkey != null) {
            valkey.close();
        }
    }
}
