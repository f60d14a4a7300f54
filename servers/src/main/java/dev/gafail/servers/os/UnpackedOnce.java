package dev.gafail.servers.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A binary from the class path, unpacked once per version into a cache folder that every user can
 * read (a database may run as nobody) and only its owner can write (binaries run from it, as root
 * too), and reused by every lab and test after that. Unpacking goes to a private folder first and is
 * moved into place whole, so a reader never sees half of it.
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
        try {
            ownCache(cache);
            Path home = cache.resolve(name + "-" + version(source));
            if (Files.isExecutable(home.resolve(marker))) {
                return home;
            }
            Path partial = Files.createTempDirectory(cache, name + "-unpacking-");
            try {
                unpacker.unpack(source, partial);
                readableByAll(partial);
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another lab or test unpacked the same version meanwhile: theirs is as good, once complete.
                if (!Files.isExecutable(home.resolve(marker))) {
                    throw e;
                }
            } finally {
                Trees.delete(partial);
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + name + " into " + cache + ": " + e.getMessage(), e);
        }
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

    /**
     * The same archive unpacks to the same folder wherever its jar lies (the Maven repository, a
     * build's lib/): the version is the entry's name and size, which differ between releases.
     */
    private static String version(URL source) throws IOException {
        String path = source.toString();
        URLConnection connection = source.openConnection();
        connection.setUseCaches(false);
        long size = connection.getContentLengthLong();
        return Integer.toHexString((path.substring(path.lastIndexOf('/') + 1) + ":" + size).hashCode());
    }

    /**
     * Creates the cache folder, or accepts an existing one only if it is a folder of this user's that
     * nobody else can write: in a shared temp folder, someone else's could hold a planted binary.
     */
    private static void ownCache(Path cache) throws IOException {
        if (!Files.exists(cache, LinkOption.NOFOLLOW_LINKS)) {
            Unprivileged.openDirectory(cache);
        }
        UserPrincipal me = cache.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(cache, LinkOption.NOFOLLOW_LINKS);
        if (!Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS) || !Files.getOwner(cache, LinkOption.NOFOLLOW_LINKS)
                .equals(me) || mode.contains(PosixFilePermission.GROUP_WRITE)
                || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(cache + " is not a folder of " + me.getName() + "'s that only they can write;"
                    + " gafail runs binaries from it, so it will not use it: remove it");
        }
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
