package dev.gafail.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One execution per topology (or per runbook file) at a time. The lock is an OS file lock, which
 * the kernel releases when its process dies, so a crashed holder never blocks the next operator;
 * the file also names the holder, for the message a second operator sees.
 */
public final class ExecutionLock implements Lease {

    /**
     * Who holds a lock.
     *
     * @param identity     the AWS identity (ARN) it acts as, when the lock is shared in a bucket; else null
     * @param leaseSeconds how long a lock in a bucket stays the holder's without renewal; else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Holder(String scope, String user, String host, long pid, Instant processStart, Instant since,
                         String execution, String identity, Long leaseSeconds) {

        public Holder(String scope, String user, String host, long pid, Instant processStart, Instant since,
                      String execution) {
            this(scope, user, host, pid, processStart, since, execution, null, null);
        }

        public Holder shared(String identity, long leaseSeconds) {
            return new Holder(scope, user, host, pid, processStart, since, execution, identity, leaseSeconds);
        }

        public String describe() {
            return user + "@" + host + " pid " + pid + (identity == null ? "" : " as " + identity) + " since " + since
                    + (execution == null ? "" : " (execution " + execution + ")");
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Holder holder;
    private final Holder stale;

    private ExecutionLock(Path file, FileChannel channel, FileLock lock, Holder holder, Holder stale) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.holder = holder;
        this.stale = stale;
    }

    @Override
    public Holder holder() {
        return holder;
    }

    /** The lock file of a scope such as {@code runbook:/abs/path.yaml} or {@code topology:orders-api}. */
    public static Path fileFor(Path locks, String scope) {
        return locks.resolve(name(scope) + ".lock");
    }

    /** A scope's lock name, safe in a file name or an object key: its last part and a hash of all of it. */
    public static String name(String scope) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
            String name = scope.replaceAll(".*[/:]", "").replaceAll("[^A-Za-z0-9._-]", "_");
            return name + "-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Takes the lock or fails with exit 5 naming the holder.
     *
     * @throws GafailException LOCKED when another live execution holds it
     */
    public static ExecutionLock acquire(Path locks, Holder me) {
        Path file = fileFor(locks, me.scope());
        try {
            Files.createDirectories(locks);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                String holder = awaitHolder(file).map(Holder::describe).orElse("an unknown process");
                throw new GafailException(ExitCode.LOCKED, "another execution holds the lock for " + me.scope()
                        + ": " + holder + "; wait for it, or if it is gone for good: --force-unlock");
            }
            Optional<Holder> previous = parse(content(channel));
            write(channel, me);
            return new ExecutionLock(file, channel, lock, me, previous.orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /** What a forced unlock cleared: the holder its file named, or, when it named none readably, what it held. */
    public record Forced(Holder holder, String content) {
    }

    /**
     * Clears a lock whose holder is gone: the kernel's lock decides, never the file's content, which
     * a crash or an editor may have garbled. Refuses (exit 5) while any process holds it. The file is
     * emptied, never deleted: a process that had opened the old file would otherwise lock an orphan
     * while the next one locks a new file, and both would run.
     *
     * @throws GafailException LOCKED while a process holds the lock
     */
    public static Forced forceUnlock(Path locks, String scope) {
        Path file = fileFor(locks, scope);
        try {
            Files.createDirectories(locks);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock lock = tryLock(channel)) {
                byte[] content = content(channel);
                Optional<Holder> named = parse(content);
                if (lock == null) {
                    throw new GafailException(ExitCode.LOCKED, "the lock for " + scope + " is held by a running "
                            + "process (" + named.map(h -> "its lock file names " + h.describe())
                            .orElse("its lock file does not say which") + "); stop that process rather than"
                            + " force the lock");
                }
                channel.truncate(0);
                channel.force(true);
                return new Forced(named.orElse(null), named.isPresent() ? null : describe(content));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /** The lock, or null when another process, or this very JVM, holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** A lock file's content for the audit log, without the bytes themselves (they may be anything). */
    private static String describe(byte[] content) {
        return content.length == 0 ? "empty" : content.length + " bytes that name no holder";
    }

    /** The holder of a lock just found taken; it may not have written its name yet, so give it a moment. */
    private static Optional<Holder> awaitHolder(Path file) {
        for (int attempt = 0; attempt < 40; attempt++) {
            Optional<Holder> holder = holder(file);
            if (holder.isPresent()) {
                return holder;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.empty();
    }

    /** The holder the file names, if any (an empty or garbled file names none). */
    public static Optional<Holder> holder(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return parse(content(channel));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A holder that died without releasing: the kernel freed the lock, but the file still named it. */
    @Override
    public Optional<Holder> staleHolder() {
        return Optional.ofNullable(stale);
    }

    /** The file's first 64 KiB: a holder record is far smaller, and a huge file is garbage anyway. */
    private static byte[] content(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 64 * 1024));
        channel.read(buffer, 0);
        return java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static Optional<Holder> parse(byte[] content) {
        try {
            return Optional.of(Json.MAPPER.readValue(content, Holder.class));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void write(FileChannel channel, Holder holder) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(holder)), 0);
        channel.force(true);
    }

    /** The kernel's lock is held until this process releases it or ends: it cannot be lost. */
    @Override
    public void check() {
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file + ": " + IoErrors.reason(e), e);
        }
    }
}
