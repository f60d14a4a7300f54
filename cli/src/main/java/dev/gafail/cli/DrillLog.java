package dev.gafail.cli;

import dev.gafail.engine.IoErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The drill log: a table under the heading {@value #HEADING} in a Markdown file the team keeps
 * (docs/OPERATIONS.md), one row per drill. Rows are only ever added, once per execution; every other byte of
 * the file stays as it was. A file without the section gets it at its end.
 */
final class DrillLog {

    static final String HEADING = "## Drill log";
    static final String INTRO = "One row per drill that reached a verdict, added by `gafail drill --record FILE`;"
            + " the team fills in the learnings after the drill's review.";
    /** Far more than a team's Markdown file: a bound, so that a wrong file is refused rather than read whole. */
    private static final int MAX_BYTES = 16 << 20;
    private static final Pattern SECTION = Pattern.compile("#{1,2}(\\s.*)?");
    private static final Pattern FENCE = Pattern.compile(" {0,3}(```|~~~).*");

    private final Path file;

    DrillLog(Path file) {
        this.file = file;
    }

    /** Why rows cannot be added to the file (missing, not a file, not readable and writable, not UTF-8), if so. */
    Optional<String> problem() {
        try (FileChannel channel = open()) {
            text(channel);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(IoErrors.reason(e));
        }
    }

    /**
     * Adds {@code row} unless the log has its execution's row already; whether it added it. Under a lock on
     * the file, so that two gafail processes recording at once both land; written in place from where the
     * row goes, so the file keeps its owner, permissions and links.
     */
    @SuppressWarnings("try") // the lock is held for the block's length; the block need not name it
    boolean append(DrillLogRow row) throws IOException {
        try (FileChannel channel = open(); FileLock lock = channel.lock()) {
            String text = text(channel);
            if (text.contains(row.report())) {
                return false;
            }
            Insertion insertion = insertion(text, row);
            ByteBuffer rest = ByteBuffer.wrap((insertion.text() + text.substring(insertion.at()))
                    .getBytes(StandardCharsets.UTF_8));
            long at = text.substring(0, insertion.at()).getBytes(StandardCharsets.UTF_8).length;
            while (rest.hasRemaining()) {
                at += channel.write(rest, at);
            }
            channel.force(true);
            return true;
        }
    }

    private FileChannel open() throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException("not a regular file: " + file);
        }
        return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static String text(FileChannel channel) throws IOException {
        if (channel.size() > MAX_BYTES) {
            throw new IOException("larger than " + (MAX_BYTES >> 20) + " MB: not a Markdown file a team keeps");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) channel.size());
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
            // read on until the whole file is in
        }
        try {
            // Strict: a file that is not UTF-8 would not be written back byte for byte.
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text", e);
        }
    }

    /** What goes where: {@code text}, inserted at character {@code at}. */
    private record Insertion(int at, String text) {
    }

    /** One line of the file: its text, which ends at {@code end}, and {@code next}, after its line break. */
    private record Line(String text, int end, int next, boolean fenced) {
        boolean blank() {
            return text.isBlank();
        }

        boolean tableRow() {
            return text.stripLeading().startsWith("|");
        }
    }

    /**
     * Where {@code row} goes in {@code text}: after the last row of the table in the drill log's section;
     * with the table after the section's last line, if someone removed it; with the section at the end of the
     * file, if it has none. Line breaks as the file has them.
     */
    private static Insertion insertion(String text, DrillLogRow row) {
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        List<Line> lines = lines(text);
        int size = lines.size();
        String table = DrillLogRow.header(eol) + row.markdown() + eol;
        int heading = first(lines, 0, size, l -> !l.fenced() && l.text().stripTrailing().equalsIgnoreCase(HEADING));
        if (heading == size) {
            String section = HEADING + eol + eol + INTRO + eol + eol + table;
            return size == 0 ? new Insertion(0, section)
                    : after(lines.get(size - 1), eol, (lines.get(size - 1).blank() ? "" : eol) + section);
        }
        int end = first(lines, heading + 1, size, l -> !l.fenced() && SECTION.matcher(l.text()).matches());
        int tableStart = first(lines, heading + 1, end, l -> !l.fenced() && l.tableRow());
        if (tableStart < end) {
            int tableEnd = first(lines, tableStart, end, l -> !l.tableRow());
            return after(lines.get(tableEnd - 1), eol, row.markdown() + eol);
        }
        int lastText = end - 1;
        while (lines.get(lastText).blank()) {
            lastText--;
        }
        return after(lines.get(lastText), eol, eol + table);
    }

    /** The first of {@code lines} from {@code from} up to {@code to} that is {@code wanted}; else {@code to}. */
    private static int first(List<Line> lines, int from, int to, Predicate<Line> wanted) {
        int i = from;
        while (i < to && !wanted.test(lines.get(i))) {
            i++;
        }
        return i;
    }

    /** {@code block} after {@code line}; the file's last line, if it has no line break, gets one first. */
    private static Insertion after(Line line, String eol, String block) {
        return line.next() > line.end() ? new Insertion(line.next(), block) : new Insertion(line.end(), eol + block);
    }

    /** The lines of {@code text}, each marked if it is inside a fenced code block (or is one's fence). */
    private static List<Line> lines(String text) {
        List<Line> lines = new ArrayList<>();
        boolean fenced = false;
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int next = newline < 0 ? text.length() : newline + 1;
            int end = newline < 0 ? text.length() : newline > start && text.charAt(newline - 1) == '\r'
                    ? newline - 1 : newline;
            String line = text.substring(start, end);
            boolean fence = FENCE.matcher(line).matches();
            lines.add(new Line(line, end, next, fenced || fence));
            fenced ^= fence;
            start = next;
        }
        return lines;
    }
}
