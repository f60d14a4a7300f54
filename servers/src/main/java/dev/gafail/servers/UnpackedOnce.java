package dev.gafail.servers;

import dev.gafail.servers.os.Trees;
import dev.gafail.servers.os.Unprivileged;
import java.io.IOException;
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
import java.util.stream.Stream;

/**
 * A binary from the class path, unpacked once per version into a shared cache folder that every user
 * can read (a database may run as nobody), and reused by every lab and test after that. Unpacking
 * goes to a private folder first and is moved into place whole, so a reader never sees half of it.
 */
public final class UnpackedOnce {

    /** Writes what {@code source} holds into the empty folder {@code into}. */
    @FunctionalInterface
    public interface Unpacker {
        void unpack(URL source, Path into) throws IOException;
    }

    private UnpackedOnce() {
    }

    /**
     * The folder {@code cache/name-VERSION} holding {@code source} unpacked, where {@code marker} (a
     * path inside it) exists once it is complete.
     */
    public static Path in(Path cache, String name, URL source, String marker, Unpacker unpacker) {
        // The resource's URL names its jar and so its version: a new version unpacks beside the old one.
        Path home = cache.resolve(name + "-" + Integer.toHexString(source.toString().hashCode()));
        if (Files.isExecutable(home.resolve(marker))) {
            return home;
        }
        Unprivileged.openDirectory(cache);
        try {
            Path partial = Files.createTempDirectory(cache, name + "-unpacking-");
            unpacker.unpack(source, partial);
            readableByAll(partial);
            try {
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another lab or test unpacked the same version meanwhile; theirs is as good.
                Trees.delete(partial);
            } catch (IOException e) {
                if (!Files.isExecutable(home.resolve(marker))) {
                    throw e;
                }
                Trees.delete(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + name + " into " + cache + ": " + e.getMessage(), e);
        }
        return home;
    }

    /** A file's mode for everyone: readable, and executable where {@code mode} had any execute bit. */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = new HashSet<>(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
        if ((mode & 0111) != 0) {
            out.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return out;
    }

    /** Every folder readable and traversable by all, the unpacking folder too (it was made private). */
    private static void readableByAll(Path tree) throws IOException {
        try (Stream<Path> dirs = Files.walk(tree)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, permissions(0755));
            }
        }
    }
}
