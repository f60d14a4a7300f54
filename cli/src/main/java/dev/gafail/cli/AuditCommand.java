package dev.gafail.cli;

import dev.gafail.engine.AuditLog;
import dev.gafail.engine.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        spec.commandLine().usage(gafail.context().out());
    }

    @Command(name = "verify", description = {
            "Check the audit log's hash chain.",
            "Exit 0 when intact; 1 naming the line of the first record altered or removed."})
    static final class Verify implements Callable<Integer> {

        @ParentCommand
        AuditCommand audit;

        @Override
        public Integer call() {
            Gafail gafail = audit.gafail;
            AuditLog log = new AuditLog(gafail.session().store().auditLog());
            AuditLog.Verification result;
            try {
                result = log.verify();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (result.intact()) {
                gafail.context().out().println(gafail.style().green("✓ ") + log.file() + ": intact, "
                        + result.records() + " records");
                gafail.context().out().flush();
                return ExitCode.OK.code();
            }
            gafail.context().err().println(log.file() + ":" + result.line() + ": " + result.problem());
            gafail.context().err().flush();
            return ExitCode.STEP_FAILED.code();
        }
    }
}
