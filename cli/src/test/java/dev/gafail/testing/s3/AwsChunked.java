package dev.gafail.testing.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an upload in aws-chunked encoding, which the SDK uses by default so that it can send the
 * checksum after the body: chunks of {@code hex-size[;chunk-signature=…]\r\n data\r\n}, a last chunk
 * of size 0, then trailer lines ({@code x-amz-checksum-crc32:…}, {@code x-amz-trailer-signature:…})
 * and an empty line. Chunk and trailer signatures are not checked, as no signature is.
 */
final class AwsChunked {

    /** The upload's body and its trailers, by lower-case name. */
    record Decoded(byte[] body, Map<String, String> trailers) {
    }

    private final byte[] raw;
    private int at;

    private AwsChunked(byte[] raw) {
        this.raw = raw;
    }

    static Decoded decode(byte[] raw) throws S3Error {
        return new AwsChunked(raw).decode();
    }

    private Decoded decode() throws S3Error {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = chunkSize(line()); size > 0; size = chunkSize(line())) {
            if (at + size + 2 > raw.length || raw[at + size] != '\r' || raw[at + size + 1] != '\n') {
                throw malformed("a chunk shorter than its size");
            }
            body.write(raw, at, size);
            at += size + 2;
        }
        Map<String, String> trailers = new HashMap<>();
        for (String line = at < raw.length ? line() : ""; !line.isEmpty(); line = at < raw.length ? line() : "") {
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw malformed("a trailer line without a name: " + line);
            }
            trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Decoded(body.toByteArray(), trailers);
    }

    private String line() throws S3Error {
        for (int end = at; end + 1 < raw.length; end++) {
            if (raw[end] == '\r' && raw[end + 1] == '\n') {
                String line = new String(raw, at, end - at, StandardCharsets.US_ASCII);
                at = end + 2;
                return line;
            }
        }
        throw malformed("a line without its end");
    }

    private static int chunkSize(String header) throws S3Error {
        try {
            return Integer.parseInt(header.split(";", 2)[0].trim(), 16);
        } catch (NumberFormatException e) {
            throw malformed("a chunk header without a size: " + header);
        }
    }

    private static S3Error malformed(String what) {
        return S3Error.badRequest("IncompleteBody", "The aws-chunked body has " + what);
    }
}
