package dev.gafail.lab.s3;

import dev.gafail.servers.os.ChildProcess;
import dev.gafail.servers.os.UnpackedOnce;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Adobe S3Mock as this build of the lab has it ({@code s3mock.properties}, written by infra/local's
 * build): its exec jar and the jar of {@code dev.gafail.s3mock.LoopbackConnectors}, where infra/s3mock's
 * build left them. Neither is on gafail's class path: the exec jar is 61 MB of Spring Boot that gafail's
 * start-up must not read.
 */
record S3MockBuild(String version, Path jar, Path loopback) {

    private static final String RESOURCE = "dev/gafail/lab/s3/s3mock.properties";
    private static final String REBUILD = "build the lab with `mvn -pl cli -am package` (./gafail does it)";
    private static final Duration EXTRACT_LIMIT = Duration.ofMinutes(2);

    /** Both where the build left them, or an {@link IOException} whose message is one line naming what is missing. */
    static S3MockBuild located() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = S3MockBuild.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("this build of the lab does not say where Adobe S3Mock is (no " + RESOURCE
                        + " on the class path): " + REBUILD);
            }
            properties.load(in);
        }
        return new S3MockBuild(properties.getProperty("version", ""),
                Path.of(properties.getProperty("jar", "")).normalize(),
                Path.of(properties.getProperty("loopback", "")).normalize()).checked();
    }

    /** This, if both are where it says; otherwise an {@link IOException} whose message names what is missing. */
    S3MockBuild checked() throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no Adobe S3Mock " + version + " (the lab's S3) at " + jar + ": " + REBUILD);
        }
        if (!Files.isRegularFile(loopback)) {
            throw new IOException("no " + loopback.getFileName() + " (it keeps the lab's S3 on 127.0.0.1) at "
                    + loopback + ": " + REBUILD);
        }
        return this;
    }

    /**
     * The exec jar extracted once into {@code cache} (Spring Boot's own {@code extract}: the application's
     * jar beside {@code lib/}), the server's class path: plain jars start faster than jars nested in one,
     * and they are what a class-data archive accepts.
     */
    Path extractedIn(Path cache) {
        return UnpackedOnce.in(cache, "s3mock", toUrl(jar), "lib", (source, into) -> {
            try {
                ChildProcess.Finished extract = ChildProcess.run(List.of(java(), "-Djarmode=tools", "-jar",
                        jar.toString(), "extract", "--destination", into.toString()), EXTRACT_LIMIT);
                if (!extract.succeeded()) {
                    throw new IOException("extracting " + jar + ": " + extract.firstLine());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while extracting " + jar, e);
            }
        });
    }

    /** The application's jar in the extracted folder: its manifest names every library in {@code lib/}. */
    Path applicationJar(Path extracted) {
        return extracted.resolve(jar.getFileName());
    }

    /** The java of this JVM, which runs the server too. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static URL toUrl(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path + " as a URL", e);
        }
    }
}
