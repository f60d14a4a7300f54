package dev.gafail.cli;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The terminal of the person who started gafail ({@code /dev/tty}), when stdin or stdout is not it:
 * questions go there and answers come from there, as ssh and sudo ask theirs, so that an approval is
 * asked of a person even under {@code | tee}, and never read from a pipe. Only when stdin is that
 * terminal: none in CI, cron, nohup or a container without a terminal, where nobody is asked.
 */
record ControllingTerminal(InputStream in, PrintWriter questions) {

    private static final String DEVICE = "/dev/tty";

    /** The terminal, when stdin is one: a pipe, /dev/null (nohup, cron) or a file is nobody to ask. */
    static Optional<ControllingTerminal> open() {
        if (!stdinIsTerminal()) {
            return Optional.empty();
        }
        try {
            FileInputStream in = new FileInputStream(DEVICE);
            try {
                return Optional.of(new ControllingTerminal(in, new PrintWriter(new OutputStreamWriter(
                        new FileOutputStream(DEVICE), StandardCharsets.UTF_8), true)));
            } catch (IOException e) {
                in.close();
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Linux names a terminal stdin /dev/pts/N or /dev/ttyN; elsewhere, nobody is asked. */
    private static boolean stdinIsTerminal() {
        try {
            String stdin = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return stdin.startsWith("/dev/pts/") || stdin.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
