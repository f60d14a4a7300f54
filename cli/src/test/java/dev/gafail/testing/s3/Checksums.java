package dev.gafail.testing.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The upload checksums S3 verifies: {@code Content-MD5} and the flexible {@code x-amz-checksum-*}
 * ones, sent as a header or as an aws-chunked trailer (the SDK's default is CRC32 in a trailer).
 * CRC64NVME, which the JDK cannot compute, and names this does not know are not verified.
 */
final class Checksums {

    private static final Map<String, Function<byte[], byte[]>> DIGESTS = Map.of(
            "content-md5", body -> digest("MD5", body),
            "x-amz-checksum-crc32", body -> crc(new CRC32(), body),
            "x-amz-checksum-crc32c", body -> crc(new CRC32C(), body),
            "x-amz-checksum-sha1", body -> digest("SHA-1", body),
            "x-amz-checksum-sha256", body -> digest("SHA-256", body));

    private Checksums() {
    }

    /** Checks each checksum in {@code given} (lower-case name to base64 value) that it knows against {@code body}. */
    static void verify(Map<String, String> given, byte[] body) throws S3Error {
        for (Map.Entry<String, String> checksum : given.entrySet()) {
            Function<byte[], byte[]> digest = DIGESTS.get(checksum.getKey());
            if (digest != null && !Base64.getEncoder().encodeToString(digest.apply(body)).equals(checksum.getValue())) {
                throw S3Error.badRequest("BadDigest",
                        "The " + checksum.getKey() + " you specified did not match the calculated checksum.");
            }
        }
    }

    static byte[] digest(String algorithm, byte[] body) {
        try {
            return MessageDigest.getInstance(algorithm).digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
    }

    /** A CRC as S3 writes it: the 32-bit value's four bytes, big-endian. */
    private static byte[] crc(Checksum crc, byte[] body) {
        crc.update(body, 0, body.length);
        return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    }
}
