package dev.gafail.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hash chain every audit log keeps, wherever it stores its records: a record is canonical JSON
 * (keys sorted) with its number {@code seq}, the hash of the record before it {@code prev}, and its own
 * {@code hash} over both. One instance follows a log from its first record, in order, and names the
 * first break: an altered record, a missing one, or one that does not chain to the one before.
 */
public final class AuditChain {

    private static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // A record with a key twice would read one way here and another way in a reader that keeps the first.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final TypeReference<TreeMap<String, Object>> RECORD = new TypeReference<>() { };

    /**
     * Where the chain breaks and why.
     *
     * @param before true when the broken record is the one before the record just followed
     */
    public record Break(String problem, boolean before) {
    }

    private final List<String> hashes = new ArrayList<>(); // hashes.get(n - 1): record n's
    private String previous = GENESIS;

    /** Reads one record as written, strictly (a key twice is refused). */
    public static TreeMap<String, Object> read(String text) throws JacksonException {
        return CANONICAL.readValue(text, RECORD);
    }

    /** The record to append after {@code last} (null: the first): the fields, numbered and chained. */
    public static TreeMap<String, Object> next(Map<String, Object> fields, Map<String, Object> last) {
        TreeMap<String, Object> record = CANONICAL.convertValue(fields, RECORD);
        record.put("seq", last == null ? 1L : seq(last) + 1);
        record.put("prev", last == null ? GENESIS : last.get("hash"));
        record.put("hash", hash(record));
        return record;
    }

    /** A record's canonical text, as it is stored. */
    public static String text(Map<String, Object> record) {
        return CANONICAL.writeValueAsString(record instanceof TreeMap<?, ?> ? record : new TreeMap<>(record));
    }

    /** Whether {@code record} has what a chain needs: its number and hash. */
    public static boolean chainable(Map<String, Object> record) {
        return record.get("seq") instanceof Number && record.get("hash") instanceof String;
    }

    public static long seq(Map<String, Object> record) {
        return ((Number) record.get("seq")).longValue();
    }

    /** Takes the next record of the log; the break it makes, if it does not follow the ones before. */
    public Optional<Break> follow(TreeMap<String, Object> record) {
        if (!chainable(record)) {
            return Optional.of(new Break("record lacks its sequence number or hash", false));
        }
        Number number = (Number) record.get("seq");
        long expected = hashes.size() + 1L;
        String stated = (String) record.get("hash");
        if (!hash(record).equals(stated)) {
            return Optional.of(new Break("record " + number + " was altered (its hash does not match its content)",
                    false));
        }
        if (number.longValue() != expected) {
            return Optional.of(new Break("record " + number + " follows record " + (expected - 1)
                    + ": record(s) before it were removed", false));
        }
        if (!previous.equals(record.get("prev"))) {
            return Optional.of(new Break("record " + (expected - 1) + " was altered: the next record does not chain"
                    + " to it", true));
        }
        previous = stated;
        hashes.add(stated);
        return Optional.empty();
    }

    /** How many records followed without a break. */
    public int length() {
        return hashes.size();
    }

    /** Record {@code n}'s hash, of those followed. */
    public String hash(long n) {
        return hashes.get((int) n - 1);
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
