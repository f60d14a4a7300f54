package dev.gafail.cli;

import dev.gafail.engine.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The boundary where text leaves the process: everything written to stdout and stderr (renderers,
 * prompts, error reports, and in {@code main} also {@code System.out}/{@code System.err}, where
 * libraries and loggers write) passes here and is masked with the secrets known so far. Text is held
 * until a line ends or the writer is flushed, so a secret is masked whole.
 */
final class ConsoleMask {

    private volatile Redactor redactor = Redactor.NONE;

    /** Masks {@code more} too, from now on. */
    synchronized void add(Redactor more) {
        redactor = redactor.plus(more);
    }

    PrintWriter writer(Writer target) {
        return new PrintWriter(new Masking(target));
    }

    PrintStream stream(OutputStream target) {
        return new PrintStream(new Bytes(new Masking(new OutputStreamWriter(target, StandardCharsets.UTF_8))),
                false, StandardCharsets.UTF_8);
    }

    private final class Masking extends Writer {

        private final Writer target;
        private final StringBuilder pending = new StringBuilder();

        Masking(Writer target) {
            this.target = target;
        }

        @Override
        public synchronized void write(char[] chars, int off, int len) {
            pending.append(chars, off, len);
            int end = pending.lastIndexOf("\n");
            if (end >= 0) {
                emit(end + 1);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            emit(pending.length());
            target.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            flush();
            target.close();
        }

        private void emit(int end) {
            String text = redactor.text(pending.substring(0, end));
            pending.delete(0, end);
            try {
                target.write(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Bytes (a library's {@code System.err}) to the masking writer, a line at a time. */
    private static final class Bytes extends OutputStream {

        private final Writer target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Bytes(Writer target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            target.write(line.toString(StandardCharsets.UTF_8));
            line.reset();
            target.flush();
        }
    }
}
