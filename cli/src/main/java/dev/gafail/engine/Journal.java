package dev.gafail.engine;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An execution's journal: one JSON line per event, appended and fsync'd before the engine goes on,
 * so that after a crash the file says exactly what was done. Progress lines are not journalled.
 * Written with a plain stream, not a FileChannel: an interrupted step thread (a timeout, a failed
 * sibling) would close a channel for everyone.
 */
public final class Journal implements EventListener, AutoCloseable {

    /**
     * The format of what this gafail journals, recorded in each execution's start event. A journal
     * without it was written before formats were recorded, in format 1.
     */
    public static final int FORMAT = 1;
    private static final String FORMAT_FIELD = "journalFormat";

    private final Path file;
    private final FileOutputStream stream;

    private Journal(Path file, FileOutputStream stream) {
        this.file = file;
        this.stream = stream;
    }

    /** Opens {@code file} for appending, creating it (and making its directory entry durable) if needed. */
    public static Journal open(Path file) {
        try {
            boolean created = !Files.exists(file);
            FileOutputStream stream = new FileOutputStream(file.toFile(), true);
            if (created) {
                stream.getFD().sync();
                Durable.syncDirectory(file.getParent());
            }
            return new Journal(file, stream);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + file + ": " + IoErrors.reason(e), e);
        }
    }

    @Override
    public synchronized void on(Event event) {
        if (event.type() == EventType.PROGRESS) {
            return;
        }
        byte[] line = (Json.MAPPER.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            stream.write(line);
            stream.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write journal " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /**
     * The events of a journal. A torn last line (the process died while writing it) is ignored:
     * the event it began was never acknowledged, so the step it belongs to is redone.
     */
    public static List<Event> read(Path file) throws IOException {
        List<Event> events = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(Json.MAPPER.readValue(line, Event.class));
            } catch (RuntimeException e) {
                if (i < lines.size() - 1) {
                    throw new IOException(file + ":" + (i + 1) + ": journal line is not a valid event", e);
                }
            }
        }
        return events;
    }

    /** The format of the journal that {@code started} opens. */
    public static int format(Event started) {
        return started.get(FORMAT_FIELD) instanceof Number n ? n.intValue() : 1;
    }

    /** Refuses, in one line and before anything is done, a journal newer than this gafail reads. */
    public static void requireReadable(String execution, Event started) {
        int format = format(started);
        if (format > FORMAT) {
            throw new GafailException(ExitCode.USAGE, "execution " + execution + " has a journal of format " + format
                    + ", newer than this gafail reads (up to " + FORMAT + "): resume it with the gafail that"
                    + " started it; nothing was changed");
        }
    }

    /** Records this gafail's format in the data of an execution's start event. */
    static void stamp(Map<String, Object> startData) {
        startData.put(FORMAT_FIELD, FORMAT);
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
