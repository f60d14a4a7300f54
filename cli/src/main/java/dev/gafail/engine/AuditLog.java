package dev.gafail.engine;

import java.io.IOException;
import java.util.Map;

/**
 * The append-only audit log of a state backend, hash-chained ({@link AuditChain}): a file in the local
 * folder ({@link LocalAuditLog}), or one object per record in the team's bucket.
 */
public interface AuditLog {

    /** Where the log is, for messages: a file, or {@code s3://bucket/prefix/audit/}. */
    String location();

    /** Appends one record, chained to the last; safe against concurrent gafail processes. */
    void append(Map<String, Object> fields);

    /** Checks the chain, and what marks the end of it; never throws on what the records contain. */
    Verification verify() throws IOException;

    /**
     * The result of {@link #verify()}: intact (with a {@code note} when the last write did not finish,
     * which is no tampering), or where the first break is (a file and line, 0: the file as a whole; or an
     * object) and why; and what keeps the records from being rewritten, where the store can say.
     *
     * @param protection null for a store that has none to ask about (the local file)
     */
    record Verification(boolean intact, int records, String where, int line, String problem, String note,
                        Protection protection) {
    }

    /**
     * What the bucket does against rewriting records: versioning keeps a trace of an overwrite or a delete;
     * Object Lock, with a retention on each record, refuses them.
     *
     * @param versioning the bucket's versioning status: Enabled, Suspended, or Off (never enabled)
     * @param mode       the last record's retention mode, null when it has none
     * @param retainUntil when the last record's retention ends (ISO-8601), null when it has none
     */
    record Protection(String versioning, boolean objectLock, String mode, String retainUntil) {

        /** One line for the operator. */
        public String describe() {
            if (objectLock && mode != null) {
                return "Object Lock, records retained in " + mode + " mode (the last until " + retainUntil + ")";
            }
            if (objectLock) {
                return "Object Lock enabled on the bucket, but the last record carries no retention";
            }
            if ("Enabled".equals(versioning)) {
                return "versioning only: an overwrite or delete leaves a trace, which whoever may delete object"
                        + " versions can erase";
            }
            return "none: whoever can write the bucket can rewrite the records without a trace";
        }
    }
}
