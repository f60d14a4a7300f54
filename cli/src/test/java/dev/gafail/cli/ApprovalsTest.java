package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code approvals:} read from runbooks and topologies, and refused where nobody else could approve. */
class ApprovalsTest {

    @TempDir
    Path home;

    private Path runbook(String approvals) throws IOException {
        Path file = home.resolve("careful.yaml");
        Files.writeString(file, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: careful}
                %s
                steps:
                  - {id: pause, action: control.wait, with: {duration: 10ms}}
                """.formatted(approvals));
        return file;
    }

    @Test
    void withTheLocalFolderAsStateARunThatNeedsASecondApproverIsRefusedNamingTheSettingAndLeavesNoExecution()
            throws IOException {
        Path file = runbook("approvals: {required: 2}");
        CliRun.Result refused = CliRun.in(home).run("run", file.toString(), "--yes");
        assertEquals(2, refused.code(), refused.toString());
        assertEquals(file + ":4:1: approvals.required 2 needs the team's shared state (state.s3 in the topology): in"
                + " the local folder " + home + " no one else can see the execution to approve it. Nothing was"
                + " changed", refused.err().strip().replaceFirst("^gafail: ", ""));
        assertEquals("[]", CliRun.in(home).run("history", "--output", "json").out().strip(),
                "no execution was started");

        CliRun.Result planned = CliRun.in(home).run("plan", file.toString());
        assertEquals(0, planned.code(), "a dry run needs no approver: " + planned);
    }

    @Test
    void aTopologysApprovalsApplyToEveryRunbookRunAgainstIt() throws IOException {
        String example;
        try (InputStream in = getClass().getResourceAsStream("/dev/gafail/topology/example.gafail.yaml")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path topology = home.resolve("gafail.yaml");
        Files.writeString(topology, example + "approvals: {required: 3, expires: 10m}\n");
        CliRun.Result refused = CliRun.in(home).env("GAFAIL_TOPOLOGY", topology.toString())
                .run("run", runbook("").toString(), "--yes");
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().contains(topology + ":" + (example.lines().count() + 1) + ":1: approvals.required 3"),
                refused.toString());
    }

    @Test
    void anApprovalCountOutsideOneToFiveIsAPositionedProblem() throws IOException {
        CliRun.Result invalid = CliRun.in(home).run("validate", runbook("approvals: {required: 0}").toString());
        assertEquals(2, invalid.code(), invalid.toString());
        assertTrue(invalid.err().contains("careful.yaml:4:"), invalid.toString());
    }
}
