package dev.gafail.engine;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a file of JSON lines (the journal, the audit log), read as a full disk or a crash may
 * leave them: only what ends in a newline is a whole line, and a line must be valid UTF-8.
 */
public final class LineBytes {

    private LineBytes() {
    }

    /** The length of the whole lines at the start of {@code bytes}: up to and with its last newline. */
    static int wholeLength(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    /** {@code bytes[from, to)} as text; malformed UTF-8 is an error, never a replacement character. */
    public static String utf8(byte[] bytes, int from, int to) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
    }
}
