package dev.gafail.engine;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An execution's journal: one JSON line per event, appended and fsync'd before the engine goes on,
 * so that after a crash the file says exactly what was done. Progress lines are not journalled.
 * A line counts once its newline is written: a torn last line (its writer died, or the disk filled,
 * mid-line) was never acknowledged. Every append starts on a fresh line: a write that failed is cut
 * back before the next, and a torn line found on opening is moved to a file beside the journal.
 * Written with a plain stream, not a FileChannel: an interrupted step thread (a timeout, a failed
 * sibling) would close a channel for everyone.
 */
public final class Journal implements JournalWriter {

    /**
     * The format of what this gafail journals, recorded in each execution's start and resume events.
     * A journal without it was written before formats were recorded, in format 1. Format 2 added the
     * {@code rollback-applying} and {@code rollback-applied} events; format 3 the {@code step-deferred}
     * event and the {@code succeeded-with-deferred} status.
     */
    public static final int FORMAT = 3;
    private static final String FORMAT_FIELD = "journalFormat";

    /** What a journal file holds: its events, and the length of a torn last line after them (0: none). */
    public record Contents(List<Event> events, int tornBytes) {
        public Contents {
            events = List.copyOf(events);
        }
    }

    /** A torn last line that opening the journal moved out of it, into {@code file} beside it. */
    public record SetAside(int bytes, String file) {
    }

    private final Path file;
    private final FileOutputStream stream;
    private final SetAside setAside;
    /** A new journal's temporary name until its first event is in it; then null. */
    private Path pending;
    /** The length of the whole lines written; what a failed write is cut back to. */
    private long committed;
    private boolean dirty;

    private Journal(Path file, FileOutputStream stream, Path pending, long committed, SetAside setAside) {
        this.file = file;
        this.stream = stream;
        this.pending = pending;
        this.committed = committed;
        this.setAside = setAside;
    }

    /**
     * Creates the journal of a new execution. The file appears, by an atomic rename, only with its first
     * event in it: killed at any moment, an execution has a journal that begins with its start, or none.
     */
    public static Journal create(Path file) {
        Path pending = file.resolveSibling(file.getFileName() + ".new");
        try {
            return new Journal(file, new FileOutputStream(pending.toFile()), pending, 0, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create journal " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /**
     * Opens an existing journal for appending, under the execution's lock. A torn last line is first
     * moved, durably, to {@code journal.jsonl.torn-at-OFFSET} beside it, and cut off.
     */
    public static Journal append(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int whole = LineBytes.wholeLength(bytes);
            SetAside aside = null;
            if (whole < bytes.length) {
                Path side = file.resolveSibling(file.getFileName() + ".torn-at-" + whole);
                try (FileOutputStream out = new FileOutputStream(side.toFile())) {
                    out.write(bytes, whole, bytes.length - whole);
                    out.getFD().sync();
                }
                // Only once the bytes are safe elsewhere: killed in between, they are set aside again.
                truncate(file, whole);
                Durable.syncDirectory(file.getParent());
                aside = new SetAside(bytes.length - whole, side.getFileName().toString());
            }
            return new Journal(file, new FileOutputStream(file.toFile(), true), null, whole, aside);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /** The torn line that opening set aside, if there was one. */
    @Override
    public Optional<SetAside> setAside() {
        return Optional.ofNullable(setAside);
    }

    @Override
    public synchronized void on(Event event) {
        if (event.type() == EventType.PROGRESS) {
            return;
        }
        byte[] line = (text(event) + "\n").getBytes(StandardCharsets.UTF_8);
        Path written = pending != null ? pending : file;
        try {
            if (dirty) {
                truncate(written, committed);
                dirty = false;
            }
            dirty = true;
            stream.write(line);
            stream.getFD().sync();
            dirty = false;
            committed += line.length;
            if (pending != null) {
                Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
                Durable.syncDirectory(file.getParent());
                pending = null;
            }
        } catch (IOException e) {
            cutBack(written);
            throw new UncheckedIOException("cannot write journal " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /**
     * Cuts off what a failed write left (a full disk writes part of a line), at once: the process may
     * end on this very failure. A full disk still lets a file shrink; if even that fails, the next
     * write tries again before it appends.
     */
    private void cutBack(Path written) {
        try {
            truncate(written, committed);
            dirty = false;
        } catch (IOException stillDirty) {
            // dirty stays set: the next write cuts back first
        }
    }

    /**
     * The events of a journal and the length of its torn last line, which is left out: the event it
     * began was never acknowledged, so the step it belongs to is redone. A whole line that is not an
     * event (bytes that are not UTF-8, JSON that is not an event) is corruption, not a crash: refused.
     */
    public static Contents read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int whole = LineBytes.wholeLength(bytes);
        List<Event> events = new ArrayList<>();
        int start = 0;
        int number = 0;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            number++;
            String line = decode(bytes, start, i, file, number);
            start = i + 1;
            if (line.isBlank()) {
                continue;
            }
            events.add(event(line, file + ":" + number));
        }
        return new Contents(events, bytes.length - whole);
    }

    /** The event a journal line (or a journal object) holds, or an exception naming {@code where} it is. */
    public static Event event(String json, String where) throws IOException {
        try {
            Event event = Json.MAPPER.readValue(json, Event.class);
            if (event.type() == null || event.time() == null) {
                throw new IOException(where + ": journal line is not a valid event (no type or time)");
            }
            return event;
        } catch (RuntimeException e) {
            throw new IOException(where + ": journal line is not a valid event", e);
        }
    }

    /** An event as the journal writes it: one line of JSON, without its newline. */
    public static String text(Event event) {
        return Json.MAPPER.writeValueAsString(event);
    }

    private static String decode(byte[] bytes, int from, int to, Path file, int number) throws IOException {
        try {
            return LineBytes.utf8(bytes, from, to);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ":" + number + ": journal line is not valid UTF-8", e);
        }
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
            raf.getFD().sync();
        }
    }

    /** The format of a journal: the newest that any gafail which started or resumed it recorded. */
    public static int format(List<Event> events) {
        int format = 1;
        for (Event event : events) {
            if ((event.type() == EventType.EXECUTION_STARTED || event.type() == EventType.EXECUTION_RESUMED)
                    && event.get(FORMAT_FIELD) instanceof Number n) {
                format = Math.max(format, n.intValue());
            }
        }
        return format;
    }

    /** Refuses, in one line and before anything is done, a journal newer than this gafail reads. */
    public static void requireReadable(String execution, List<Event> events) {
        int format = format(events);
        if (format > FORMAT) {
            throw new GafailException(ExitCode.USAGE, "execution " + execution + " has a journal of format " + format
                    + ", newer than this gafail reads (up to " + FORMAT + "): resume it with the gafail that"
                    + " started it; nothing was changed");
        }
    }

    /** Records this gafail's format in the data of an execution's start or resume event. */
    static void stamp(Map<String, Object> data) {
        data.put(FORMAT_FIELD, FORMAT);
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
