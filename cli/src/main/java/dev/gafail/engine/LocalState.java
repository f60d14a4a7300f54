package dev.gafail.engine;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * gafail's state folder ({@code .gafail/} in the working directory, or {@code $GAFAIL_HOME}): one
 * folder per execution with its journal and the runbook it ran, and the locks, which the kernel holds.
 */
public final class LocalState implements StateBackend {

    public static final String JOURNAL = "journal.jsonl";
    public static final String RUNBOOK_COPY = "runbook.yaml";
    public static final String TOPOLOGY_COPY = "topology.yaml";
    private static final String ABORT = "abort.json";

    private final Path home;

    public LocalState(Path home) {
        this.home = home;
    }

    @Override
    public String location() {
        return home.toString();
    }

    @Override
    public AuditLog audit() {
        return new LocalAuditLog(home.resolve("audit.jsonl"));
    }

    public Path locks() {
        return home.resolve("locks");
    }

    public Path directory(String id) {
        return home.resolve("executions").resolve(id);
    }

    public Path journalFile(String id) {
        return directory(id).resolve(JOURNAL);
    }

    @Override
    public String journalName(String id) {
        return journalFile(id).toString();
    }

    @Override
    public List<String> ids() {
        Path root = home.resolve("executions");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + IoErrors.reason(e), e);
        }
    }

    @Override
    public JournalRead journal(String id) {
        Path file = journalFile(id);
        try {
            return JournalRead.of(Files.exists(file) ? Journal.read(file) : new Journal.Contents(List.of(), 0));
        } catch (IOException e) {
            return JournalRead.unreadable(IoErrors.reason(e));
        }
    }

    @Override
    public Instant createdAt(String id) {
        try {
            return Files.getLastModifiedTime(directory(id)).toInstant();
        } catch (IOException gone) {
            return Instant.EPOCH;
        }
    }

    /** Running if the process that last took it up still lives, on this host. */
    @Override
    public boolean running(String id, List<Event> events) {
        Event owner = ExecutionStore.owner(events);
        if (owner == null) {
            return false;
        }
        Object pid = owner.get("pid");
        String start = owner.text("processStart");
        return pid instanceof Number n && Actor.alive(owner.text("host"), n.longValue(),
                start == null ? null : Instant.parse(start));
    }

    @Override
    public Optional<String> runbookCopy(String id) {
        return copy(id, RUNBOOK_COPY);
    }

    @Override
    public Optional<String> topologyCopy(String id) {
        return copy(id, TOPOLOGY_COPY);
    }

    private Optional<String> copy(String id, String name) {
        return kept(id, name).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public String keep(String id, String name, byte[] content) {
        Path file = directory(id).resolve(name);
        Path written = directory(id).resolve("." + name + ".new");
        try {
            Files.write(written, content);
            // whole or not at all: a reader never opens half a page
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + IoErrors.reason(e), e);
        }
        return file.toString();
    }

    @Override
    public Optional<byte[]> kept(String id, String name) {
        Path file = directory(id).resolve(name);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + IoErrors.reason(e), e);
        }
    }

    @Override
    public String runbookCopyName(String id) {
        return directory(id).resolve(RUNBOOK_COPY).toString();
    }

    @Override
    public Optional<ExecutionLock.Holder> holder(String scope) {
        return ExecutionLock.holder(ExecutionLock.fileFor(locks(), scope));
    }

    @Override
    public Lease acquire(ExecutionLock.Holder me) {
        return ExecutionLock.acquire(locks(), me);
    }

    @Override
    public ExecutionLock.Forced forceUnlock(String scope) {
        return ExecutionLock.forceUnlock(locks(), scope);
    }

    /**
     * Creates the execution's folder with durable copies of the runbook text it runs (and of its topology),
     * and its journal, which appears with the execution's first event.
     */
    @Override
    public JournalWriter create(String id, String runbookSource, Optional<String> topologySource, Lease lease) {
        Path dir = directory(id);
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir);
            Durable.syncDirectory(dir.getParent());
            write(dir.resolve(RUNBOOK_COPY), runbookSource);
            if (topologySource.isPresent()) {
                write(dir.resolve(TOPOLOGY_COPY), topologySource.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + IoErrors.reason(e), e);
        }
        return Journal.create(dir.resolve(JOURNAL));
    }

    private static void write(Path file, String text) throws IOException {
        try (FileOutputStream copy = new FileOutputStream(file.toFile())) {
            copy.write(text.getBytes(StandardCharsets.UTF_8));
            copy.getFD().sync();
        }
    }

    @Override
    public JournalWriter append(String id, Lease lease) {
        return Journal.append(journalFile(id));
    }

    /** Written beside the journal whole, then linked into place: the holder never reads half a request. */
    @Override
    public void requestAbort(String id, Map<String, Object> request) {
        Path file = directory(id).resolve(ABORT);
        Path pending = file.resolveSibling(ABORT + "." + ProcessHandle.current().pid());
        try {
            Files.write(pending, Json.MAPPER.writeValueAsBytes(request));
            try {
                // A link, unlike a rename, never replaces a request already there.
                Files.createLink(file, pending);
            } finally {
                Files.deleteIfExists(pending);
            }
        } catch (FileAlreadyExistsException e) {
            throw new GafailException(ExitCode.USAGE, "execution " + id + " was already asked to stop");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + IoErrors.reason(e), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> abortRequest(String id) {
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(directory(id).resolve(ABORT)), Map.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void clearAbort(String id) {
        try {
            Files.deleteIfExists(directory(id).resolve(ABORT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory(id).resolve(ABORT) + ": "
                    + IoErrors.reason(e), e);
        }
    }

    /** Nobody else sees this folder: a second person's approval has nowhere to come from. */
    @Override
    public void approve(String id, Approval approval) {
        throw new GafailException(ExitCode.USAGE, "the state is the local folder " + home + ", which no one else"
                + " sees; approvals of others need the shared state (state.s3 in the topology)");
    }

    @Override
    public List<Approval> approvals(String id) {
        return List.of();
    }
}
