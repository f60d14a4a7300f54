package dev.gafail.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The example workflows in .github/workflows, and the gafail command lines in their shell and in .ci/run's. */
final class Workflows {

    static final Path FOLDER = GafailCli.repository().resolve(".github/workflows");
    static final Path CI_RUN = GafailCli.repository().resolve(".ci/run");

    /**
     * A gafail command, up to what ends it: a redirection, a pipe, a list operator, a parenthesis or the line's
     * end; a GitHub expression ({@code ${{ a || b }}}) goes whole, whatever it holds.
     */
    private static final Pattern COMMAND = Pattern.compile(
            "\\./gafail\\b(?:\\$\\{\\{.*?}}|\\$(?!\\{\\{)|[^$])*?(?=\\s+\\d*[<>]|\\s*[|;&()]|\\s*$)");

    private Workflows() {
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** The shell of every {@code run:} step of every job of a workflow. */
    static List<String> runScripts(String workflow) {
        List<String> scripts = new ArrayList<>();
        Map<?, ?> jobs = (Map<?, ?>) ((Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(workflow))
                .get("jobs");
        for (Object job : jobs.values()) {
            for (Object step : (List<?>) ((Map<?, ?>) job).get("steps")) {
                if (((Map<?, ?>) step).get("run") instanceof String run) {
                    scripts.add(run);
                }
            }
        }
        return scripts;
    }

    /** Each {@code ./gafail ...} command of a shell script, comments left out, its blanks made single spaces. */
    static List<String> gafailCommands(String shell) {
        List<String> commands = new ArrayList<>();
        for (String line : shell.replace("\\\n", " ").split("\n")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            Matcher m = COMMAND.matcher(line);
            while (m.find()) {
                commands.add(m.group().replaceAll("\\s+", " ").strip());
            }
        }
        return commands;
    }
}
