package dev.gafail.lab.s3;

import dev.gafail.servers.ServerBinaries;
import dev.gafail.servers.os.Await;
import dev.gafail.servers.os.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lab's S3: Adobe S3Mock, a maintained S3 implementation, as a child JVM on a port of 127.0.0.1
 * serving one bucket. It binds a port the system picks and writes it to a file (Spring Boot's port-file
 * writer), since a port chosen beforehand stays free for the seconds of its start, while the lab's other
 * parts bind ports the system picks too, and one of them could take it. Its files stay when it stops ({@code retain-files-on-exit}; otherwise
 * its shutdown hook deletes its whole root), so a server started again on the same folder serves
 * them. It is launched without waiting, so that its start (a few seconds of Spring Boot) overlaps the
 * lab's slower parts, and awaited when the lab needs it. Stopped by process id.
 */
public final class S3Server implements AutoCloseable {

    private static final String MAIN = "com.adobe.testing.s3mock.S3MockApplication";
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);
    /** SIGTERM's grace: it ends in a fraction of a second, or in a few when it writes its class-data archive. */
    private static final int STOP_SECONDS = 30;
    private static final int SIGTERM_EXIT = 143;
    private static final int HTTP_OK = 200;
    private static final String S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final ChildProcess process;
    private final Path portFile;
    private final String bucket;
    private final ClassData classData;
    /** 0 until {@link #awaitReady} has read it. */
    private volatile int port;

    private S3Server(ChildProcess process, Path portFile, String bucket, ClassData classData) {
        this.process = process;
        this.portFile = portFile;
        this.bucket = bucket;
        this.classData = classData;
    }

    /** What this build lacks to run the lab's S3, as one line naming it and what to do; empty when nothing. */
    public static Optional<String> missing() {
        try {
            S3MockBuild.located();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Starts S3Mock serving {@code bucket} (created when absent; Object Lock: see {@link #awaitReady}) in {@code region}, its objects under
     * {@code dir}/buckets, Tomcat's work files under {@code dir}/tomcat and a line per request in
     * {@code dir}/access.log, its output appended to {@code log}; returns at once ({@link #awaitReady}). The first start on a machine extracts the
     * server into gafail's cache, where its class-data archives live too.
     */
    public static S3Server launch(String bucket, String region, Path dir, Path log) throws IOException {
        S3MockBuild build = S3MockBuild.located();
        Path extracted = build.extractedIn(ServerBinaries.defaultCache());
        ClassData classData = ClassData.in(extracted.resolve("cds"), build.loopback());
        Path portFile = dir.resolve("port");
        Files.deleteIfExists(portFile);
        Path root = Files.createDirectories(dir.resolve("buckets"));
        Path work = Files.createDirectories(dir.resolve("tomcat"));
        // C1 only and the serial GC: they cut its start's CPU by about a third, on a machine whose other
        // cores start PostgreSQL and sample-api meanwhile.
        List<String> command = new ArrayList<>(List.of(S3MockBuild.java(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx256m", "-DPORTFILE=" + portFile));
        command.addAll(classData.options());
        command.addAll(List.of("-cp", build.applicationJar(extracted) + File.pathSeparator + build.loopback(), MAIN,
                "--server.port=0", "--server.address=127.0.0.1", "--server.ssl.enabled=false",
                // its second, plain-HTTP connector: a free port, on 127.0.0.1 by LoopbackConnectors (no setting can)
                "--com.adobe.testing.s3mock.http-port=0",
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
                "--com.adobe.testing.s3mock.store.region=" + region,
                "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
                "--server.tomcat.basedir=" + work,
                // every request, one line each, unbuffered: what a command asked of the state (bench/state counts them)
                "--server.tomcat.accesslog.enabled=true", "--server.tomcat.accesslog.directory=" + dir,
                "--server.tomcat.accesslog.prefix=access", "--server.tomcat.accesslog.suffix=.log",
                "--server.tomcat.accesslog.rotate=false", "--server.tomcat.accesslog.buffered=false",
                "--server.tomcat.accesslog.pattern=%{yyyy-MM-dd'T'HH:mm:ss.SSSZ}t %m %U%q %s %D",
                "--logging.level.root=WARN", "--spring.main.banner-mode=off"));
        return new S3Server(ChildProcess.start(command, Map.of(), log), portFile, bucket, classData);
    }

    /**
     * Returns once the bucket answers (GetBucketLocation: 200) with Object Lock on; fails when the server
     * exits or is late. S3Mock creates the bucket ({@code initial-buckets}: without it, S3Mock creates a bucket
     * named "" in its root folder, which stops its next start there); Object Lock is put on it here, with no
     * default retention. Not versioning, which S3 turns on with Object Lock: S3Mock 5.0.0 refuses
     * {@code If-None-Match: *} on a key whose current version is a delete marker (S3 accepts it), so the lab's
     * lock, once released, could never be taken again. S3Mock reports Object Lock, but stores no retention sent
     * with PutObject and refuses no overwrite or delete: the lab shows what gafail asks of a locked bucket, not
     * the lock.
     */
    public void awaitReady() throws IOException, InterruptedException {
        process.awaitReady("Adobe S3Mock", "did not serve bucket " + bucket, READY_LIMIT, Duration.ofMillis(100),
                () -> boundPort().isPresent() && Await.ok(URI.create(url() + "/" + bucket + "?location")));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        configure(http, "object-lock", "<ObjectLockConfiguration xmlns=\"" + S3_XMLNS + "\"><ObjectLockEnabled>Enabled"
                + "</ObjectLockEnabled></ObjectLockConfiguration>");
    }

    /** Puts one of the bucket's configurations (the same again on a restart: S3 takes it as it is). */
    private void configure(HttpClient http, String what, String xml) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url() + "/" + bucket + "?" + what))
                .PUT(HttpRequest.BodyPublishers.ofString(xml)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != HTTP_OK) {
            throw new IOException("Adobe S3Mock did not take the " + what + " configuration of bucket " + bucket
                    + ": HTTP " + answer.statusCode() + " " + answer.body().strip());
        }
    }

    /** The port it bound, once its port file holds one (the file is written in place: read until whole). */
    private Optional<Integer> boundPort() throws IOException {
        if (port == 0 && Files.isRegularFile(portFile)) {
            String text = Files.readString(portFile).strip();
            if (text.matches("[0-9]{1,5}")) {
                port = Integer.parseInt(text);
            }
        }
        return port == 0 ? Optional.empty() : Optional.of(port);
    }

    /** Where a client reaches it, once ready: {@code http://127.0.0.1:PORT}, path-style ({@code /BUCKET/KEY}). */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.alive();
    }

    /** SIGTERM (its files kept), SIGKILL if it has not ended within the grace; keeps the archive it wrote. */
    @Override
    public void close() throws InterruptedException {
        boolean running = process.alive();
        process.stop(STOP_SECONDS);
        try {
            classData.keep(running && process.exitValue() == SIGTERM_EXIT);
        } catch (IOException e) {
            // no archive: the next start is only slower
        }
    }
}
