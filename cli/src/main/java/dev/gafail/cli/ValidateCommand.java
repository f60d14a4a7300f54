package dev.gafail.cli;

import dev.gafail.app.BundledRunbooks;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.Json;
import dev.gafail.runbook.Runbook;
import dev.gafail.yaml.InvalidFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "validate", description = {
        "Check runbooks without running them.",
        "YAML, schema, step types, expressions and references; every problem as",
        "FILE:LINE:COLUMN: message (at /json/pointer); exit 2 if any."})
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    Gafail gafail;

    @Parameters(arity = "1..*", paramLabel = "RUNBOOK", completionCandidates = Completions.Runbooks.class,
            description = "Runbook files, or bundled:NAME for one that ships with gafail.")
    List<Path> files;

    @Override
    public Integer call() {
        CliContext context = gafail.context();
        boolean json = gafail.global().output == OutputFormat.JSON;
        List<Map<String, Object>> report = new ArrayList<>();
        int invalid = 0;
        for (Path file : files) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", file.toString());
            try {
                Runbook runbook = BundledRunbooks.fileOrBundled(gafail.session().loader(), file);
                entry.put("valid", true);
                entry.put("runbook", runbook.name());
                if (!json) {
                    context.out().println(gafail.style().green("✓ ") + file + ": runbook '" + runbook.name() + "', "
                            + runbook.flatSteps().size() + " steps, " + runbook.parameters().size() + " parameters");
                }
            } catch (InvalidFileException e) {
                invalid++;
                entry.put("valid", false);
                entry.put("problems", e.problems().stream().map(ProblemJson::of).toList());
                e.problems().forEach(p -> context.err().println(p.format()));
            }
            report.add(entry);
        }
        if (json) {
            context.out().println(Json.MAPPER.writeValueAsString(report));
        }
        context.out().flush();
        context.err().flush();
        return invalid == 0 ? ExitCode.OK.code() : ExitCode.USAGE.code();
    }
}
