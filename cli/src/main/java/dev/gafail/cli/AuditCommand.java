package dev.gafail.cli;

import dev.gafail.engine.AuditLog;
import dev.gafail.engine.ExitCode;
import dev.gafail.engine.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "audit", description = "The audit log (.gafail/audit.jsonl).",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {

    @ParentCommand
    Gafail gafail;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        HelpCommand.show(gafail, spec.commandLine());
    }

    @Command(name = "verify", description = {
            "Check the audit log's hash chain.",
            "Exit 0 when intact (a note on stderr when the last write did not finish, e.g. on a full disk);",
            "1 naming the line of the first record altered or removed, or what happened to audit.head.",
            "--output json: {file, intact, records, note?, line?, problem?}, whichever the exit code."})
    static final class Verify implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Override
        public Integer call() {
            Gafail gafail = audit.gafail;
            AuditLog log = new AuditLog(gafail.session().auditLog());
            AuditLog.Verification result;
            try {
                result = log.verify();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (gafail.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("file", log.file().toString());
                doc.put("intact", result.intact());
                doc.put("records", result.records());
                if (result.note() != null) {
                    doc.put("note", result.note());
                }
                if (!result.intact()) {
                    doc.put("line", result.line());
                    doc.put("problem", result.problem());
                }
                gafail.context().out().println(Json.MAPPER.writeValueAsString(doc));
                gafail.context().out().flush();
            }
            if (result.intact()) {
                if (!gafail.json()) {
                    gafail.context().out().println(gafail.style().green("✓ ") + log.file() + ": intact, "
                            + result.records() + " records");
                }
                gafail.context().out().flush();
                if (result.note() != null) {
                    gafail.context().err().println(log.file() + ": " + result.note());
                    gafail.context().err().flush();
                }
                return ExitCode.OK.code();
            }
            gafail.context().err().println(result.file() + (result.line() > 0 ? ":" + result.line() : "") + ": "
                    + result.problem());
            gafail.context().err().flush();
            return ExitCode.STEP_FAILED.code();
        }
    }
}
