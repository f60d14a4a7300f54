package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gating alarm that does not exist where it is checked never passes as OK: the check cannot tell. */
class AlarmGateTest {

    @TempDir
    Path home;

    private FakeAws aws;
    private Path topology;

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAws();
        topology = aws.writeTopology(home);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private CliRun.Result check(String with) throws IOException {
        Path runbook = home.resolve("alarms.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: alarms}
                steps:
                  - {id: gate, action: cloudwatch.alarms, with: %s}
                """.formatted(with));
        return CliRun.in(home).run("run", runbook.toString(), "--yes", "--topology", topology.toString());
    }

    @Test
    void aFailoverStopsBeforeAnyChangeWhenTheTargetLacksAGatingAlarm() {
        aws.absentAlarm(aws.b, "orders-p95");

        CliRun.Result result = CliRun.in(home).run("failover", "--to", "region-b", "--yes", "--topology",
                topology.toString());

        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("alarm orders-p95 does not exist in region-b"), result.err());
        assertEquals(List.of(), aws.mutations());
    }

    @Test
    void aNamedAlarmMissingInAnyRegionCheckedCannotTell() throws IOException {
        aws.absentAlarm(aws.a, "orders-5xx");
        for (String with : List.of("{}", "{names: [orders-5xx]}", "{names: [orders-p95, orders-ghost], regions: [region-b]}",
                "{prefix: nothing-, regions: [region-b]}")) {
            CliRun.Result result = check(with);

            assertEquals(1, result.code(), with + ": " + result);
            assertTrue(result.err().contains("cannot tell: "), with + ": " + result.err());
        }
        CliRun.Result onlyB = check("{names: [orders-5xx], regions: [region-b]}");
        assertEquals(0, onlyB.code(), "region-b has it: " + onlyB);
    }
}
