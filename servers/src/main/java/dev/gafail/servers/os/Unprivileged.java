package dev.gafail.servers.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * PostgreSQL refuses to run as root. When the lab or a test runs as root (CI does), database
 * processes run as {@code nobody} through {@code setpriv}, which execs (so the process id is the
 * database's own), in folders that user owns and can reach. Otherwise commands run as they are.
 */
public final class Unprivileged {

    private static final String USER = "nobody";
    private static final String UID = "65534";

    private final boolean root;

    private Unprivileged(boolean root) {
        this.root = root;
    }

    public static Unprivileged detect() {
        return new Unprivileged("root".equals(System.getProperty("user.name")));
    }

    public boolean dropsPrivileges() {
        return root;
    }

    /** {@code command}, run as the unprivileged user when needed. */
    public List<String> command(List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID,
                "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives {@code tree} to the unprivileged user, when there is one to give it to. */
    public void own(Path tree) {
        if (!root) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            UserPrincipalLookupService lookup = tree.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = lookup.lookupPrincipalByName(USER);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(groupOfUid());
            for (Path path : (Iterable<Path>) paths::iterator) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                view.setOwner(user);
                view.setGroup(group);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + tree + " to " + USER, e);
        }
    }

    /** The group with the unprivileged user's id: Debian calls it nogroup, others nobody. */
    private static String groupOfUid() {
        try {
            return Files.readAllLines(Path.of("/etc/group")).stream().filter(l -> l.split(":").length > 2
                    && l.split(":")[2].equals(UID)).map(l -> l.split(":")[0]).findFirst().orElse(USER);
        } catch (IOException e) {
            return USER;
        }
    }

    /** Creates {@code dir} (and parents) readable and traversable by everyone. */
    public static Path openDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
