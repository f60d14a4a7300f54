package dev.gafail.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * gafail's state folder ({@code .gafail/} in the working directory, or {@code $GAFAIL_HOME}):
 * one folder per execution with its journal and the runbook it ran, the audit log, the locks.
 */
public final class ExecutionStore {

    public static final String JOURNAL = "journal.jsonl";
    public static final String RUNBOOK_COPY = "runbook.yaml";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path home;

    public ExecutionStore(Path home) {
        this.home = home;
    }

    /** {@code $GAFAIL_HOME}, else {@code .gafail} in the working directory. */
    public static Path defaultHome(java.util.Map<String, String> environment) {
        String configured = environment.get("GAFAIL_HOME");
        return configured != null && !configured.isBlank() ? Path.of(configured) : Path.of(".gafail");
    }

    public Path home() {
        return home;
    }

    public Path auditLog() {
        return home.resolve("audit.jsonl");
    }

    public Path locks() {
        return home.resolve("locks");
    }

    public Path directory(String id) {
        return home.resolve("executions").resolve(id);
    }

    public Path journal(String id) {
        return directory(id).resolve(JOURNAL);
    }

    /** A new, sortable, unique execution id: UTC time and a random suffix. */
    public String newId(Clock clock) {
        return ID_TIME.format(clock.instant()) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
    }

    /** Creates the execution's folder with a copy of the runbook text it runs, and opens its journal. */
    public Journal create(String id, String runbookSource) {
        Path dir = directory(id);
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir);
            Files.writeString(dir.resolve(RUNBOOK_COPY), runbookSource, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + IoErrors.reason(e), e);
        }
        return Journal.open(dir.resolve(JOURNAL));
    }

    /** The execution an id or unique id prefix names. */
    public String resolve(String idOrPrefix) {
        List<String> matches = ids().stream().filter(id -> id.startsWith(idOrPrefix)).toList();
        if (matches.contains(idOrPrefix)) {
            return idOrPrefix;
        }
        if (matches.isEmpty()) {
            throw new GafailException(ExitCode.USAGE, "no execution '" + idOrPrefix + "' in " + home
                    + " (see: gafail history)");
        }
        if (matches.size() > 1) {
            throw new GafailException(ExitCode.USAGE, "'" + idOrPrefix + "' names " + matches.size()
                    + " executions; give more of the id");
        }
        return matches.get(0);
    }

    public List<Event> events(String id) {
        try {
            return Journal.read(journal(id));
        } catch (IOException e) {
            throw new GafailException(ExitCode.STEP_FAILED, "cannot read the journal of " + id + ": "
                    + IoErrors.reason(e));
        }
    }

    /** Every execution, newest first. */
    public List<ExecutionSummary> history(Clock clock) {
        List<ExecutionSummary> out = new ArrayList<>();
        for (String id : ids()) {
            List<Event> events = events(id);
            if (!events.isEmpty()) {
                out.add(summarize(id, events, clock));
            }
        }
        out.sort(Comparator.comparing(ExecutionSummary::startedAt).reversed());
        return out;
    }

    private List<String> ids() {
        Path root = home.resolve("executions");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(JOURNAL)))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ExecutionSummary summarize(String id, List<Event> events, Clock clock) {
        ExecutionState state = ExecutionState.replay(events);
        Event started = state.started();
        Event last = state.last();
        ExecutionStatus status = status(state, events);
        Instant end = status == ExecutionStatus.RUNNING ? clock.instant() : last.time();
        Instant begin = started != null ? started.time() : events.get(0).time();
        String message = state.finished() != null ? state.finished().message()
                : last.type() == EventType.EXECUTION_INTERRUPTED ? last.message() : null;
        return new ExecutionSummary(id, started == null ? null : started.text("runbook"), status, begin,
                Duration.between(begin, end).toMillis(), started == null ? null : started.text("user"),
                started == null ? null : started.text("host"), started == null ? null : started.text("reason"),
                message);
    }

    private static ExecutionStatus status(ExecutionState state, List<Event> events) {
        if (state.finished() != null) {
            return ExecutionStatus.fromWire(state.finished().text("status"));
        }
        if (state.last().type() == EventType.EXECUTION_INTERRUPTED) {
            return ExecutionStatus.INTERRUPTED;
        }
        // No end written: running if the process that last took it up still lives, else it died.
        Event owner = null;
        for (Event event : events) {
            if (event.type() == EventType.EXECUTION_STARTED || event.type() == EventType.EXECUTION_RESUMED) {
                owner = event;
            }
        }
        if (owner == null) {
            return ExecutionStatus.INTERRUPTED;
        }
        Object pid = owner.get("pid");
        String start = owner.text("processStart");
        boolean alive = pid instanceof Number n && Actor.alive(owner.text("host"), n.longValue(),
                start == null ? null : Instant.parse(start));
        return alive ? ExecutionStatus.RUNNING : ExecutionStatus.INTERRUPTED;
    }
}
