package dev.gafail.cli;

import dev.gafail.engine.Operator;
import dev.gafail.engine.OperatorAbort;
import dev.gafail.engine.StopSignal;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the person at the terminal. The question goes to the terminal (stdout is for data); the answer is
 * read on a helper thread so that Ctrl-C still stops the execution while it waits for a person.
 * A secret is read without echo where there is a real console.
 */
final class ConsoleOperator implements Operator {

    private final String name;
    private final PrintWriter questions;
    private final BufferedReader in;
    private final boolean interactive;
    private final StopSignal stop;
    private final Console console;
    private final boolean echoed;

    /**
     * @param in      shared by every operator of the command: a reader of its own would buffer answers away
     * @param console the terminal to read a secret from without echo, or null (then {@code in}, echoed, when
     *                {@code echoed} allows it: a stand-in for a terminal, never a person's own)
     */
    ConsoleOperator(String name, PrintWriter questions, BufferedReader in, boolean interactive, StopSignal stop,
                    Console console, boolean echoed) {
        this.name = name;
        this.questions = questions;
        this.in = in;
        this.interactive = interactive;
        this.stop = stop;
        this.console = console;
        this.echoed = echoed;
    }

    /** What every operator of a command reads from. */
    static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void approve(String question) throws OperatorAbort {
        if (!interactive) {
            throw new OperatorAbort("no terminal to ask \"" + question + "\"; pass --yes to approve non-interactively");
        }
        questions.print(question + " [y/N] ");
        questions.flush();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(this::readLine);
        while (true) {
            try {
                String line = answer.get(200, TimeUnit.MILLISECONDS);
                if (line != null && (line.trim().equalsIgnoreCase("y") || line.trim().equalsIgnoreCase("yes"))) {
                    return;
                }
                throw new OperatorAbort(line == null ? "no answer (end of input)" : "declined by " + name);
            } catch (TimeoutException e) {
                if (stop.requested()) {
                    questions.println();
                    throw new OperatorAbort("interrupted while waiting for approval");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperatorAbort("interrupted while waiting for approval");
            } catch (ExecutionException e) {
                throw new OperatorAbort("cannot read the answer: " + e.getCause().getMessage());
            }
        }
    }

    /** The summary first, so that the person reads what they approve where they answer. */
    @Override
    public void approve(List<String> summary, String question) throws OperatorAbort {
        if (interactive) {
            summary.forEach(questions::println);
        }
        approve(question);
    }

    @Override
    public Optional<String> secret(String what) {
        if (!interactive) {
            return Optional.empty();
        }
        if (console != null) {
            return Optional.ofNullable(console.readPassword("%s: ", what)).map(String::new);
        }
        if (!echoed) {
            return Optional.empty();
        }
        questions.print(what + ": ");
        questions.flush();
        return Optional.ofNullable(readLine());
    }

    private String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
