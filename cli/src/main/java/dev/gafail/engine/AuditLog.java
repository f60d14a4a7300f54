package dev.gafail.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final TypeReference<TreeMap<String, Object>> RECORD = new TypeReference<>() { };

    /** The result of {@link #verify()}: intact, or the line of the first broken record and why. */
    public record Verification(boolean intact, int records, int line, String problem) {
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

    public Verification verify() throws IOException {
        if (!Files.exists(file)) {
            return new Verification(true, 0, 0, null);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String previous = GENESIS;
        long expectedSeq = 1;
        for (int i = 0; i < lines.size(); i++) {
            int line = i + 1;
            TreeMap<String, Object> record;
            try {
                record = CANONICAL.readValue(lines.get(i), RECORD);
            } catch (RuntimeException e) {
                return broken(line, "not a valid audit record");
            }
            Object seq = record.get("seq");
            if (!(seq instanceof Number number) || !(record.get("hash") instanceof String stated)) {
                return broken(line, "record lacks its sequence number or hash");
            }
            if (!hash(record).equals(stated)) {
                return broken(line, "record " + number + " was altered (its hash does not match its content)");
            }
            if (number.longValue() != expectedSeq) {
                return broken(line, "record " + number + " follows record " + (expectedSeq - 1)
                        + ": record(s) before it were removed");
            }
            if (!previous.equals(record.get("prev"))) {
                return broken(i, "record " + (expectedSeq - 1) + " was altered: the next record does not chain to it");
            }
            previous = stated;
            expectedSeq++;
        }
        String[] head = Files.exists(headFile())
                ? Files.readString(headFile(), StandardCharsets.UTF_8).trim().split(" ") : new String[0];
        if (head.length == 2 && (Long.parseLong(head[0]) != expectedSeq - 1 || !head[1].equals(previous))) {
            return broken(lines.size() + 1, "the log ends at record " + (expectedSeq - 1) + " but record "
                    + head[0] + " was written: records at the end were removed");
        }
        return new Verification(true, lines.size(), 0, null);
    }

    private static Verification broken(int line, String problem) {
        return new Verification(false, 0, line, problem);
    }

    private Path headFile() {
        return file.resolveSibling("audit.head");
    }

    private Map<String, Object> lastRecord() throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return CANONICAL.readValue(lines.get(i), RECORD);
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
