package dev.gafail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.AuditChain;
import dev.gafail.engine.AuditLog;
import dev.gafail.lab.s3.S3Server;
import dev.gafail.topology.StateBucket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The audit trail in a bucket, against the lab's S3 (Adobe S3Mock): the bucket as the lab makes it (Object
 * Lock, no versioning), a bucket with Object Lock and versioning as at AWS, where an overwrite adds a
 * version and a delete a marker, and a plain bucket, where rewriting leaves no trace and only the chain shows it.
 */
class S3AuditLogTest {

    private static final String LOCKED = "gafail";
    private static final String VERSIONED = "versioned";
    private static final String PLAIN = "plain";
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @TempDir
    static Path dir;
    private static S3Server server;
    private static S3Client s3;
    /** Every request the client sent, as it went on the wire. */
    private static final ConcurrentLinkedQueue<SdkHttpRequest> SENT = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.launch(LOCKED, "us-east-2", dir.resolve("s3"), dir.resolve("s3mock.log"));
        server.awaitReady();
        s3 = S3Client.builder().endpointOverride(URI.create(server.url())).region(Region.US_EAST_2).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDAUDIT", "s")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        SENT.add(context.httpRequest());
                    }
                }))
                .httpClient(UrlConnectionHttpClient.create()).build();
        s3.createBucket(b -> b.bucket(PLAIN));
        s3.createBucket(b -> b.bucket(VERSIONED).objectLockEnabledForBucket(true));
        s3.putBucketVersioning(b -> b.bucket(VERSIONED).versioningConfiguration(c -> c.status("Enabled")));
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        server.close();
    }

    /** A log under a prefix of its own, so that each test starts with none. */
    private record Log(S3AuditLog log, String bucket, String prefix) {

        String key(long seq) {
            return log.key(seq);
        }

        AuditLog.Verification verify() {
            return log.verify();
        }
    }

    private static Log log(String bucket) {
        String prefix = "t" + PREFIXES.incrementAndGet() + "/";
        return new Log(appender(bucket, prefix), bucket, prefix);
    }

    /** Another gafail process on the same log: its own state of what it found. */
    private static S3AuditLog appender(String bucket, String prefix) {
        return new S3AuditLog(new S3Objects(s3, bucket), prefix, new StateBucket.AuditRetention("COMPLIANCE", 1),
                Clock.systemUTC());
    }

    private static Log written(String bucket, int records) {
        Log log = log(bucket);
        for (int i = 1; i <= records; i++) {
            log.log().append(Map.of("event", "test", "n", i));
        }
        return log;
    }

    private static String body(Log log, long seq) {
        return s3.getObjectAsBytes(b -> b.bucket(log.bucket()).key(log.key(seq))).asUtf8String();
    }

    private static void put(Log log, String key, String text) {
        s3.putObject(b -> b.bucket(log.bucket()).key(key), RequestBody.fromString(text));
    }

    private static void assertBroken(AuditLog.Verification result, String where, String problem) {
        assertFalse(result.intact(), "tampering must be found: " + result);
        assertTrue(result.where().startsWith("s3://" + where), result.toString());
        assertTrue(result.problem().contains(problem), result.toString());
    }

    @Test
    void recordsAreOneObjectEachChainedAndVerifyIntactNamingTheBucketsProtection() {
        Log log = written(VERSIONED, 3);

        AuditLog.Verification result = log.verify();
        assertTrue(result.intact(), result.toString());
        assertEquals(3, result.records());
        Map<String, Object> third = assertRecord(body(log, 3));
        assertEquals(3L, AuditChain.seq(third));
        assertEquals(AuditChain.read(body(log, 2)).get("hash"), third.get("prev"), "record 3 chains to record 2");
        assertEquals("Enabled", result.protection().versioning(), result.toString());
        assertTrue(result.protection().objectLock(), result.toString());
        AuditLog.Protection lab = written(LOCKED, 1).verify().protection();
        assertTrue(lab.objectLock(), "the lab's bucket has Object Lock: " + lab);
        assertEquals("Off", lab.versioning(), "S3Mock's versioning would keep the lab's lock taken once released");
        assertFalse(written(PLAIN, 1).verify().protection().objectLock());
        assertEquals("Off", written(PLAIN, 1).verify().protection().versioning());
    }

    private static Map<String, Object> assertRecord(String text) {
        Map<String, Object> record = AuditChain.read(text);
        assertEquals(AuditChain.text(record), text, "stored as canonical JSON");
        return record;
    }

    @Test
    void s3MockDoesNotEnforceObjectLockSoTheRetentionGafailSendsWithEachRecordIsCheckedOnTheWire() {
        SENT.clear();
        Instant before = Instant.now();
        Log log = written(VERSIONED, 2);
        List<SdkHttpRequest> records = SENT.stream().filter(r -> r.method().name().equals("PUT")
                && r.encodedPath().contains("/audit/records/")).toList();
        assertEquals(2, records.size(), "one create per record");
        for (SdkHttpRequest put : records) {
            assertEquals(List.of("*"), put.headers().get("If-None-Match"), "created only if absent");
            assertEquals(List.of("COMPLIANCE"), put.headers().get("x-amz-object-lock-mode"), put.headers().toString());
            Instant until = Instant.parse(put.headers().get("x-amz-object-lock-retain-until-date").get(0));
            assertTrue(!until.isBefore(before.plus(Duration.ofDays(1))) && until.isBefore(Instant.now()
                    .plus(Duration.ofDays(1)).plusSeconds(5)), "retained the topology's 1 day: " + until);
            assertTrue(put.headers().keySet().stream().anyMatch(h -> h.toLowerCase().startsWith("x-amz-checksum-"))
                    || put.headers().getOrDefault("x-amz-trailer", List.of()).stream()
                    .anyMatch(t -> t.startsWith("x-amz-checksum-")), "S3 requires a checksum with a retention: "
                    + put.headers());
        }
        assertTrue(SENT.stream().noneMatch(r -> r.rawQueryParameters().containsKey("object-lock")
                && r.method().name().equals("PUT")), "never a bucket-wide default retention");
        // What S3 would refuse, S3Mock lets through: it stores no retention from PutObject, and deletes a version.
        S3Exception none = assertThrows(S3Exception.class, () -> s3.getObjectRetention(b -> b.bucket(VERSIONED)
                .key(log.key(1))), "S3Mock keeps no retention sent with PutObject");
        assertEquals(404, none.statusCode());
        String version = s3.headObject(b -> b.bucket(VERSIONED).key(log.key(1))).versionId();
        s3.deleteObject(b -> b.bucket(VERSIONED).key(log.key(1)).versionId(version));
        assertBroken(log.verify(), VERSIONED + "/" + log.key(1), "record 1 is missing");
    }

    @Test
    void anAlteredRecordIsFoundByItsHash() {
        Log log = written(PLAIN, 3);
        put(log, log.key(2), body(log, 2).replace("\"n\":2", "\"n\":7"));

        assertBroken(log.verify(), PLAIN + "/" + log.key(2), "record 2 was altered");
    }

    @Test
    void aRecordRewrittenWithItsChainRecomputedBreaksTheNextLink() {
        Log log = written(PLAIN, 3);
        Map<String, Object> first = AuditChain.read(body(log, 1));
        Map<String, Object> forged = AuditChain.next(Map.of("event", "forged"), first);
        put(log, log.key(2), AuditChain.text(forged));

        assertBroken(log.verify(), PLAIN + "/" + log.key(2), "record 2 was altered: the next record does not chain");
    }

    @Test
    void aRecordDeletedFromAVersionedBucketLeavesADeleteMarkerThatVerifyReports() {
        Log log = written(VERSIONED, 3);
        s3.deleteObject(b -> b.bucket(VERSIONED).key(log.key(2)));

        AuditLog.Verification result = log.verify();
        assertBroken(result, VERSIONED + "/" + log.key(2), "record 2 was deleted at ");
        assertTrue(result.where().contains("(version "), "names the delete marker's version: " + result);
    }

    @Test
    void aRecordDeletedFromAPlainBucketLeavesAGap() {
        Log log = written(PLAIN, 3);
        s3.deleteObject(b -> b.bucket(PLAIN).key(log.key(2)));

        assertBroken(log.verify(), PLAIN + "/" + log.key(2), "record 2 is missing");
    }

    @Test
    void aRecordOverwrittenInAVersionedBucketIsAnExtraVersion() {
        Log log = written(VERSIONED, 3);
        put(log, log.key(3), body(log, 3));

        AuditLog.Verification result = log.verify();
        assertBroken(result, VERSIONED + "/" + log.key(3), "record 3 was overwritten at ");
        List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket(VERSIONED).prefix(log.key(3))).versions();
        assertEquals(2, versions.size());
        assertTrue(result.where().contains(versions.stream().filter(ObjectVersion::isLatest).findFirst().get()
                .versionId()), "names the newer version: " + result);
    }

    @Test
    void anInsertedRecordIsFound() {
        Log copied = written(PLAIN, 3);
        put(copied, copied.key(4), body(copied, 2));
        assertBroken(copied.verify(), PLAIN + "/" + copied.key(4), "holds record 2, not record 4: it was inserted");

        Log stray = written(PLAIN, 2);
        put(stray, stray.prefix() + "audit/records/000000000001.json.bak", body(stray, 1));
        assertBroken(stray.verify(), PLAIN + "/" + stray.prefix() + "audit/records/000000000001.json.bak",
                "not a record's key");
    }

    @Test
    void aRemovedTailIsFoundByTheHeadHint() {
        Log log = written(PLAIN, 3);
        s3.deleteObject(b -> b.bucket(PLAIN).key(log.key(3)));

        assertBroken(log.verify(), PLAIN + "/" + log.key(3), "records at the end were removed");
    }

    @Test
    void twoAppendersAtOnceBothLandChainedOneAfterTheOther() throws Exception {
        Log log = log(LOCKED);
        S3AuditLog other = appender(LOCKED, log.prefix());
        int each = 8;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (S3AuditLog appender : List.of(log.log(), other)) {
                runs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 1; i <= each; i++) {
                        appender.append(Map.of("event", "test", "by", appender == other ? "approve" : "execution",
                                "n", i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }

        AuditLog.Verification result = log.verify();
        assertTrue(result.intact(), result.toString());
        assertEquals(2 * each, result.records(), "no record lost to the other appender");
        List<Object> writers = new ArrayList<>();
        for (long seq = 1; seq <= 2 * each; seq++) {
            writers.add(AuditChain.read(body(log, seq)).get("by"));
        }
        assertEquals(each, writers.stream().filter("approve"::equals).count(), writers.toString());
        assertNull(result.note());
        assertTrue(new String(s3.getObjectAsBytes(b -> b.bucket(LOCKED).key(log.prefix() + "audit/head.json"))
                .asByteArray(), StandardCharsets.UTF_8).contains("\"seq\""), "the head hint is kept");
    }
}
