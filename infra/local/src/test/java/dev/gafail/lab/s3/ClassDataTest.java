package dev.gafail.lab.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3Mock's class-data archive: written once, kept only whole, one per JVM and jar. */
class ClassDataTest {

    @TempDir
    Path dir;
    private Path loopback;

    @BeforeEach
    void loopbackJar() throws IOException {
        loopback = Files.writeString(dir.resolve("loopback.jar"), "jar");
    }

    private ClassData classData() throws IOException {
        return ClassData.in(dir.resolve("cds"), loopback);
    }

    @Test
    void theFirstRunWritesAnArchiveAtExitUnderANameOfItsOwnAndTheNextUseIt() throws IOException {
        ClassData first = classData();
        assertEquals(List.of("-XX:ArchiveClassesAtExit=" + first.partial(), "-Xlog:cds=off", "-Xlog:cds+dynamic=off"),
                first.options());
        Files.writeString(first.partial(), "archive");
        first.keep(true);
        assertEquals("archive", Files.readString(first.archive()));
        assertFalse(Files.exists(first.partial()));
        assertEquals("-XX:SharedArchiveFile=" + first.archive(), classData().options().get(0));
    }

    @Test
    void anArchiveOfAServerThatWasKilledIsNotKept() throws IOException {
        ClassData run = classData();
        Files.writeString(run.partial(), "cut short");
        run.keep(false);
        assertFalse(Files.exists(run.archive()));
        assertFalse(Files.exists(run.partial()));
    }

    @Test
    void aNewArchiveReplacesThisJvmsArchivesOfOlderJarsAndLeavesOtherJvmsAlone() throws IOException {
        ClassData run = classData();
        Path older = Files.writeString(run.archive().resolveSibling("s3mock-" + run.jvm() + "-00000000.jsa"), "old");
        Path otherJvm = Files.writeString(run.archive().resolveSibling("s3mock-ffffffff-00000000.jsa"), "other");
        Files.writeString(run.partial(), "archive");
        run.keep(true);
        try (Stream<Path> files = Files.list(run.archive().getParent())) {
            assertEquals(Set.of(otherJvm, run.archive()), files.collect(Collectors.toSet()), "not " + older);
        }
    }
}
