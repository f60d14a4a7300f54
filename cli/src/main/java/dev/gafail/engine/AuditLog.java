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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The append-only audit log ({@code .gafail/audit.jsonl}). Each record carries the hash of the one
 * before it and its own hash over its canonical JSON, so an altered or removed record breaks the
 * chain; {@code audit.head} holds the last record's number and hash, so a cut-off tail shows too.
 */
public final class AuditLog {

    static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // A record with a key twice would read one way here and another way in a reader that keeps the first.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final TypeReference<TreeMap<String, Object>> RECORD = new TypeReference<>() { };
    private static final String UNFINISHED = "the last line is an unfinished write";
    private static final Pattern HEAD = Pattern.compile("(\\d{1,18}) ([0-9a-f]{64})\n?");

    /**
     * The result of {@link #verify()}: intact (with a {@code note} when the last write did not finish,
     * which is no tampering), or the file and line (0: the file as a whole) of the first break and why.
     */
    public record Verification(boolean intact, int records, Path file, int line, String problem, String note) {
    }

    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Appends one record, chained to the last; safe against concurrent gafail processes. */
    @SuppressWarnings("try") // the lock is held for the block's length; the block need not name it
    public void append(Map<String, Object> fields) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel guard = FileChannel.open(file.resolveSibling("audit.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = guard.lock()) {
                cutUnfinishedWrite();
                Map<String, Object> last = lastRecord();
                long seq = last == null ? 1 : ((Number) last.get("seq")).longValue() + 1;
                TreeMap<String, Object> record = CANONICAL.convertValue(fields, RECORD);
                record.put("seq", seq);
                record.put("prev", last == null ? GENESIS : last.get("hash"));
                record.put("hash", hash(record));
                Files.writeString(file, CANONICAL.writeValueAsString(record) + "\n", StandardCharsets.UTF_8,
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
        List<String> hashes = new ArrayList<>(); // hashes.get(n - 1): record n's
        String previous = GENESIS;
        int from = 0;
        int line = 0;
        while (from < bytes.length) {
            line++;
            int newline = indexOf(bytes, from);
            boolean partial = newline < 0;
            int to = partial ? bytes.length : newline;
            long expectedSeq = hashes.size() + 1L;
            TreeMap<String, Object> record;
            try {
                record = CANONICAL.readValue(LineBytes.utf8(bytes, from, to), RECORD);
            } catch (CharacterCodingException e) {
                return broken(file, line, "not valid UTF-8: the line was altered");
            } catch (JacksonException e) {
                if (partial && vouches(head, hashes)) {
                    return intact(hashes.size(), UNFINISHED + " after record " + hashes.size()
                            + " (the disk filled up or gafail died writing it); it holds no record, and the next"
                            + " record replaces it");
                }
                String why = e.getOriginalMessage();
                return broken(file, line, "not a valid audit record" + (why != null && why.startsWith("Duplicate")
                        ? " (" + why + "): it was altered" : ""));
            }
            Object seq = record.get("seq");
            if (!(seq instanceof Number number) || !(record.get("hash") instanceof String stated)) {
                return broken(file, line, "record lacks its sequence number or hash");
            }
            if (!hash(record).equals(stated)) {
                return broken(file, line, "record " + number + " was altered (its hash does not match its content)");
            }
            if (number.longValue() != expectedSeq) {
                return broken(file, line, "record " + number + " follows record " + (expectedSeq - 1)
                        + ": record(s) before it were removed");
            }
            if (!previous.equals(record.get("prev"))) {
                return broken(file, line - 1, "record " + (expectedSeq - 1)
                        + " was altered: the next record does not chain to it");
            }
            previous = stated;
            hashes.add(stated);
            from = to + 1;
        }
        return checkHead(head, hashes, line);
    }

    /** The head's first bytes: a head record is 84, and a huge head is garbage anyway. */
    private String headText() throws IOException {
        try (var in = Files.newInputStream(headFile())) {
            return new String(in.readNBytes(256), StandardCharsets.ISO_8859_1);
        }
    }

    /** Whether the head names exactly the records read so far (none read and no head: nothing was written). */
    private static boolean vouches(Matcher head, List<String> hashes) {
        if (head == null) {
            return hashes.isEmpty();
        }
        return hashes.size() == Long.parseLong(head.group(1))
                && (hashes.isEmpty() || hashes.get(hashes.size() - 1).equals(head.group(2)));
    }

    /** The head names the last record, or the one before it when the last write stopped short of the head. */
    private Verification checkHead(Matcher head, List<String> hashes, int lines) {
        int last = hashes.size();
        if (head == null) {
            return last <= 1 ? intact(last, last == 0 ? null : headBehind(0, last))
                    : broken(headFile(), 0, "missing while the log holds " + last + " records: it was deleted");
        }
        long named = Long.parseLong(head.group(1));
        if (named > last) {
            return broken(file, lines + 1, "the log ends at record " + last + " but record " + named
                    + " was written: records at the end were removed");
        }
        if (named > 0 && !hashes.get((int) named - 1).equals(head.group(2))) {
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
        return new Verification(true, records, null, 0, null, note);
    }

    private static Verification broken(Path where, int line, String problem) {
        return new Verification(false, 0, where, line, problem, null);
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
                TreeMap<String, Object> record = CANONICAL.readValue(lines[i], RECORD);
                if (record.get("seq") instanceof Number && record.get("hash") instanceof String) {
                    return record;
                }
            } catch (JacksonException e) {
                // not a record: look further back
            }
        }
        return null;
    }

    /** SHA-256 of the previous hash and the record's canonical JSON without its own hash. */
    private static String hash(TreeMap<String, Object> record) {
        TreeMap<String, Object> content = new TreeMap<>(record);
        content.remove("hash");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.valueOf(record.get("prev")).getBytes(StandardCharsets.UTF_8));
            sha.update(CANONICAL.writeValueAsBytes(content));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
