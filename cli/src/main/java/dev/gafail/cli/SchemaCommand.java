package dev.gafail.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "schema", description = {
        "Print a JSON Schema (draft 2020-12): the runbook's (default), or that of status --output json.",
        "The runbook's includes every step type's parameters; runbooks/schema/runbook.schema.json is its output."})
final class SchemaCommand implements Callable<Integer> {

    enum Document { RUNBOOK, STATUS }

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", arity = "0..1", paramLabel = "runbook|status", description = "Which (default: runbook).")
    Document document = Document.RUNBOOK;

    @Override
    public Integer call() {
        gafail.context().out().print(document == Document.RUNBOOK ? gafail.session().loader().schema().text()
                : status());
        gafail.context().out().flush();
        return 0;
    }

    /** The schema of {@code gafail status --output json}. */
    static String status() {
        try (InputStream in = SchemaCommand.class.getResourceAsStream("/dev/gafail/schema/status.schema.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
