package dev.gafail.lab.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the lab finds Adobe S3Mock, and the one line it says when the build did not leave it there. */
class S3MockBuildTest {

    @TempDir
    Path dir;

    @Test
    void theBuildLeavesTheServerAndItsLoopbackClassesOffTheClassPathWhereTheLabFindsThem() throws IOException {
        S3MockBuild build = S3MockBuild.located();
        assertEquals("s3mock-" + build.version() + "-exec.jar", build.jar().getFileName().toString());
        assertTrue(Files.size(build.jar()) > 10_000_000, "the exec jar, not the thin one");
        assertEquals("gafail-s3mock-0.1.0-SNAPSHOT-loopback.jar", build.loopback().getFileName().toString());
        assertEquals(Optional.empty(), S3Server.missing());
        // not on the lab's class path, so not in gafail's lib/ either
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.gafail.s3mock.LoopbackConnectors"));
        assertNull(getClass().getClassLoader().getResource(
                "BOOT-INF/classes/com/adobe/testing/s3mock/S3MockApplication.class"));
    }

    @Test
    void anAbsentJarIsOneLineNamingItAndHowToBuildIt() {
        Path jar = dir.resolve("s3mock-5.0.0-exec.jar");
        IOException e = assertThrows(IOException.class, () -> new S3MockBuild("5.0.0", jar, jar).checked());
        assertEquals("no Adobe S3Mock 5.0.0 (the lab's S3) at " + jar + ": build the lab with `mvn -pl cli -am"
                + " package` (./gafail does it)", e.getMessage());
    }

    @Test
    void anAbsentLoopbackJarIsOneLineToo() throws IOException {
        Path jar = Files.writeString(dir.resolve("s3mock-5.0.0-exec.jar"), "");
        Path loopback = dir.resolve("gafail-s3mock-loopback.jar");
        IOException e = assertThrows(IOException.class, () -> new S3MockBuild("5.0.0", jar, loopback).checked());
        assertEquals("no gafail-s3mock-loopback.jar (it keeps the lab's S3 on 127.0.0.1) at " + loopback + ": build"
                + " the lab with `mvn -pl cli -am package` (./gafail does it)", e.getMessage());
    }
}
