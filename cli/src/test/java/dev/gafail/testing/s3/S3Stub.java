package dev.gafail.testing.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.Options.ChunkedEncodingPolicy;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.gafail.testing.s3.Bucket.Page;
import dev.gafail.testing.s3.Bucket.StoredObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An in-memory S3 on 127.0.0.1 for tests that need S3's documented semantics under concurrency,
 * which Adobe S3Mock lacks (its conditional writes check and write in two steps, so racing
 * {@code If-None-Match: *} PUTs of one key can all succeed). It answers, path-style, what the AWS
 * SDK for Java v2 sends for PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2 (prefix,
 * start-after, continuation token, max-keys) and HeadBucket, as S3 documents them:
 * <ul>
 * <li>Conditional writes, <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html">
 * conditional-writes</a> and <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html">PutObject</a>:
 * {@code If-None-Match: *} gives 412 PreconditionFailed when the key exists; {@code If-Match: etag} gives 412 on
 * another ETag and 404 NoSuchKey when there is no object. Each check and its write are one atomic step
 * ({@link Bucket}); S3's other answer to a race, 409 ConditionalRequestConflict, never comes from here.</li>
 * <li>Conditional deletes, <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html">
 * conditional-deletes</a>: {@code If-Match} as for PutObject; a delete without it answers 204 whether or not the key
 * exists.</li>
 * <li>Conditional reads, <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html">GetObject</a>
 * and <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html">HeadObject</a>: {@code If-Match}
 * 412, {@code If-None-Match} 304 Not Modified.</li>
 * <li>Every reply carries {@code Date}; objects carry {@code ETag} (the quoted MD5 of the body) and
 * {@code Last-Modified}, both dates RFC 1123 in whole seconds on the stub's clock ({@link #clockOffset}); errors
 * are S3's <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html">XML error documents</a>
 * (no body on HEAD, as S3).</li>
 * <li>Uploads in the SDK's default aws-chunked encoding with a trailing checksum
 * (<a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html">sigv4-streaming-trailers</a>)
 * are decoded, and their checksums verified: a mismatch is 400 BadDigest ({@link Checksums}).</li>
 * </ul>
 * Signatures are not checked. Anything else (another operation, header or parameter that would change
 * the answer, such as {@code Range} or {@code delimiter}) is 501 NotImplemented, never silently ignored.
 * For an S3 that hangs or refuses connections, put the lab's {@code TcpProxy} in front of it.
 * WireMock serves it rather than the JDK's HttpServer, because that one overwrites the {@code Date}
 * header with the local clock.
 */
public final class S3Stub implements AutoCloseable {

    /** Room for many more concurrent requests than a race test makes: a smaller pool would queue racers and hide races. */
    private static final int SERVER_THREADS = 64;
    private static final byte[] NO_BODY = new byte[0];
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LISTING_DATE = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Set<String> UNSUPPORTED_HEADERS = Set.of("Range", "If-Modified-Since", "If-Unmodified-Since",
            "x-amz-copy-source", "x-amz-if-match-last-modified-time", "x-amz-if-match-size");
    private static final Set<String> LIST_PARAMETERS = Set.of("list-type", "prefix", "start-after",
            "continuation-token", "max-keys", "encoding-type");
    /** The SDK names some operations in the query ({@code ?x-id=PutObject}); that names, it changes nothing. */
    private static final Set<String> OBJECT_PARAMETERS = Set.of("x-id");
    private static final int MAX_KEYS = 1000;

    /** A reply before the headers every reply carries. */
    private record Reply(int status, Map<String, String> headers, byte[] body) {
    }

    private final Map<String, Bucket> buckets = new HashMap<>();
    private final WireMockServer server;
    private volatile Duration clockOffset = Duration.ZERO;
    private volatile boolean out;

    /** Starts on a free port of 127.0.0.1 with these (empty) buckets. */
    public S3Stub(String... bucketNames) {
        for (String name : bucketNames) {
            buckets.put(name, new Bucket(this::now));
        }
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(SERVER_THREADS)
                .disableRequestJournal().gzipDisabled(true).useChunkedTransferEncoding(ChunkedEncodingPolicy.NEVER)
                .extensions(new Answer()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
    }

    /** The endpoint for the SDK's {@code endpointOverride}, with {@code forcePathStyle(true)}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Sets S3's clock this far from the local one: the {@code Date} of every reply, the {@code Last-Modified} of every write. */
    public void clockOffset(Duration offset) {
        clockOffset = offset;
    }

    /** While on, every request's connection is reset before an answer, as a bucket out of reach. */
    public void outage(boolean on) {
        out = on;
    }

    /** The time on S3's clock. */
    public Instant now() {
        return Instant.now().plus(clockOffset);
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Answer implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "s3-stub";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            if (out) {
                return new ResponseDefinitionBuilder().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            }
            Request request = event.getRequest();
            boolean head = request.getMethod().getName().equals("HEAD");
            Reply reply;
            try {
                reply = route(request);
            } catch (S3Error e) {
                reply = errorReply(e, head);
            }
            ResponseDefinitionBuilder answer = new ResponseDefinitionBuilder().withStatus(reply.status())
                    .withHeader("Date", HTTP_DATE.format(now()))
                    .withHeader("x-amz-request-id", UUID.randomUUID().toString());
            reply.headers().forEach(answer::withHeader);
            // A HEAD reply has the length its GET would have, and no body.
            return (head ? answer.withHeader("Content-Length", String.valueOf(reply.body().length))
                    : answer.withBody(reply.body())).build();
        }
    }

    private Reply route(Request request) throws S3Error {
        URI uri = URI.create(request.getUrl());
        String path = uri.getPath();
        int slash = path.indexOf('/', 1);
        String bucketName = path.substring(1, slash < 0 ? path.length() : slash);
        String key = slash < 0 ? "" : path.substring(slash + 1);
        Map<String, String> query = query(uri.getRawQuery());
        for (String header : UNSUPPORTED_HEADERS) {
            if (request.containsHeader(header)) {
                throw S3Error.notImplemented("the header " + header);
            }
        }
        Bucket bucket = buckets.get(bucketName);
        if (bucket == null) {
            throw S3Error.noSuchBucket(bucketName);
        }
        String method = request.getMethod().getName();
        if (key.isEmpty()) {
            if (method.equals("HEAD") && query.isEmpty()) {
                return new Reply(200, Map.of(), NO_BODY);
            }
            if (method.equals("GET") && "2".equals(query.get("list-type"))) {
                return list(bucketName, bucket, query);
            }
            throw S3Error.notImplemented(method + " " + request.getUrl());
        }
        onlyKnown(query, OBJECT_PARAMETERS);
        Preconditions when = new Preconditions(header(request, "If-Match"), header(request, "If-None-Match"));
        return switch (method) {
            case "PUT" -> put(bucket, key, when, request);
            case "GET", "HEAD" -> objectReply(bucket.get(key, when));
            case "DELETE" -> {
                if (when.ifNoneMatch() != null) {
                    throw S3Error.notImplemented("If-None-Match on DeleteObject");
                }
                bucket.delete(key, when);
                yield new Reply(204, Map.of(), NO_BODY);
            }
            default -> throw S3Error.notImplemented(method + " of an object");
        };
    }

    private static Reply put(Bucket bucket, String key, Preconditions when, Request request) throws S3Error {
        if (when.ifNoneMatch() != null && !when.ifNoneMatch().equals("*")) {
            throw S3Error.notImplemented("If-None-Match other than * on PutObject");
        }
        String contentType = header(request, "Content-Type");
        StoredObject stored = bucket.put(key, when, uploaded(request),
                contentType == null ? "binary/octet-stream" : contentType);
        return new Reply(200, Map.of("ETag", quoted(stored.etag())), NO_BODY);
    }

    /** The body as the client meant it, out of aws-chunked framing, its checksums verified. */
    private static byte[] uploaded(Request request) throws S3Error {
        byte[] body = request.getBody();
        Map<String, String> checksums = new HashMap<>();
        for (String name : request.getAllHeaderKeys()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-checksum-") || lower.equals("content-md5")) {
                checksums.put(lower, request.getHeader(name));
            }
        }
        String sha256 = header(request, "x-amz-content-sha256");
        if (sha256 != null && sha256.startsWith("STREAMING-")) {
            AwsChunked.Decoded upload = AwsChunked.decode(body);
            body = upload.body();
            String declared = header(request, "x-amz-decoded-content-length");
            if (declared != null && !declared.equals(String.valueOf(body.length))) {
                throw S3Error.badRequest("IncompleteBody", "The body has " + body.length + " bytes, not " + declared);
            }
            String trailer = header(request, "x-amz-trailer");
            if (trailer != null && !upload.trailers().containsKey(trailer.toLowerCase(Locale.ROOT))) {
                throw S3Error.badRequest("MalformedTrailerError", "The trailer " + trailer + " is missing");
            }
            checksums.putAll(upload.trailers());
        }
        Checksums.verify(checksums, body);
        return body;
    }

    /** The object for GET; for HEAD the same, its body left out when the reply is written. */
    private static Reply objectReply(StoredObject object) {
        return new Reply(200, Map.of("ETag", quoted(object.etag()), "Last-Modified", HTTP_DATE.format(object.lastModified()),
                "Content-Type", object.contentType()), object.body());
    }

    private static Reply list(String bucketName, Bucket bucket, Map<String, String> query) throws S3Error {
        onlyKnown(query, LIST_PARAMETERS);
        String prefix = query.getOrDefault("prefix", "");
        String token = query.get("continuation-token");
        int maxKeys = maxKeys(query.get("max-keys"));
        Page page = bucket.list(prefix, token == null ? query.getOrDefault("start-after", "") : fromToken(token), maxKeys);
        // A client may ask for url-encoded keys (XML cannot carry every character); the SDK decodes them when the reply says so.
        boolean urlEncoded = "url".equals(query.get("encoding-type"));
        Xml xml = new Xml().open("ListBucketResult", "http://s3.amazonaws.com/doc/2006-03-01/")
                .element("Name", bucketName)
                .element("Prefix", encoded(prefix, urlEncoded))
                .element("KeyCount", page.objects().size())
                .element("MaxKeys", maxKeys)
                .element("IsTruncated", page.truncated());
        if (urlEncoded) {
            xml.element("EncodingType", "url");
        }
        if (token != null) {
            xml.element("ContinuationToken", token);
        }
        if (page.truncated()) {
            xml.element("NextContinuationToken", toToken(page.objects().get(page.objects().size() - 1).key()));
        }
        for (Bucket.Listed listed : page.objects()) {
            xml.open("Contents")
                    .element("Key", encoded(listed.key(), urlEncoded))
                    .element("LastModified", LISTING_DATE.format(listed.object().lastModified()))
                    .element("ETag", quoted(listed.object().etag()))
                    .element("Size", listed.object().body().length)
                    .element("StorageClass", "STANDARD")
                    .close("Contents");
        }
        return new Reply(200, Map.of("Content-Type", "application/xml"), xml.close("ListBucketResult").bytes());
    }

    private static Reply errorReply(S3Error error, boolean head) {
        if (head || error.status == 304) {
            return new Reply(error.status, Map.of(), NO_BODY);
        }
        byte[] document = new Xml().open("Error").element("Code", error.code).element("Message", error.getMessage())
                .close("Error").bytes();
        return new Reply(error.status, Map.of("Content-Type", "application/xml"), document);
    }

    private static int maxKeys(String given) throws S3Error {
        try {
            int maxKeys = given == null ? MAX_KEYS : Integer.parseInt(given);
            if (maxKeys < 0) {
                throw new NumberFormatException(given);
            }
            return Math.min(maxKeys, MAX_KEYS);
        } catch (NumberFormatException e) {
            throw S3Error.badRequest("InvalidArgument", "max-keys must be a whole number of 0 or more: " + given);
        }
    }

    /** A continuation token names the last key of the page before; clients take it as opaque. */
    private static String toToken(String lastKey) {
        return Base64.getUrlEncoder().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String fromToken(String token) throws S3Error {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw S3Error.badRequest("InvalidArgument", "The continuation token provided is incorrect");
        }
    }

    private static String encoded(String text, boolean urlEncoded) {
        return urlEncoded ? URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20") : text;
    }

    private static void onlyKnown(Map<String, String> query, Set<String> known) throws S3Error {
        for (String name : query.keySet()) {
            if (!known.contains(name)) {
                throw S3Error.notImplemented("the parameter " + name);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static String header(Request request, String name) {
        return request.containsHeader(name) ? request.getHeader(name) : null;
    }

    private static String quoted(String etag) {
        return '"' + etag + '"';
    }
}
