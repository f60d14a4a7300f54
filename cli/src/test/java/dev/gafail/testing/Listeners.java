package dev.gafail.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets that processes listen on, as Linux shows them: each process's open sockets
 * ({@code /proc/PID/fd}, by inode) matched with the listening ones of {@code /proc/net/tcp} and
 * {@code tcp6}, which give the address each is bound to. What {@code ss -ltnp} shows, without {@code ss}.
 */
public final class Listeners {

    /** One listening socket: the process that holds it and the address it is bound to. */
    public record Listener(long pid, InetSocketAddress address) {

        public boolean loopback() {
            return address.getAddress().isLoopbackAddress();
        }
    }

    private static final String LISTEN = "0A";

    private Listeners() {
    }

    /** Whether this machine shows sockets so (Linux). */
    public static boolean readable() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** Every socket the processes {@code pids} listen on (those still running). */
    public static List<Listener> of(List<Long> pids) {
        Map<String, Long> inodes = new HashMap<>();
        for (long pid : pids) {
            socketInodes(pid).forEach(inode -> inodes.put(inode, pid));
        }
        List<Listener> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String[] row : rows(Path.of(table))) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                Long pid = inodes.get(row[9]);
                if (row[3].equals(LISTEN) && pid != null) {
                    out.add(new Listener(pid, address(row[1])));
                }
            }
        }
        return out;
    }

    private static List<String> socketInodes(long pid) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        out.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (NoSuchFileException e) {
                    // closed meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            // the process ended meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String[]> rows(Path table) {
        try {
            List<String> lines = Files.readAllLines(table);
            return lines.subList(1, lines.size()).stream().map(l -> l.trim().split("\\s+")).toList();
        } catch (NoSuchFileException e) {
            return List.of(); // no IPv6 here
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code 0100007F:1F90}: the address in hex, each 32-bit word in the machine's byte order (little-endian
     * on the machines the lab runs on), then the port.
     */
    private static InetSocketAddress address(String hex) {
        String[] parts = hex.split(":");
        byte[] raw = HexFormat.of().parseHex(parts[0]);
        byte[] address = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = raw[word + 3 - i];
            }
        }
        try {
            // an IPv4-mapped IPv6 address (::ffff:127.0.0.1) comes back as the IPv4 one
            return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + hex, e);
        }
    }
}
