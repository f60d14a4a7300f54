package dev.gafail.cli;

import dev.gafail.app.BundledRunbooks;
import dev.gafail.engine.GafailException;
import dev.gafail.lab.Lab;
import dev.gafail.topology.Region;
import dev.gafail.topology.Topology;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What may come next on a command line being typed, from picocli's model and, for the values that
 * depend on where gafail runs, from the topology file (read, never asked of AWS): the words a shell's
 * completion offers. An option or parameter says which live values it takes by naming one of the
 * marker classes below as its {@code completionCandidates}.
 */
final class Completions {

    /** The line printed after the candidates when the shell should offer file names too. */
    static final String FILES = "::files";

    /** Values of the topology's region names ({@code --to}). */
    static final class Regions extends Marker {
    }

    /** The topology's regions and {@code global-accelerator} (what {@code lab fail} and {@code lab heal} take). */
    static final class LabRegions extends Marker {
    }

    /** The AWS regions the topology's regions and accelerator live in. */
    static final class AwsRegions extends Marker {
    }

    /** The bundled runbooks ({@code bundled:NAME}), and files. */
    static final class Runbooks extends Marker {
    }

    /** No values at help time (so picocli's help lists none); gafail finds them when asked. */
    abstract static class Marker implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Collections.emptyIterator();
        }
    }

    /** The candidates and whether file names fit too. */
    record Candidates(List<String> words, boolean files) {
    }

    private final CommandLine root;
    private final Function<Optional<Path>, Optional<Topology>> topology;

    /** @param topology the topology, from the file named on the line if one is */
    Completions(CommandLine root, Function<Optional<Path>, Optional<Topology>> topology) {
        this.root = root;
        this.topology = topology;
    }

    /** What may replace the last of {@code words} (the words after {@code gafail}; the last may be empty). */
    Candidates after(List<String> words) {
        CommandLine line = root;
        ArgSpec pending = null;
        Path topologyFile = null;
        int positional = 0;
        List<String> typed = words.isEmpty() ? List.of("") : words;
        for (String word : typed.subList(0, typed.size() - 1)) {
            if (pending != null) {
                if (pending instanceof OptionSpec o && o.longestName().equals("--topology")) {
                    topologyFile = Path.of(word);
                }
                pending = null;
            } else if (word.startsWith("-")) {
                OptionSpec option = line.getCommandSpec().findOption(word.split("=", 2)[0]);
                if (option != null && option.arity().max() > 0 && !word.contains("=")) {
                    pending = option;
                } else if (option != null && option.longestName().equals("--topology")) {
                    topologyFile = Path.of(word.substring(word.indexOf('=') + 1));
                }
            } else if (positional == 0 && line.getSubcommands().containsKey(word)) {
                line = line.getSubcommands().get(word);
            } else {
                positional++;
            }
        }
        Optional<Path> file = Optional.ofNullable(topologyFile);
        String current = typed.get(typed.size() - 1);
        if (pending != null) {
            return values(pending, "", file);
        }
        if (current.startsWith("-") && current.contains("=")) {
            String name = current.substring(0, current.indexOf('='));
            OptionSpec option = line.getCommandSpec().findOption(name);
            return option == null ? new Candidates(List.of(), false) : values(option, name + "=", file);
        }
        if (current.startsWith("-")) {
            return new Candidates(line.getCommandSpec().options().stream().filter(o -> !o.hidden())
                    .flatMap(o -> Stream.of(o.names())).sorted().toList(), false);
        }
        List<String> out = new ArrayList<>();
        if (positional == 0) {
            line.getSubcommands().forEach((name, sub) -> {
                if (!sub.getCommandSpec().usageMessage().hidden()) {
                    out.add(name);
                }
            });
        }
        boolean files = false;
        for (PositionalParamSpec parameter : line.getCommandSpec().positionalParameters()) {
            if (parameter.index().contains(positional)) {
                Candidates values = values(parameter, "", file);
                out.addAll(values.words());
                files = values.files();
            }
        }
        return new Candidates(out, files);
    }

    private Candidates values(ArgSpec arg, String prefix, Optional<Path> file) {
        Iterable<String> declared = arg.completionCandidates();
        List<String> words = new ArrayList<>();
        boolean files = false;
        if (declared instanceof Marker marker) {
            words.addAll(live(marker, file));
            files = marker instanceof Runbooks;
        } else if (declared != null) {
            declared.forEach(v -> words.add(arg.type().isEnum() ? v.toLowerCase(Locale.ROOT) : v));
        } else {
            files = Path.class.isAssignableFrom(arg.type()) || File.class.isAssignableFrom(arg.type());
        }
        return new Candidates(words.stream().map(w -> prefix + w).toList(), files);
    }

    private List<String> live(Marker marker, Optional<Path> file) {
        if (marker instanceof Runbooks) {
            return BundledRunbooks.NAMES.stream().map(n -> BundledRunbooks.PREFIX + n).toList();
        }
        Optional<Topology> read;
        try {
            read = topology.apply(file);
        } catch (GafailException e) {
            return List.of(); // a topology with problems offers nothing; `gafail topology validate` names them
        }
        if (read.isEmpty()) {
            return List.of();
        }
        Topology t = read.get();
        if (marker instanceof AwsRegions) {
            TreeSet<String> regions = new TreeSet<>();
            t.regions().values().stream().map(Region::awsRegion).forEach(regions::add);
            regions.add(t.acceleratorRegion());
            return List.copyOf(regions);
        }
        List<String> regions = new ArrayList<>(t.regions().keySet());
        if (marker instanceof LabRegions) {
            regions.add(Lab.ACCELERATOR);
        }
        return regions;
    }
}
