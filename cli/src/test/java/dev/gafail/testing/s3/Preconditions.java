package dev.gafail.testing.s3;

import dev.gafail.testing.s3.Bucket.StoredObject;
import java.util.Arrays;

/**
 * A request's {@code If-Match} and {@code If-None-Match} (null when absent), judged against the key's
 * current object (null when there is none) as S3 judges them: a value is {@code *} or a list of
 * quoted ETags. A read of a missing key is 404 NoSuchKey; a failed If-Match is 412; a matching
 * If-None-Match is 304 for a read and 412 for a write; a write with If-Match to a missing key is 404
 * NoSuchKey (PutObject and DeleteObject both).
 */
record Preconditions(String ifMatch, String ifNoneMatch) {

    void beforeRead(String key, StoredObject current) throws S3Error {
        if (current == null) {
            throw S3Error.noSuchKey(key);
        }
        check(current, S3Error.notModified());
    }

    void beforeWrite(String key, StoredObject current) throws S3Error {
        if (current == null) {
            if (ifMatch != null) {
                throw S3Error.noSuchKey(key);
            }
            return;
        }
        check(current, S3Error.preconditionFailed("If-None-Match"));
    }

    private void check(StoredObject current, S3Error whenNoneMatchHolds) throws S3Error {
        if (ifMatch != null && !matches(ifMatch, current.etag())) {
            throw S3Error.preconditionFailed("If-Match");
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, current.etag())) {
            throw whenNoneMatchHolds;
        }
    }

    private static boolean matches(String condition, String etag) {
        return Arrays.stream(condition.split(","))
                .map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals('"' + etag + '"') || tag.equals(etag));
    }
}
