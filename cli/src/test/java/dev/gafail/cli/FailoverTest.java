package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.testing.CliRun;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Json;
import dev.gafail.engine.Phase;
import dev.gafail.engine.StopSignal;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.Journals;
import dev.gafail.testing.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code gafail failover} end to end: the real SDK clients against the wire-level stub of AWS. */
class FailoverTest {

    private static final String[] QUICK = {"--set", "holdFor=0s", "--set", "probeInterval=10ms"};

    @TempDir
    Path home;

    private FakeAws aws;

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAws();
        aws.writeTopology(home);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private CliRun.Result gafail(String... args) {
        return CliRun.in(home).run(args);
    }

    /** A failover with the QUICK parameters, except those {@code extra} sets itself (each --set is given once). */
    private CliRun.Result failover(String... extra) {
        List<String> args = new ArrayList<>(List.of("failover", "--to", "region-b", "--yes"));
        List<String> given = List.of(extra);
        for (int i = 0; i < QUICK.length; i += 2) {
            String name = QUICK[i + 1].substring(0, QUICK[i + 1].indexOf('=') + 1);
            if (given.stream().noneMatch(a -> a.startsWith(name))) {
                args.addAll(List.of(QUICK[i], QUICK[i + 1]));
            }
        }
        args.addAll(given);
        return gafail(args.toArray(String[]::new));
    }

    @Test
    void plannedFailoverMakesTheRunbooksChangesInOrder() {
        CliRun.Result result = failover();
        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("UpdateService@eu-west-1", "SwitchoverGlobalCluster@us-east-1",
                "UpdateEndpointGroup@us-west-2", "UpdateEndpointGroup@us-west-2", "UpdateEndpointGroup@us-west-2",
                "UpdateEndpointGroup@us-west-2", "UpdateService@us-east-1", "PutMetricData@eu-west-1"), aws.mutations());
        assertEquals("region-b", aws.writer());
        assertEquals(100, aws.dial(aws.b));
        assertEquals(0, aws.dial(aws.a));
        assertEquals(4, aws.desired(aws.b));
        assertEquals(1, aws.desired(aws.a));
    }

    @Test
    void withAWriterEndpointTheTrafficMovesBeforeTheWriter() throws IOException {
        aws.writerEndpoint();
        aws.writeTopology(home);
        CliRun.Result result = failover();
        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("UpdateService@eu-west-1", "UpdateEndpointGroup@us-west-2", "UpdateEndpointGroup@us-west-2",
                "UpdateEndpointGroup@us-west-2", "UpdateEndpointGroup@us-west-2", "SwitchoverGlobalCluster@us-east-1",
                "UpdateService@us-east-1", "PutMetricData@eu-west-1"), aws.mutations());
        assertEquals("region-b", aws.writer());
        assertEquals(100, aws.dial(aws.b));
        assertEquals(0, aws.dial(aws.a));
        List<String> succeeded = new ArrayList<>();
        for (var e : Journals.events(home, Journals.only(home))) {
            if (e.type() == EventType.STEP_SUCCEEDED && e.phase() == Phase.STEP) {
                succeeded.add(e.step());
            }
        }
        assertEquals(List.of("scale-target", "shift-traffic-first", "switch-writer", "target-writes",
                "target-alarms-ok", "through-accelerator", "fence-old-region", "record"), succeeded);
        assertTrue(aws.calls().stream().anyMatch(c -> c.operation().equals("PutMetricData")
                && c.body().contains("TrafficShiftSeconds")), "the shift that ran is recorded");
    }

    @Test
    void aTargetThatDoesNotWriteThroughTheTopologysWriterEndpointChangesNothing() throws IOException {
        aws.writerEndpoint();
        aws.writes(aws.b, "local");
        aws.writeTopology(home);
        CliRun.Result result = failover();
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("precondition 'target-writes-through-endpoint' not met: ")
                && result.err().contains("writes=local, expected HTTP 200, writes=writer-endpoint"), result.toString());
        assertTrue(result.err().contains("set writerEndpoint: false in the topology to move the writer first"),
                "says what to do: " + result);
        assertEquals(List.of(), aws.mutations());
    }

    @Test
    void anOldRegionThatDoesNotWriteThroughTheWriterEndpointChangesNothingUnlessItIsDegraded() throws IOException {
        aws.writerEndpoint();
        aws.writes(aws.a, "local");
        aws.writeTopology(home);
        CliRun.Result result = failover();
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("precondition 'old-region-writes-through-endpoint' not met: "),
                result.toString());
        assertEquals(List.of(), aws.mutations());

        CliRun.Result degraded = failover("--set", "oldRegionDegraded=true");
        assertEquals(0, degraded.code(), degraded.toString());
        assertEquals("region-b", aws.writer());
    }

    @Test
    void eachStepTypesOutputsKeepTheirNamesInTheJournal() {
        assertEquals(0, failover().code());
        Map<String, List<String>> names = new HashMap<>();
        for (var e : Journals.events(home, Journals.only(home))) {
            if (e.type() == EventType.STEP_SUCCEEDED) {
                names.put(e.step(), List.copyOf(Json.MAPPER.valueToTree(e.get("outputs")).propertyNames()));
            }
        }
        assertEquals(List.of("lagMs"), names.get("replication-lag"));
        assertEquals(List.of("region", "desiredCount", "previousCount"), names.get("scale-target"));
        assertEquals(List.of("to", "from", "rpoLag", "rpoLagMs", "decidedAt"), names.get("switch-writer"));
        assertEquals(List.of("status", "role"), names.get("target-writes"));
        assertEquals(List.of("to", "dials", "seconds", "stages"), names.get("shift-traffic"));
        assertEquals(List.of("published"), names.get("record"));
    }

    @Test
    void dryRunMakesNoMutatingCallAndShowsEveryOne() {
        CliRun.Result result = failover("--dry-run");
        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of(), aws.mutations());
        int scale = result.out().indexOf("UpdateService");
        int switchover = result.out().indexOf("SwitchoverGlobalCluster");
        int dials = result.out().indexOf("UpdateEndpointGroup");
        assertTrue(scale > 0 && switchover > scale && dials > switchover, result.toString());
    }

    @Test
    void lagAboveTheLimitChangesNothing() {
        aws.lag("orders-b", 60_000.0);
        CliRun.Result result = failover();
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("replication-lag"), result.toString());
        assertEquals(List.of(), aws.mutations());
    }

    @Test
    void unknownLagIsNotZero() {
        aws.lag("orders-b", null);
        CliRun.Result result = failover();
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("unknown"), result.toString());
        assertEquals(List.of(), aws.mutations());
    }

    @Test
    void wrongAccountStopsBeforeAnything() {
        aws.account("999999999999");
        CliRun.Result result = failover();
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("999999999999") && result.err().contains("--profile"), result.toString());
        assertEquals(List.of(), aws.mutations());
    }

    @Test
    void aFailedDialShiftRollsBackDialsWriterAndScaling() {
        aws.refuse("UpdateEndpointGroup", "\"TrafficDialPercentage\":50.0");
        CliRun.Result result = failover();
        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("ValidationException") && result.err().contains("request id"),
                result.toString());
        assertEquals("region-a", aws.writer());
        assertEquals(100, aws.dial(aws.a));
        assertEquals(0, aws.dial(aws.b));
        assertEquals(1, aws.desired(aws.b));
        List<String> mutations = aws.mutations();
        assertEquals("SwitchoverGlobalCluster@eu-west-1", mutations.stream()
                .filter(m -> m.startsWith("Switchover")).reduce((x, y) -> y).orElseThrow(), mutations.toString());
    }

    @Test
    void anAlarmDuringAHoldAbortsTheShiftAndRollsBack() {
        // The checks read the target's alarms: the precondition to plan and to check (2 reads), then
        // target-alarms-ok in the approval's plan, in its own plan and its check (3 more) before the shift holds.
        aws.alarmAfter(5, "orders-5xx", "ALARM");
        CliRun.Result result = failover("--set", "holdFor=5s");
        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("aborted at 10%: cloudwatch.alarms: region-b/orders-5xx is ALARM"),
                result.toString());
        assertEquals(100, aws.dial(aws.a));
        assertEquals(0, aws.dial(aws.b));
        assertEquals("region-a", aws.writer());
    }

    @Test
    void anAbortIfThatCannotRunStopsTheShiftBeforeAnyDialMoves() {
        String runbook = Resources.resource("runbooks/aws/shift-bad-check.yaml").toString();
        CliRun.Result planned = gafail("failover", "--to", "region-b", "--runbook", runbook, "--dry-run");
        assertTrue(planned.out().contains("shift (traffic.shift)  cannot plan: parameters of cloudwatch.metric do"
                + " not fit"), "the dry run already says so: " + planned);

        CliRun.Result result = gafail("failover", "--to", "region-b", "--yes", "--runbook", runbook);
        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("parameters of cloudwatch.metric do not fit"), result.toString());
        assertTrue(aws.mutations().stream().noneMatch(m -> m.startsWith("UpdateEndpointGroup")), aws.mutations()
                .toString());
        assertEquals(100, aws.dial(aws.a));
    }

    @Test
    void missingTelemetryHoldsTheShiftInsteadOfPassingIt() {
        aws.alarmAfter(2, "orders-p95", "INSUFFICIENT_DATA");
        aws.alarmAfter(7, "orders-p95", "OK");
        CliRun.Result result = failover("--set", "holdFor=50ms");
        assertEquals(0, result.code(), result.toString());
        List<FakeAws.Call> calls = aws.calls();
        int dataAgain = -1;
        int stage50 = -1;
        for (int i = 0, reads = 0; i < calls.size(); i++) {
            if (calls.get(i).operation().equals("DescribeAlarms") && ++reads == 8) {
                dataAgain = i;
            }
            if (stage50 < 0 && calls.get(i).body().contains("\"TrafficDialPercentage\":50.0")) {
                stage50 = i;
            }
        }
        assertTrue(dataAgain > 0 && stage50 > dataAgain, "the 50% stage waited for the alarm's data");
        assertEquals("region-b", aws.writer());
    }

    @Test
    void theCallersIdentityAndTheTopologyLockAreRecorded() throws IOException {
        assertEquals(0, failover().code());
        String audit = Files.readString(home.resolve("audit.jsonl"));
        assertTrue(audit.contains("\"identity\":{\"account\":\"111122223333\",\"arn\":\"arn:aws:sts::111122223333:"
                + "assumed-role/oncall/alice\"}"), audit);
        assertTrue(audit.contains("\"topology\":\"orders-api\""), audit);
        try (var journals = Files.walk(home.resolve("executions"))) {
            String journal = Files.readString(journals.filter(p -> p.endsWith("journal.jsonl")).findFirst().orElseThrow());
            assertTrue(journal.contains("\"lockScope\":\"topology:orders-api\""), journal);
        }
    }

    @Test
    void anInterruptedShiftResumesWithoutRepeatingWhatWasDone(@TempDir Path elsewhere) throws Exception {
        StopSignal stop = new StopSignal();
        Thread operator = new Thread(() -> {
            try {
                while (aws.dial(aws.a) != 90) {
                    Thread.sleep(20);
                }
                stop.request("SIGINT");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        operator.start();
        CliRun.Result interrupted = CliRun.in(home).stop(stop).run("failover", "--to", "region-b", "--yes",
                "--set", "holdFor=30s", "--set", "probeInterval=10ms");
        operator.join();
        assertEquals(4, interrupted.code(), interrupted.toString());
        int before = aws.mutations().size();
        String id = Journals.only(home);

        // From another folder: the execution remembers its topology file.
        CliRun.Result resumed = CliRun.in(home).workingDirectory(elsewhere).run("resume", id, "--yes",
                "--set", "holdFor=0s");

        assertEquals(0, resumed.code(), resumed.toString());
        assertEquals(List.of("UpdateEndpointGroup@us-west-2", "UpdateEndpointGroup@us-west-2",
                "UpdateService@us-east-1", "PutMetricData@eu-west-1"), aws.mutations().subList(before,
                aws.mutations().size()), "no scaling, switchover or dial change repeated");
        assertEquals(0, aws.dial(aws.a));
        assertEquals("region-b", aws.writer());
    }

    @Test
    void theTopologysParametersComeBetweenSetAndTheRunbooksDefaults() throws IOException {
        Path topology = home.resolve("gafail.yaml");
        Files.writeString(topology, Files.readString(topology)
                + "parameters: {holdFor: 0s, probeInterval: 10ms, probeSuccesses: 2, maxLag: 9s, unrelated: x}\n");
        CliRun.Result result = gafail("failover", "--to", "region-b", "--yes", "--set", "maxLag=7s");
        assertEquals(0, result.code(), result.toString());
        Map<?, ?> params = (Map<?, ?>) Journals.events(home, Journals.only(home)).get(0).get("params");
        assertEquals("0s", params.get("holdFor"));
        assertEquals("10ms", params.get("probeInterval"));
        assertEquals("2", String.valueOf(params.get("probeSuccesses")), "a number in YAML is a number parameter");
        assertEquals("7s", params.get("maxLag"), "--set wins");
    }

    @Test
    void aBadParameterIsOneLineNamingWhereItCameFrom() throws IOException {
        Path topology = home.resolve("gafail.yaml");
        Files.writeString(topology, Files.readString(topology) + "parameters: {holdFor: soon}\n");

        CliRun.Result fromTopology = gafail("failover", "--to", "region-b", "--yes");
        assertEquals(2, fromTopology.code(), fromTopology.toString());
        assertTrue(fromTopology.err().startsWith("gafail: " + topology + " parameters.holdFor=soon: "),
                fromTopology.toString());

        CliRun.Result fromSet = failover("--set", "holdFor=soon-ish");
        assertEquals(2, fromSet.code(), fromSet.toString());
        assertTrue(fromSet.err().contains("--set holdFor=soon-ish"), fromSet.toString());
        assertEquals(List.of(), aws.mutations());
    }

    @Test
    void withoutATopologyOneLineSaysHowToGetOne(@TempDir Path elsewhere) {
        CliRun.Result result = CliRun.in(elsewhere).run("failover", "--to", "region-b", "--yes");
        assertEquals(2, result.code(), result.toString());
        assertEquals("gafail: no topology: pass --topology FILE, set GAFAIL_TOPOLOGY, write ./gafail.yaml"
                + " (`gafail topology example` prints one), or start a lab (`gafail lab up`)", result.err().strip());
    }

    @Test
    void aBrokenTopologyIsPositionedAndChangesNothing() throws IOException {
        Path broken = home.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(home.resolve("gafail.yaml")).replace("warmCount: 1", "warmCount: 9"));
        CliRun.Result result = gafail("--topology", broken.toString(), "failover", "--to", "region-b", "--yes");
        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().matches("(?s).*broken\\.yaml:\\d+:\\d+: warmCount 9 is more than activeCount 4.*"),
                result.toString());
        assertEquals(List.of(), aws.calls());
    }

    @Test
    void unplannedRefusesWithoutAllowDataLoss() {
        CliRun.Result result = gafail("failover", "--to", "region-b", "--mode", "unplanned", "--yes");
        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().contains("--allow-data-loss"), result.toString());
        assertEquals(List.of(), aws.mutations());
    }

    @Test
    void unplannedFailoverPromotesFromTheTargetsRegion() {
        CliRun.Result result = gafail("failover", "--to", "region-b", "--mode", "unplanned", "--allow-data-loss",
                "--yes", "--set", "probeInterval=10ms");
        assertEquals(0, result.code(), result.toString());
        assertEquals(List.of("UpdateService@eu-west-1", "FailoverGlobalCluster@eu-west-1",
                "UpdateEndpointGroup@us-west-2", "UpdateEndpointGroup@us-west-2", "UpdateService@us-east-1"),
                aws.mutations(), "the failed region, answering, is fenced at once");
        assertEquals("region-b", aws.writer());
        assertTrue(result.out().contains("Global failover to DB cluster"), "RDS's events are shown: " + result.out());
    }

    @Test
    void iamPolicyListsExactlyTheActionsUsedScopedToTheTopology() throws Exception {
        CliRun.Result result = gafail("iam-policy", Resources.repository().resolve("runbooks/failover.yaml").toString());
        assertEquals(0, result.code(), result.toString());
        JsonNode policy = Json.MAPPER.readTree(result.out());
        Set<String> actions = new TreeSet<>();
        Map<String, JsonNode> resources = new HashMap<>();
        policy.path("Statement").forEach(s -> s.path("Action").forEach(a -> {
            actions.add(a.asString());
            resources.put(a.asString(), s.path("Resource"));
        }));
        assertEquals(Set.of("cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData", "cloudwatch:PutMetricData",
                "ecs:DescribeServices", "ecs:UpdateService", "globalaccelerator:DescribeAccelerator",
                "globalaccelerator:DescribeEndpointGroup", "globalaccelerator:UpdateEndpointGroup",
                "rds:DescribeGlobalClusters", "rds:SwitchoverGlobalCluster", "sts:GetCallerIdentity"), actions);
        assertTrue(actions.stream().noneMatch(a -> a.contains("*")));
        assertTrue(resources.get("globalaccelerator:UpdateEndpointGroup").toString().contains(aws.b.group()));
        assertTrue(resources.get("ecs:UpdateService").toString().contains(":service/orders/api"));
    }

    @Test
    void statusShowsAFailingServiceInItsCellAndTheRestAsIs() {
        aws.serverError("DescribeServices", 1000);
        CliRun.Result result = gafail("status", "--output", "json");
        assertEquals(1, result.code(), "a read failed: " + result);
        JsonNode a = Json.MAPPER.readTree(result.out()).path("regions").path("region-a");
        assertTrue(a.path("ecs").path("error").asString().startsWith("DescribeServices: InternalServerException"),
                a.toString());
        assertEquals("writer", a.path("database").path("role").asString());
        assertEquals(100, a.path("dial").path("percent").asInt());
    }

    @Test
    void statusShowsEachRegion() {
        CliRun.Result result = gafail("status");
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("writer") && result.out().contains("reader"), result.toString());
    }
}
