package dev.gafail.cli;

import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import dev.gafail.engine.IoErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "report", description = {
        "Write an execution's report again, from its journal: html (one page, its timeline chart drawn",
        "with no network), md or json. Drills and failovers keep theirs beside their journal as they end."})
final class ReportCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(index = "0", paramLabel = "ID", description = "Execution id (or a unique prefix); see: gafail history.")
    String id;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "html, md or json. Default: html, or json with --output json.")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "The file to write (replaced); default: stdout.")
    Path out;

    @Override
    public Integer call() {
        String asked = format != null ? format : gafail.json() ? "json" : "html";
        ReportFormat chosen = Arrays.stream(ReportFormat.values())
                .filter(f -> f.name().equalsIgnoreCase(asked)).findFirst()
                .orElseThrow(() -> new GafailException(ExitCode.USAGE, "--format " + format + ": one of html, md, json"));
        ExecutionStore store = gafail.session().store();
        String report = chosen.render(store.load(store.resolve(id), gafail.context().clock()), store.backend());
        if (out == null) {
            gafail.context().out().print(report);
            gafail.context().out().flush();
            return 0;
        }
        try {
            Files.writeString(out, report, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GafailException(ExitCode.USAGE, "--out " + out + ": cannot write it: " + IoErrors.reason(e));
        }
        gafail.context().err().println("report: " + out.toAbsolutePath().normalize());
        gafail.context().err().flush();
        return 0;
    }
}
