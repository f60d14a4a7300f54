package dev.gafail.cli;

import dev.gafail.actions.BuiltinActions;
import dev.gafail.engine.StopSignal;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Every command of gafail as picocli's model has it, so that tests cover a new command without being told. */
final class Commands {

    private Commands() {
    }

    /** The words that name each command under {@code gafail} (the empty list: gafail itself), hidden ones too. */
    static List<List<String>> all() {
        List<List<String>> out = new ArrayList<>();
        walk(model(), List.of(), out);
        return out;
    }

    /** As {@link #all()}, without the hidden ones (what help lists). */
    static List<List<String>> visible() {
        return all().stream().filter(path -> !find(path).getCommandSpec().usageMessage().hidden()).toList();
    }

    static CommandLine find(List<String> path) {
        CommandLine line = model();
        for (String word : path) {
            line = line.getSubcommands().get(word);
        }
        return line;
    }

    private static CommandLine model() {
        CliContext context = new CliContext(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()),
                InputStream.nullInputStream(), false, Map.of(), Path.of("."), Clock.systemUTC(),
                BuiltinActions::registry, new StopSignal(), List.of());
        return GafailCommandLine.create(context, new ConsoleMask());
    }

    private static void walk(CommandLine line, List<String> path, List<List<String>> out) {
        out.add(path);
        line.getSubcommands().forEach((name, sub) -> {
            List<String> longer = new ArrayList<>(path);
            longer.add(name);
            walk(sub, longer, out);
        });
    }
}
