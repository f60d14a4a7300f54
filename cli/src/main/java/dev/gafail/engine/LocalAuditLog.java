package dev.gafail.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

/**
 * The audit log in the local state folder ({@code .gafail/audit.jsonl}), one record per line, chained
 * ({@link AuditChain}); {@code audit.head} holds the last record's number and hash, so a cut-off tail shows
 * too. Tamper-evident only: whoever can write the folder can rewrite the chain and its head.
 */
public final class LocalAuditLog implements AuditLog {

    private static final String UNFINISHED = "the last line is an unfinished write";
    private static final Pattern HEAD = Pattern.compile("(\\d{1,18}) ([0-9a-f]{64})\n?");

    private final Path file;

    public LocalAuditLog(Path file) {
        this.file = file;
    }

    @Override
    public String location() {
        return file.toString();
    }
    /** Appends one record, chained to the last; safe against concurrent gafail processes. */
    @Override
    @SuppressWarnings("try") // the lock is held for the block's length; the block need not name it
    public void append(Map<String, Object> fields) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel guard = FileChannel.open(file.resolveSibling("audit.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = guard.lock()) {
                cutUnfinishedWrite();
                TreeMap<String, Object> record = AuditChain.next(fields, lastRecord());
                long seq = AuditChain.seq(record);
                Files.writeString(file, AuditChain.text(record) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
                Path head = file.resolveSibling("audit.head.tmp");
                Files.writeString(head, seq + " " + record.get("hash") + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
                Files.move(head, headFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /**
     * Cuts a partial last line (a write the disk could not hold) when the head vouches for the record
     * before it, so that the next record starts on a line of its own; anything else stays for verify.
     */
    private void cutUnfinishedWrite() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            if (channel.size() == 0 || channel.read(last, channel.size() - 1) == 1 && last.get(0) == '\n') {
                return; // the usual case: whole lines only
            }
        }
        int end = LineBytes.wholeLength(Files.readAllBytes(file));
        Verification whole = verify();
        if (whole.intact() && whole.note() != null && whole.note().startsWith(UNFINISHED)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(end);
                channel.force(true);
            }
        } else {
            Files.write(file, new byte[] {'\n'}, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        }
    }

    /** Checks the chain and the head; never throws on what the files contain. */
    @Override
    public Verification verify() throws IOException {
        Matcher head = Files.exists(headFile()) ? HEAD.matcher(headText()) : null;
        if (head != null && !head.matches()) {
            return broken(headFile(), 0, "not a head record (NUMBER HASH): it was altered");
        }
        if (!Files.exists(file)) {
            return head == null ? intact(0, null)
                    : broken(file, 0, "the log is missing, but " + headFile().getFileName() + " says record "
                    + head.group(1) + " was written: the log was deleted");
        }
        byte[] bytes = Files.readAllBytes(file);
        AuditChain chain = new AuditChain();
        int from = 0;
        int line = 0;
        while (from < bytes.length) {
            line++;
            int newline = indexOf(bytes, from);
            boolean partial = newline < 0;
            int to = partial ? bytes.length : newline;
            TreeMap<String, Object> record;
            try {
                record = AuditChain.read(LineBytes.utf8(bytes, from, to));
            } catch (CharacterCodingException e) {
                return broken(file, line, "not valid UTF-8: the line was altered");
            } catch (JacksonException e) {
                if (partial && vouches(head, chain)) {
                    return intact(chain.length(), UNFINISHED + " after record " + chain.length()
                            + " (the disk filled up or gafail died writing it); it holds no record, and the next"
                            + " record replaces it");
                }
                String why = e.getOriginalMessage();
                return broken(file, line, "not a valid audit record" + (why != null && why.startsWith("Duplicate")
                        ? " (" + why + "): it was altered" : ""));
            }
            Optional<AuditChain.Break> broken = chain.follow(record);
            if (broken.isPresent()) {
                return broken(file, broken.get().before() ? line - 1 : line, broken.get().problem());
            }
            from = to + 1;
        }
        return checkHead(head, chain, line);
    }

    /** The head's first bytes: a head record is 84, and a huge head is garbage anyway. */
    private String headText() throws IOException {
        try (var in = Files.newInputStream(headFile())) {
            return new String(in.readNBytes(256), StandardCharsets.ISO_8859_1);
        }
    }

    /** Whether the head names exactly the records read so far (none read and no head: nothing was written). */
    private static boolean vouches(Matcher head, AuditChain chain) {
        if (head == null) {
            return chain.length() == 0;
        }
        return chain.length() == Long.parseLong(head.group(1))
                && (chain.length() == 0 || chain.hash(chain.length()).equals(head.group(2)));
    }

    /** The head names the last record, or the one before it when the last write stopped short of the head. */
    private Verification checkHead(Matcher head, AuditChain chain, int lines) {
        int last = chain.length();
        if (head == null) {
            return last <= 1 ? intact(last, last == 0 ? null : headBehind(0, last))
                    : broken(headFile(), 0, "missing while the log holds " + last + " records: it was deleted");
        }
        long named = Long.parseLong(head.group(1));
        if (named > last) {
            return broken(file, lines + 1, "the log ends at record " + last + " but record " + named
                    + " was written: records at the end were removed");
        }
        if (named > 0 && !chain.hash(named).equals(head.group(2))) {
            return broken(headFile(), 0, "names record " + named + " with another hash: the record or the head"
                    + " was altered");
        }
        if (named == last) {
            return intact(last, null);
        }
        if (named == last - 1) {
            return intact(last, headBehind(named, last));
        }
        return broken(headFile(), 0, "names record " + named + ", but the log goes on to record " + last
                + ": an older head was put back");
    }

    private String headBehind(long named, int last) {
        return "the head is behind: it names record " + named + ", the log ends at record " + last
                + "; the last write did not finish updating the head (the disk filled up or gafail died),"
                + " and the next record brings it up to date";
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static Verification intact(int records, String note) {
        return new Verification(true, records, null, 0, null, note, null);
    }

    private static Verification broken(Path where, int line, String problem) {
        return new Verification(false, 0, where.toString(), line, problem, null, null);
    }

    private Path headFile() {
        return file.resolveSibling("audit.head");
    }

    /** The last line that reads as a record: what the next one chains to (verify names anything after it). */
    private Map<String, Object> lastRecord() throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String[] lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            try {
                TreeMap<String, Object> record = AuditChain.read(lines[i]);
                if (AuditChain.chainable(record)) {
                    return record;
                }
            } catch (JacksonException e) {
                // not a record: look further back
            }
        }
        return null;
    }
}
