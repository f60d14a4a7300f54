package dev.gafail.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from the machine's binaries, on 127.0.0.1 and a free port.
 * PostgreSQL refuses to run as root; as root (CI) its commands run as the postgres user, in a
 * folder that user owns. Stopped by pid at the end, whatever state it is in.
 */
final class Postgres implements AutoCloseable {

    private static final String OS_USER = "postgres";

    private final Path root;
    private final Path data;
    private final int port;
    private long pid;

    private Postgres(Path root, int port) {
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
    }

    /** A new primary, started. */
    static Postgres primary() {
        Postgres pg = new Postgres(folder("pg-primary"), freePort());
        pg.run(bin("initdb"), "-D", pg.data.toString(), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                "--no-sync");
        pg.configure();
        pg.start();
        return pg;
    }

    /** A streaming replica of this server, started; it is in recovery until {@link #promote()}. */
    Postgres replica() {
        Postgres replica = new Postgres(folder("pg-replica"), freePort());
        replica.run(bin("pg_basebackup"), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                "-D", replica.data.toString(), "-R", "-X", "stream", "--no-sync");
        replica.configure();
        replica.start();
        return replica;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    void promote() {
        run(bin("pg_ctl"), "-D", data.toString(), "promote", "-w", "-t", "30");
    }

    void stop() {
        if (pid == 0) {
            return;
        }
        run(bin("pg_ctl"), "-D", data.toString(), "stop", "-m", "fast", "-w", "-t", "30");
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        });
        pid = 0;
    }

    /** SIGSTOP (or SIGCONT) to the server and its backends: a database that hangs instead of failing. */
    void freeze(boolean frozen) {
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        List<String> command = new ArrayList<>(List.of("kill", frozen ? "-STOP" : "-CONT",
                String.valueOf(server.pid())));
        server.descendants().forEach(p -> command.add(String.valueOf(p.pid())));
        try {
            if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
                throw new IllegalStateException("failed: " + command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            delete(root);
        }
    }

    private void configure() {
        append(data.resolve("postgresql.conf"), String.join("\n",
                "listen_addresses = '127.0.0.1'", "port = " + port, "unix_socket_directories = ''",
                "fsync = off", "synchronous_commit = off", "full_page_writes = off", "wal_level = replica",
                "max_wal_senders = 4", "hot_standby = on", "max_connections = 60", "shared_buffers = 32MB", ""));
    }

    private void start() {
        run(bin("pg_ctl"), "-D", data.toString(), "-l", root.resolve("server.log").toString(), "-w", "-t", "60",
                "start");
        try {
            pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a PostgreSQL command, as the postgres user when we are root; fails with its output. */
    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (isRoot()) {
            line.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        line.addAll(List.of(command));
        try {
            Path output = Files.createTempFile("pg-command", ".log");
            Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(root.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + line);
            }
            String text = Files.readString(output);
            Files.delete(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed:\n" + text + serverLog());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String serverLog() {
        try {
            Path log = root.resolve("server.log");
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The newest PostgreSQL on the machine (Debian puts it in /usr/lib/postgresql/N/bin), or PG_BIN. */
    private static String bin(String name) {
        String configured = System.getenv("PG_BIN");
        Path dir = configured != null ? Path.of(configured) : newestDebianBin().orElseThrow(() ->
                new IllegalStateException("no PostgreSQL server binaries: install the postgresql package "
                        + "(.ci/run does) or set PG_BIN"));
        return dir.resolve(name).toString();
    }

    private static Optional<Path> newestDebianBin() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A folder the server's user owns and can reach (/tmp is world-traversable; JUnit's temp dirs are not). */
    private static Path folder(String prefix) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            if (isRoot()) {
                UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(OS_USER);
                Files.setOwner(dir, owner);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, Files.readString(file) + "\n" + text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp folder is not a test failure
        }
    }
}
