package dev.gafail.cli;

import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import dev.gafail.yaml.InvalidFileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gafail __complete WORD...}: what the shell completion scripts ask at each TAB. Prints the
 * candidates for the last word, one per line, then {@value Completions#FILES} if file names fit
 * too. Quiet: it reads the topology file at most, calls no AWS API, and writes nothing on stderr.
 */
@Command(name = "__complete", hidden = true, description = "Completion candidates for a command line (the"
        + " completion scripts call it).")
final class CompleteCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(paramLabel = "WORD", arity = "0..*", description = "The words after gafail; the last may be empty.")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        Completions.Candidates candidates = new Completions(gafail.spec.commandLine(), this::quietTopology)
                .after(words);
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            out.println(Json.MAPPER.writeValueAsString(Map.of("candidates", candidates.words(),
                    "files", candidates.files())));
        } else {
            candidates.words().forEach(out::println);
            if (candidates.files()) {
                out.println(Completions.FILES);
            }
        }
        out.flush();
        return 0;
    }

    /**
     * The topology for completing a command line: the file named on it, else the one gafail would use;
     * read from disk only, never from AWS. A file with problems is an exception (exit 2), as anywhere.
     */
    private Optional<Topology> quietTopology(Optional<Path> named) {
        if (named.isEmpty()) {
            return gafail.session().optionalTopology();
        }
        try {
            return Optional.of(new TopologyLoader().load(gafail.context().workingDirectory().resolve(named.get())));
        } catch (InvalidFileException e) {
            throw GafailException.invalid(e);
        }
    }
}
