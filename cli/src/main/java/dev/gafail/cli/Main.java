package dev.gafail.cli;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.engine.StopSignal;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/** The entry point: exits with what {@link #run} returns. Tests call {@code run}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8));
        // Libraries and loggers write to System.out and System.err: they pass the same mask.
        ConsoleMask mask = new ConsoleMask();
        System.setOut(mask.stream(new FileOutputStream(FileDescriptor.out)));
        System.setErr(mask.stream(new FileOutputStream(FileDescriptor.err)));
        StopSignal stop = new StopSignal();
        Signals.install(stop, err);
        Console console = System.console();
        // Java sees a console only when stdin and stdout both are the terminal; `| tee` or `< answers` still has one.
        Optional<ControllingTerminal> tty = console == null ? ControllingTerminal.open() : Optional.empty();
        CliContext context = new CliContext(out, err, tty.map(ControllingTerminal::in).orElse(System.in),
                console != null || tty.isPresent(), System.getenv(), Path.of("").toAbsolutePath(),
                Clock.systemDefaultZone(), BuiltinActions::registry, stop, List.of(args),
                tty.map(ControllingTerminal::questions).orElse(err), console != null);
        int code = run(context, mask, args);
        out.flush();
        err.flush();
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    public static int run(CliContext context, String... args) {
        return run(context, new ConsoleMask(), args);
    }

    /** Runs with stdout and stderr behind {@code mask}, which learns each run's secrets. */
    private static int run(CliContext context, ConsoleMask mask, String... args) {
        CliContext masked = context.behind(mask, List.of(args));
        CommandLine line = GafailCommandLine.create(masked, mask);
        try {
            return line.execute(args);
        } finally {
            ((Gafail) line.getCommand()).close();
            // The mask holds a line until it ends: what a command left unflushed leaves now.
            masked.out().flush();
            masked.err().flush();
        }
    }
}
