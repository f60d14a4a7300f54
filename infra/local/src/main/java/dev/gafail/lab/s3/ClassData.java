package dev.gafail.lab.s3;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A class-data archive (CDS) of the server's classes for this JVM: the first run that finds none
 * writes one as it exits (dynamic archiving), and every run after it maps the classes from it, which
 * halves the server's start, in CPU as in time. An archive serves only the JVM that wrote it and the
 * jars it saw, so its name holds a key of each; written under a name of its own and moved into place
 * whole, so that two labs never share a half-written one.
 *
 * @param archive the archive the runs use
 * @param partial where this run writes one, when there is none yet
 * @param jvm     the key of this JVM, the first part of the names of its archives
 */
record ClassData(Path archive, Path partial, String jvm) {

    /** The archive in {@code folder} for this JVM and {@code loopback}, by its size and time (the build remakes it). */
    static ClassData in(Path folder, Path loopback) throws IOException {
        Files.createDirectories(folder);
        String jvm = key(System.getProperty("java.home") + "|" + Runtime.version());
        String jars = key(Files.size(loopback) + "|" + Files.getLastModifiedTime(loopback).toMillis());
        Path archive = folder.resolve("s3mock-" + jvm + "-" + jars + ".jsa");
        Path partial = folder.resolve(archive.getFileName() + "." + UUID.randomUUID() + ".partial");
        return new ClassData(archive, partial, jvm);
    }

    private static String key(String text) {
        return HexFormat.of().toHexDigits(text.hashCode());
    }

    /** The JVM's options: use the archive, or write one at exit; its messages off either way. */
    List<String> options() {
        String use = Files.isRegularFile(archive) ? "-XX:SharedArchiveFile=" + archive
                : "-XX:ArchiveClassesAtExit=" + partial;
        return List.of(use, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * After the server ended by itself (not killed: an archive cut short must not be kept), the archive
     * it wrote becomes the one the next runs use, unless another run's did meanwhile, and this JVM's
     * archives of older jars go: none would serve again.
     */
    void keep(boolean endedCleanly) throws IOException {
        if (endedCleanly && Files.isRegularFile(partial) && !Files.exists(archive)) {
            // a rename: a server that maps the archive meanwhile keeps the one it opened
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            String mine = "s3mock-" + jvm + "-*.jsa";
            try (DirectoryStream<Path> archives = Files.newDirectoryStream(archive.getParent(), mine)) {
                for (Path stale : archives) {
                    if (!stale.equals(archive)) {
                        Files.deleteIfExists(stale);
                    }
                }
            }
        }
        Files.deleteIfExists(partial);
    }
}
