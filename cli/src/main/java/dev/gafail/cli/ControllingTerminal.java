package dev.gafail.cli;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The terminal of the person who started gafail ({@code /dev/tty}), when stdin or stdout is not it:
 * questions go there and answers come from there, as ssh and sudo ask theirs, so that an approval is
 * asked of a person even under {@code | tee}, and never read from a pipe. None in CI, cron or a
 * container without a terminal: opening it fails there, and nobody is asked.
 */
record ControllingTerminal(InputStream in, PrintWriter questions) {

    private static final String DEVICE = "/dev/tty";

    static Optional<ControllingTerminal> open() {
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
}
