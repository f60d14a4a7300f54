package dev.gafail.testing.s3;

/**
 * A reply other than success, as S3 gives it: a status and an error code for the XML error document.
 * 304 Not Modified is one too, because S3's documentation and the SDK treat it as a failed read.
 */
final class S3Error extends Exception {

    final int status;
    final String code;

    S3Error(int status, String code, String message) {
        super(message, null, false, false); // control flow, not a fault: no stack trace to fill
        this.status = status;
        this.code = code;
    }

    static S3Error noSuchKey(String key) {
        return new S3Error(404, "NoSuchKey", "The specified key does not exist: " + key);
    }

    static S3Error noSuchBucket(String bucket) {
        return new S3Error(404, "NoSuchBucket", "The specified bucket does not exist: " + bucket);
    }

    static S3Error preconditionFailed(String header) {
        return new S3Error(412, "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold: " + header);
    }

    static S3Error notModified() {
        return new S3Error(304, "NotModified", "Not Modified");
    }

    /** What this stub does not do, said so rather than ignored, so that a test cannot pass by a silent omission. */
    static S3Error notImplemented(String what) {
        return new S3Error(501, "NotImplemented", "S3Stub does not implement " + what);
    }

    static S3Error badRequest(String code, String message) {
        return new S3Error(400, code, message);
    }
}
