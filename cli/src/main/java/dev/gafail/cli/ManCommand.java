package dev.gafail.cli;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gafail man [COMMAND...]}: a command's manual page, made at build time from the same picocli
 * model as {@code --help} (picocli-codegen writes AsciiDoc, asciidoctor turns it into roff) and
 * packed in the jar: shown with {@code man} at a terminal, printed as roff otherwise, or all of them
 * written under a folder on man's path with {@code --install}.
 */
@Command(name = "man", description = {"Show a command's manual page (e.g. gafail man lab fail); off a terminal,"
        + " print it (roff).", "--install DIR writes every page to DIR/man1, e.g. ~/.local/share/man, so that"
        + " `man gafail-failover` finds it."})
final class ManCommand implements Callable<Integer> {

    /** Where the build puts the pages inside the jar. */
    static final String PAGES = "/dev/gafail/man/";

    @ParentCommand
    Gafail gafail;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command, and a subcommand of it.")
    List<String> path = new ArrayList<>();

    @Option(names = "--install", paramLabel = "DIR", description = "Write every page to DIR/man1.")
    Path install;

    @Override
    public Integer call() throws IOException, InterruptedException {
        CommandLine root = gafail.spec.commandLine();
        PrintWriter out = gafail.context().out();
        if (install != null) {
            Path folder = gafail.context().workingDirectory().resolve(install).resolve("man1");
            Files.createDirectories(folder);
            List<String> written = new ArrayList<>();
            for (String page : pages(root)) {
                Path file = folder.resolve(page + ".1");
                Files.writeString(file, roff(page));
                written.add(file.toString());
            }
            if (gafail.json()) {
                out.println(Json.MAPPER.writeValueAsString(Map.of("installed", written)));
            } else {
                written.forEach(out::println);
            }
            out.flush();
            return 0;
        }
        String page = name(HelpCommand.find(root, path));
        String roff = roff(page);
        if (gafail.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("page", page);
            doc.put("section", 1);
            doc.put("roff", roff);
            out.println(Json.MAPPER.writeValueAsString(doc));
        } else if (gafail.atTerminal()) {
            return show(page, roff);
        } else {
            out.print(roff);
        }
        out.flush();
        return 0;
    }

    /** Hands the page to {@code man}, which pages it at the terminal. */
    private static int show(String page, String roff) throws IOException, InterruptedException {
        Path file = Files.createTempFile(page, ".1");
        try {
            Files.writeString(file, roff);
            return new ProcessBuilder("man", "-l", file.toString()).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new GafailException(ExitCode.STEP_FAILED, "cannot run man (" + e.getMessage() + "); `gafail man "
                    + page.replace('-', ' ').substring("gafail".length()).strip() + " | man -l -` or --help");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Every page's name: one per command that is not hidden, e.g. {@code gafail-lab-fail}. */
    static List<String> pages(CommandLine line) {
        List<String> out = new ArrayList<>(List.of(name(line)));
        line.getSubcommands().values().stream().filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
                .forEach(sub -> out.addAll(pages(sub)));
        return out;
    }

    static String name(CommandLine line) {
        return line.getCommandSpec().qualifiedName("-");
    }

    private static String roff(String page) {
        try (InputStream in = ManCommand.class.getResourceAsStream(PAGES + page + ".1")) {
            if (in == null) {
                throw new GafailException(ExitCode.STEP_FAILED, "this gafail was built without its manual pages"
                        + " (the build's process-test-classes phase makes them; `mvn -pl cli -am package` does);"
                        + " `gafail help` shows the same text");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
