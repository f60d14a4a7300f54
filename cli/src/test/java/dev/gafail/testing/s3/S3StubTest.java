package dev.gafail.testing.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** S3Stub through the real SDK S3 client: S3's conditional semantics, and their atomicity when writers race. */
class S3StubTest {

    private static final String BUCKET = "gafail-state";
    private static final int RACERS = 20;
    private static final int ROUNDS = 50;

    private S3Stub stub;
    private S3Client s3;

    @BeforeEach
    void start() {
        stub = new S3Stub(BUCKET);
        s3 = S3Client.builder().endpointOverride(stub.url()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        s3.close();
        stub.close();
    }

    @Test
    void putWithIfNoneMatchStarCreatesAKeyOnceThenAnswers412() {
        create("lock", "first");
        S3Exception taken = assertThrows(S3Exception.class, () -> create("lock", "second"));
        assertEquals(412, taken.statusCode());
        assertEquals("PreconditionFailed", taken.awsErrorDetails().errorCode());
        assertEquals("first", read("lock"));
        s3.deleteObject(b -> b.bucket(BUCKET).key("lock"));
        create("lock", "third");
        assertEquals("third", read("lock"));
    }

    @Test
    void putWithIfMatchReplacesOnlyTheCurrentEtagAndFindsNoMissingKey() {
        String first = create("lock", "v1").eTag();
        String second = s3.putObject(b -> b.bucket(BUCKET).key("lock").ifMatch(first), RequestBody.fromString("v2")).eTag();
        assertFalse(first.equals(second));
        S3Exception stale = assertThrows(S3Exception.class,
                () -> s3.putObject(b -> b.bucket(BUCKET).key("lock").ifMatch(first), RequestBody.fromString("v3")));
        assertEquals(412, stale.statusCode());
        assertEquals("v2", read("lock"));
        S3Exception missing = assertThrows(S3Exception.class,
                () -> s3.putObject(b -> b.bucket(BUCKET).key("absent").ifMatch(first), RequestBody.fromString("v1")));
        assertEquals(404, missing.statusCode());
        assertEquals("NoSuchKey", missing.awsErrorDetails().errorCode());
    }

    @Test
    void getAndHeadAnswer412ForAnotherEtagAnd304ForTheCurrentOne() {
        String etag = create("lock", "held").eTag();
        String other = "\"" + "0".repeat(32) + "\"";
        assertEquals("held", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("lock").ifMatch(etag)).asUtf8String());
        assertEquals(412, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("lock").ifMatch(other))).statusCode());
        assertEquals(304, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("lock").ifNoneMatch(etag))).statusCode());
        assertEquals("held", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("lock").ifNoneMatch(other)).asUtf8String());
        assertEquals(etag, s3.headObject(b -> b.bucket(BUCKET).key("lock").ifMatch(etag)).eTag());
        assertEquals(412, assertThrows(S3Exception.class,
                () -> s3.headObject(b -> b.bucket(BUCKET).key("lock").ifMatch(other))).statusCode());
        assertEquals(304, assertThrows(S3Exception.class,
                () -> s3.headObject(b -> b.bucket(BUCKET).key("lock").ifNoneMatch(etag))).statusCode());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(BUCKET).key("absent")));
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("absent")));
    }

    @Test
    void deleteWithIfMatchDeletesOnlyTheCurrentEtag() {
        String first = create("lock", "v1").eTag();
        String second = s3.putObject(b -> b.bucket(BUCKET).key("lock").ifMatch(first), RequestBody.fromString("v2")).eTag();
        S3Exception stale = assertThrows(S3Exception.class, () -> s3.deleteObject(b -> b.bucket(BUCKET).key("lock").ifMatch(first)));
        assertEquals(412, stale.statusCode());
        assertEquals("v2", read("lock"));
        assertEquals(204, s3.deleteObject(b -> b.bucket(BUCKET).key("lock").ifMatch(second)).sdkHttpResponse().statusCode());
        assertThrows(NoSuchKeyException.class, () -> read("lock"));
        S3Exception gone = assertThrows(S3Exception.class, () -> s3.deleteObject(b -> b.bucket(BUCKET).key("lock").ifMatch(second)));
        assertEquals(404, gone.statusCode());
        assertEquals("NoSuchKey", gone.awsErrorDetails().errorCode());
        assertEquals(204, s3.deleteObject(b -> b.bucket(BUCKET).key("lock")).sdkHttpResponse().statusCode());
    }

    @Test
    void repliesCarryTheQuotedMd5AsEtagAndDatesInWholeSecondsOnS3sClock() throws Exception {
        Duration behind = Duration.ofHours(-3);
        stub.clockOffset(behind);
        Instant before = Instant.now().plus(behind).truncatedTo(ChronoUnit.SECONDS);
        PutObjectResponse put = create("lock", "held");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("lock"));
        Instant after = Instant.now().plus(behind);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest("held".getBytes(StandardCharsets.UTF_8)));
        assertEquals('"' + md5 + '"', put.eTag());
        assertEquals(put.eTag(), head.eTag());
        Instant lastModified = head.lastModified();
        Instant date = ZonedDateTime.parse(head.sdkHttpResponse().firstMatchingHeader("Date").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        for (Instant stamp : List.of(lastModified, date)) {
            assertEquals(0, stamp.getNano(), stamp.toString());
            assertTrue(!stamp.isBefore(before) && !stamp.isAfter(after), before + " <= " + stamp + " <= " + after);
        }
        assertTrue(!lastModified.isAfter(date), lastModified + " after the Date " + date);
    }

    @Test
    void listObjectsV2PagesThroughAPrefixInKeyOrder() {
        for (String key : List.of("journal/0003", "journal/0001", "other", "journal/0005", "journal/0002", "journal/0004")) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }
        List<List<String>> pages = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("journal/").maxKeys(2))
                .forEach(page -> pages.add(page.contents().stream().map(S3Object::key).toList()));
        assertEquals(List.of(List.of("journal/0001", "journal/0002"), List.of("journal/0003", "journal/0004"),
                List.of("journal/0005")), pages);
        S3Object listed = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("other")).contents().get(0);
        assertEquals(5L, listed.size());
        assertEquals(s3.headObject(b -> b.bucket(BUCKET).key("other")).eTag(), listed.eTag());
        assertEquals(List.of("journal/0004", "journal/0005"), s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("journal/")
                .startAfter("journal/0003")).contents().stream().map(S3Object::key).toList());
    }

    @Test
    void keysThatUrlsAndXmlMustEscapeComeBackAsWritten() {
        String key = "odd/a b+c&d<e>%f\u00e9";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("odd"));
        assertEquals("odd", read(key));
        for (EncodingType encoding : new EncodingType[] {null, EncodingType.URL}) {
            assertEquals(List.of(key), s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("odd/a b").encodingType(encoding))
                    .contents().stream().map(S3Object::key).toList(), String.valueOf(encoding));
        }
    }

    @Test
    void headBucketKnowsOnlyItsBuckets() {
        assertEquals(200, s3.headBucket(b -> b.bucket(BUCKET)).sdkHttpResponse().statusCode());
        assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket("elsewhere")));
        assertThrows(NoSuchBucketException.class,
                () -> s3.putObject(b -> b.bucket("elsewhere").key("lock"), RequestBody.fromString("held")));
    }

    @Test
    void theSdksChunkedUploadIsStoredAsTheBytesSent() {
        byte[] body = new byte[300_000]; // more than two of the SDK's 128 KiB chunks
        new Random(18).nextBytes(body);
        s3.putObject(b -> b.bucket(BUCKET).key("journal/0001"), RequestBody.fromBytes(body));
        assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("journal/0001")).asByteArray());
    }

    @Test
    void anUploadWhoseTrailingChecksumDoesNotMatchIsRefusedAndNotStored() throws Exception {
        CRC32 crc = new CRC32();
        crc.update("hello".getBytes(StandardCharsets.US_ASCII));
        String right = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        String wrong = Base64.getEncoder().encodeToString(new byte[4]);
        HttpResponse<String> refused = chunkedPut(wrong);
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("<Code>BadDigest</Code>"), refused.body());
        assertThrows(NoSuchKeyException.class, () -> read("raw"));
        assertEquals(200, chunkedPut(right).statusCode());
        assertEquals("hello", read("raw"));
    }

    @Test
    void whatTheStubDoesNotImplementIsRefusedWith501() {
        create("journal/0001", "event");
        S3Exception delimiter = assertThrows(S3Exception.class,
                () -> s3.listObjectsV2(b -> b.bucket(BUCKET).delimiter("/")));
        assertEquals(501, delimiter.statusCode());
        assertEquals("NotImplemented", delimiter.awsErrorDetails().errorCode());
        assertEquals(501, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("journal/0001").range("bytes=0-1"))).statusCode());
    }

    @Test
    void ofTwentyWritersCreatingOneKeyAtOnceExactlyOneSucceeds() throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(RACERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String key = "lock-" + round;
                List<Integer> statuses = race(racers, racer -> () ->
                        s3.putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("racer " + racer)));
                assertOneWinner(round, statuses, key);
            }
        } finally {
            racers.shutdownNow();
        }
    }

    @Test
    void ofTwentyCompareAndSwapsFromOneEtagExactlyOneSucceeds() throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(RACERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String etag = s3.putObject(b -> b.bucket(BUCKET).key("lock"), RequestBody.fromString("renewed")).eTag();
                List<Integer> statuses = race(racers, racer -> () ->
                        s3.putObject(b -> b.bucket(BUCKET).key("lock").ifMatch(etag), RequestBody.fromString("racer " + racer)));
                assertOneWinner(round, statuses, "lock");
            }
        } finally {
            racers.shutdownNow();
        }
    }

    /** Exactly one 200, every other racer 412, and the object holds the winner's body. */
    private void assertOneWinner(int round, List<Integer> statuses, String key) {
        List<Integer> winners = new ArrayList<>();
        for (int racer = 0; racer < statuses.size(); racer++) {
            if (statuses.get(racer) == 200) {
                winners.add(racer);
            } else {
                assertEquals(412, statuses.get(racer), "round " + round + ": " + statuses);
            }
        }
        assertEquals(1, winners.size(), "round " + round + ": " + statuses);
        assertEquals("racer " + winners.get(0), read(key), "round " + round);
    }

    /** Runs one call per racer, all released at once by a barrier; each racer's HTTP status, in racer order. */
    private static List<Integer> race(ExecutorService racers, IntFunction<Runnable> call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(RACERS);
        List<Future<Integer>> outcomes = new ArrayList<>();
        for (int racer = 0; racer < RACERS; racer++) {
            Runnable put = call.apply(racer);
            Callable<Integer> raced = () -> {
                start.await();
                try {
                    put.run();
                    return 200;
                } catch (S3Exception e) {
                    return e.statusCode();
                }
            };
            outcomes.add(racers.submit(raced));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> outcome : outcomes) {
            statuses.add(outcome.get(60, TimeUnit.SECONDS));
        }
        return statuses;
    }

    private PutObjectResponse create(String key, String body) {
        return s3.putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString(body));
    }

    private String read(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
    }

    /** A PutObject of "hello" as the SDK frames it over plain HTTP: aws-chunked, its CRC32 in a trailer. */
    private HttpResponse<String> chunkedPut(String crc32) throws Exception {
        String body = "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:" + crc32 + "\r\n\r\n";
        HttpRequest put = HttpRequest.newBuilder(stub.url().resolve("/" + BUCKET + "/raw"))
                .header("Content-Encoding", "aws-chunked")
                .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .header("x-amz-decoded-content-length", "5")
                .header("x-amz-trailer", "x-amz-checksum-crc32")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpClient http = HttpClient.newHttpClient();
        return http.send(put, HttpResponse.BodyHandlers.ofString());
    }
}
