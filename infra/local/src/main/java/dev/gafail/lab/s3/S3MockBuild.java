package dev.gafail.lab.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Adobe S3Mock as this build of the lab has it ({@code s3mock.properties}, written by infra/local's
 * build): its exec jar and the folder of {@code dev.gafail.s3mock.LoopbackConnectors}, where
 * infra/s3mock's build left them. Neither is on gafail's class path: the jar is 61 MB of Spring Boot
 * that gafail's start-up must not read.
 *
 * @param loopback a folder for the server's {@code loader.path}
 */
record S3MockBuild(String version, Path jar, Path loopback) {

    private static final String RESOURCE = "dev/gafail/lab/s3/s3mock.properties";
    private static final String REBUILD = "build the lab with `mvn -pl cli -am package` (./gafail does it)";

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

    /** This, if both are where it says; otherwise an {@link IOException} whose message is one line naming what is missing. */
    S3MockBuild checked() throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no Adobe S3Mock " + version + " (the lab's S3) at " + jar + ": " + REBUILD);
        }
        if (!Files.isDirectory(loopback.resolve("dev/gafail/s3mock"))) {
            throw new IOException("no classes of infra/s3mock (they keep the lab's S3 on 127.0.0.1) in " + loopback
                    + ": " + REBUILD);
        }
        return this;
    }
}
