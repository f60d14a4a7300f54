package dev.gafail.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The few S3 operations the team's state needs, with S3's conditional writes: create only if absent
 * ({@code If-None-Match: *}), replace or delete only if unchanged ({@code If-Match}). A condition that
 * does not hold is an answer (empty, false), not an error; a bucket that does not answer is an
 * {@link UncheckedIOException} naming it.
 */
final class S3Objects {

    /** S3 answers a conditional write that raced another on the same key with 409; trying again settles it. */
    private static final int CONFLICT_TRIES = 5;

    private final S3Client s3;
    private final String bucket;

    S3Objects(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** An object as read: its bytes, its ETag, when S3 last wrote it, and S3's own clock at the answer. */
    record Found(byte[] bytes, String etag, Instant lastModified, Instant date) {
    }

    Optional<Found> get(String key) {
        try {
            ResponseBytes<GetObjectResponse> got = call("GetObject", key, () -> s3.getObjectAsBytes(b -> b.bucket(bucket)
                    .key(key)));
            GetObjectResponse response = got.response();
            return Optional.of(new Found(got.asByteArray(), response.eTag(), response.lastModified(),
                    date(response.sdkHttpResponse())));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Creates {@code key}, or empty when it exists already. */
    Optional<String> create(String key, byte[] bytes) {
        return create(key, bytes, b -> { });
    }

    /** Creates {@code key} with what {@code extra} adds to the request (a retention), or empty when it exists. */
    Optional<String> create(String key, byte[] bytes, Consumer<PutObjectRequest.Builder> extra) {
        return conditional("PutObject", key, () -> s3.putObject(b -> extra.accept(b.bucket(bucket).key(key)
                .ifNoneMatch("*")), RequestBody.fromBytes(bytes)).eTag());
    }

    /** Writes {@code key} whatever it holds. */
    void put(String key, byte[] bytes) {
        call("PutObject", key, () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)));
    }

    /** Every version and delete marker under {@code prefix}, every page of them. */
    record Versions(List<ObjectVersion> versions, List<DeleteMarkerEntry> deleteMarkers) {
    }

    Versions versions(String prefix) {
        return call("ListObjectVersions", prefix, () -> {
            List<ObjectVersion> versions = new ArrayList<>();
            List<DeleteMarkerEntry> markers = new ArrayList<>();
            s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(prefix)).forEach(page -> {
                versions.addAll(page.versions());
                markers.addAll(page.deleteMarkers());
            });
            return new Versions(versions, markers);
        });
    }

    /** The bucket's versioning status: Enabled, Suspended, or Off when it was never enabled. */
    String versioning() {
        String status = call("GetBucketVersioning", "", () -> s3.getBucketVersioning(b -> b.bucket(bucket)))
                .statusAsString();
        return status == null || status.isEmpty() ? "Off" : status;
    }

    /** Whether the bucket has Object Lock enabled. */
    boolean objectLock() {
        return absentAs("GetObjectLockConfiguration", "", () -> s3.getObjectLockConfiguration(b -> b.bucket(bucket)))
                .map(r -> r.objectLockConfiguration() != null
                        && r.objectLockConfiguration().objectLockEnabled() == ObjectLockEnabled.ENABLED)
                .orElse(false);
    }

    /** The retention of {@code key}'s current version; empty when it has none. */
    Optional<ObjectLockRetention> retention(String key) {
        return absentAs("GetObjectRetention", key, () -> s3.getObjectRetention(b -> b.bucket(bucket).key(key)))
                .map(r -> r.retention());
    }

    /**
     * One call whose "there is none" answer is empty: S3 says so with 404 (no configuration, no retention),
     * and with 400 InvalidRequest for a bucket without Object Lock (S3Mock too, for the configuration); an
     * S3-compatible store without Object Lock may answer 501 NotImplemented, which means none as well.
     */
    private <T> Optional<T> absentAs(String operation, String key, Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(code) || e.statusCode() == 400
                    && "InvalidRequest".equals(code) || e.statusCode() == 501) {
                return Optional.empty();
            }
            throw unavailable(operation, key, e);
        } catch (SdkException e) {
            throw unavailable(operation, key, e);
        }
    }

    /** Replaces {@code key} if it still has {@code etag}; its new ETag, or empty when it changed or is gone. */
    Optional<String> replace(String key, byte[] bytes, String etag) {
        return conditional("PutObject", key, () -> s3.putObject(b -> b.bucket(bucket).key(key).ifMatch(etag),
                RequestBody.fromBytes(bytes)).eTag());
    }

    /** Deletes {@code key} if it still has {@code etag}; false when it changed or is gone. */
    boolean delete(String key, String etag) {
        return conditional("DeleteObject", key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(etag)))
                .isPresent();
    }

    void delete(String key) {
        call("DeleteObject", key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    /** The keys under {@code prefix}, in key order, every page of them. */
    List<S3Object> list(String prefix) {
        return call("ListObjectsV2", prefix, () -> {
            List<S3Object> out = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(out::add);
            return out;
        });
    }

    String url(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private <T> Optional<T> conditional(String operation, String key, Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Optional.of(call(operation, key, write));
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || noSuchKey(e)) {
                    return Optional.empty();
                }
                if (e.statusCode() != 409 || attempt >= CONFLICT_TRIES) {
                    throw unavailable(operation, key, e);
                }
            }
        }
    }

    /**
     * Runs one call; S3's answers that the callers read (412, 409, a key that does not exist) pass as
     * they are. Any other error, a bucket that does not exist included, is the bucket's.
     */
    private <T> T call(String operation, String key, Supplier<T> call) {
        try {
            return call.get();
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || noSuchKey(e)) {
                throw e;
            }
            throw unavailable(operation, key, e);
        } catch (SdkException e) {
            throw unavailable(operation, key, e);
        }
    }

    /** A 404 for the key, not for the bucket: only {@code NoSuchKey} means the object is absent. */
    private static boolean noSuchKey(S3Exception e) {
        return e instanceof NoSuchKeyException || e.statusCode() == 404 && e.awsErrorDetails() != null
                && "NoSuchKey".equals(e.awsErrorDetails().errorCode());
    }

    private UncheckedIOException unavailable(String operation, String key, SdkException e) {
        return new UncheckedIOException((e instanceof S3Exception ? "the state bucket refused: " : "the state bucket"
                + " did not answer: ") + url(key) + ": " + AwsErrors.describe(operation, e), new IOException(e));
    }

    /** S3's clock when it answered, to judge a lease by; the local clock's if it sent none. */
    private static Instant date(SdkHttpResponse response) {
        return response.firstMatchingHeader("Date").flatMap(d -> {
            try {
                return Optional.of(ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }).orElseGet(Instant::now);
    }
}
