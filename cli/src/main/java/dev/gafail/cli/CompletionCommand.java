package dev.gafail.cli;

import dev.gafail.engine.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gafail generate-completion [bash|zsh]}: the shell's completion script. picocli's generated
 * script is static; these ask {@code gafail __complete} at each TAB, so that {@code --to} offers the
 * regions of the topology in use and a runbook argument the bundled runbooks.
 */
@Command(name = "generate-completion", description = {"Print the completion script for bash (default) or zsh.",
        "bash: source <(gafail generate-completion)   zsh (after compinit): source <(gafail generate-completion zsh)"})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { BASH, ZSH }

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", arity = "0..1", paramLabel = "bash|zsh", description = "The shell (default: bash).")
    Shell shell = Shell.BASH;

    @Override
    public Integer call() {
        String script = script(shell);
        PrintWriter out = gafail.context().out();
        if (gafail.json()) {
            out.println(Json.MAPPER.writeValueAsString(Map.of("shell", shell.name().toLowerCase(), "script", script)));
        } else {
            out.print(script);
        }
        out.flush();
        return 0;
    }

    static String script(Shell shell) {
        String name = "completion." + shell.name().toLowerCase();
        try (InputStream in = CompletionCommand.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
