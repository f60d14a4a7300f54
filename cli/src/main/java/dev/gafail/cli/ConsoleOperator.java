package dev.gafail.cli;

import dev.gafail.engine.Operator;
import dev.gafail.engine.OperatorAbort;
import dev.gafail.engine.StopSignal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the person at the terminal. The question goes to stderr (stdout is for data); the answer is
 * read on a helper thread so that Ctrl-C still stops the execution while it waits for a person.
 */
final class ConsoleOperator implements Operator {

    private final String name;
    private final PrintWriter err;
    private final BufferedReader in;
    private final boolean interactive;
    private final StopSignal stop;

    ConsoleOperator(String name, PrintWriter err, InputStream in, boolean interactive, StopSignal stop) {
        this.name = name;
        this.err = err;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.interactive = interactive;
        this.stop = stop;
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
        err.print(question + " [y/N] ");
        err.flush();
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
                    err.println();
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

    private String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
