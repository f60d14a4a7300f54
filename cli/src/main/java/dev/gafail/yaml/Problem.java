package dev.gafail.yaml;

/**
 * One thing wrong with a user's file, where the user must act on it.
 *
 * @param pointer JSON pointer of the offending value ("" for the whole document)
 */
public record Problem(SourcePosition position, String message, String pointer) {

    /** {@code FILE:LINE:COLUMN: message (at /json/pointer)}. */
    public String format() {
        String at = pointer == null || pointer.isEmpty() ? "" : " (at " + pointer + ")";
        return position + ": " + message + at;
    }
}
