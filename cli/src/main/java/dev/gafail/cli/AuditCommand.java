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

@Command(name = "audit", description = "The audit log: in the state bucket, or the local folder (.gafail/audit.jsonl).",
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
            "Check the audit log's hash chain: the state bucket's records (every object version and delete marker",
            "under audit/records/ too), or the local file with --state local or no bucket in the topology.",
            "Exit 0 when intact (a note on stderr when the last write did not finish, e.g. on a full disk);",
            "1 naming the first record altered, removed, inserted, overwritten or deleted (its line, or its S3",
            "key), or what happened to audit.head. For a bucket, a line on stderr says what protects the records",
            "(none, versioning, Object Lock and its mode).",
            "--output json: {file, intact, records, protection?, note?, line?, problem?}, whichever the exit code;",
            "file is the log's location, protection {versioning, objectLock, mode, retainUntil}."})
    static final class Verify implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Override
        public Integer call() {
            Gafail gafail = audit.gafail;
            AuditLog log = gafail.session().auditLog();
            AuditLog.Verification result;
            try {
                result = log.verify();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (gafail.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("file", log.location());
                doc.put("intact", result.intact());
                doc.put("records", result.records());
                if (result.protection() != null) {
                    doc.put("protection", result.protection());
                }
                if (result.note() != null) {
                    doc.put("note", result.note());
                }
                if (!result.intact()) {
                    doc.put("line", result.line());
                    doc.put("problem", result.problem());
                }
                gafail.context().out().println(Json.MAPPER.writeValueAsString(doc));
                gafail.context().out().flush();
            } else if (result.protection() != null) {
                gafail.context().err().println("protection: " + result.protection().describe());
                gafail.context().err().flush();
            }
            if (result.intact()) {
                if (!gafail.json()) {
                    gafail.context().out().println(gafail.style().green("✓ ") + log.location() + ": intact, "
                            + result.records() + " records");
                }
                gafail.context().out().flush();
                if (result.note() != null) {
                    gafail.context().err().println(log.location() + ": " + result.note());
                    gafail.context().err().flush();
                }
                return ExitCode.OK.code();
            }
            gafail.context().err().println(result.where() + (result.line() > 0 ? ":" + result.line() : "") + ": "
                    + result.problem());
            gafail.context().err().flush();
            return ExitCode.STEP_FAILED.code();
        }
    }
}
