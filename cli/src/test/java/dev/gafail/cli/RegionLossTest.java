package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Event;
import dev.gafail.engine.EventType;
import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.Journals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A region lost with its AWS APIs, against the wire-level stub: the topology sends the lost region's
 * APIs (and Global Accelerator's control plane) to a port nobody listens on, so that every call there
 * is refused. What gafail may do without them it does; the rest is deferred and reconciled later.
 */
class RegionLossTest {

    private static final String[] UNPLANNED = {"failover", "--to", "region-b", "--mode", "unplanned",
            "--allow-data-loss", "--yes", "--set", "probeInterval=10ms"};

    @TempDir
    Path home;

    private FakeAws aws;
    private String nobody;

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAws();
        aws.writeTopology(home);
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private CliRun.Result gafail(String... args) {
        return CliRun.in(home).run(args);
    }

    private void lose(String... keys) throws IOException {
        Map<String, String> elsewhere = new java.util.LinkedHashMap<>();
        for (String key : keys) {
            elsewhere.put(key, nobody);
        }
        aws.writeTopology(home, elsewhere);
    }

    private List<Event> deferred(String execution) {
        return Journals.events(home, execution).stream().filter(e -> e.type() == EventType.STEP_DEFERRED).toList();
    }

    private JsonNode status() {
        return Json.MAPPER.readTree(gafail("status", "--output", "json").out());
    }

    @Test
    void anUnplannedFailoverAsksOnlyTheTargetAndDefersFencingTheLostRegionUntilReconcile() throws IOException {
        aws.lose(aws.a);
        lose("us-east-1");
        CliRun.Result result = gafail(UNPLANNED);

        assertEquals(6, result.code(), result.toString());
        assertEquals(List.of("UpdateService@eu-west-1", "FailoverGlobalCluster@eu-west-1",
                "UpdateEndpointGroup@us-west-2", "UpdateEndpointGroup@us-west-2"), aws.mutations());
        assertTrue(aws.calls().stream().anyMatch(c -> c.operation().equals("GetCallerIdentity")
                && c.signingRegion().equals("eu-west-1")), "the identity is asked of the target's STS");
        String id = Journals.only(home);
        assertEquals(List.of("fence-failed-region"), deferred(id).stream().map(Event::step).toList());
        assertEquals("us-east-1's AWS APIs (region-a)", deferred(id).get(0).text("unreachable"));
        assertTrue(result.err().contains("with 1 deferred step(s): fence-failed-region")
                && result.err().contains("gafail reconcile " + id), result.toString());
        assertEquals("fence-failed-region", status().at("/deferred/0/step").asString());

        CliRun.Result stillDown = gafail("reconcile", "--yes");
        assertEquals(6, stillDown.code(), stillDown.toString());
        assertEquals(4, aws.mutations().size(), "nothing changed while region-a does not answer");

        aws.writeTopology(home);
        CliRun.Result reconciled = gafail("reconcile", "--yes");
        assertEquals(0, reconciled.code(), reconciled.toString());
        assertEquals("UpdateService@us-east-1", aws.mutations().get(aws.mutations().size() - 1));
        assertEquals(1, aws.desired(aws.a), "fenced to its warm size");
        assertEquals(0, status().path("deferred").size());
        assertEquals("succeeded", Json.MAPPER.readTree(gafail("history", "--output", "json").out())
                .at("/0/status").asString());
        CliRun.Result again = gafail("reconcile", "--yes");
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().contains("nothing to reconcile"), again.toString());
    }

    @Test
    void withoutTheAcceleratorsControlPlaneTheDataPlaneIsCheckedAndTheDialsWaitForReconcile() throws IOException {
        aws.lose(aws.a);
        lose("us-east-1", "globalaccelerator");
        CliRun.Result result = gafail(UNPLANNED);

        assertEquals(6, result.code(), result.toString());
        assertEquals(List.of("UpdateService@eu-west-1", "FailoverGlobalCluster@eu-west-1"), aws.mutations());
        List<Event> deferred = deferred(Journals.only(home));
        assertEquals(List.of("traffic-to-target", "traffic-off-failed-region", "fence-failed-region"),
                deferred.stream().map(Event::step).toList());
        assertTrue(deferred.get(0).message().contains("clients reach region-b through the accelerator's data plane"),
                deferred.get(0).message());
        assertEquals("Global Accelerator's control plane (us-west-2)", deferred.get(0).text("unreachable"));
        assertTrue(deferred.get(1).message().contains("waits for deferred step 'traffic-to-target'"),
                deferred.get(1).message());

        aws.writeTopology(home);
        CliRun.Result reconciled = gafail("reconcile", "--yes");
        assertEquals(0, reconciled.code(), reconciled.toString());
        assertEquals(100, aws.dial(aws.b));
        assertEquals(0, aws.dial(aws.a));
        assertEquals(1, aws.desired(aws.a));
    }

    @Test
    void aDryRunWithTheOldRegionLostIsCompleteAndSaysWhatWouldBeDeferred() throws IOException {
        lose("us-east-1");
        CliRun.Result plan = gafail("failover", "--to", "region-b", "--mode", "unplanned", "--allow-data-loss",
                "--dry-run");
        assertEquals(0, plan.code(), plan.toString());
        assertTrue(plan.out().contains("would be deferred: "), plan.toString());
        assertEquals(List.of(), aws.mutations());
    }

    @Test
    void aPlannedFailoverRefusesWhenARegionsApisOrTheAcceleratorsControlPlaneDoNotAnswer() throws IOException {
        for (String lost : List.of("us-east-1", "eu-west-1", "globalaccelerator")) {
            lose(lost);
            CliRun.Result result = gafail("failover", "--to", "region-b", "--yes");
            assertEquals(3, result.code(), lost + ": " + result);
            assertTrue(result.err().contains("did not answer") && result.err().contains("--mode unplanned")
                    && result.err().contains("nothing was changed"), result.toString());
            assertEquals(List.of(), aws.mutations());
        }
    }

    @Test
    void aProfileThatAssumesARoleAsksTheSurvivingRegionsStsNotItsOwnRegions() throws IOException {
        lose("us-east-1");
        Path config = home.resolve("aws-config");
        Files.writeString(config, """
                [profile oncall]
                role_arn = arn:aws:iam::111122223333:role/oncall
                source_profile = base
                region = us-east-1
                [profile base]
                aws_access_key_id = AKIAEXAMPLE
                aws_secret_access_key = base-secret
                """);
        // The SDK builds the role's STS client itself: only its own settings send that client to the stub.
        System.setProperty("aws.endpointUrlSts", aws.url());
        CliRun.Result plan;
        try {
            plan = CliRun.in(home).env("AWS_CONFIG_FILE", config.toString())
                    .env("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString())
                    .run("--profile", "oncall", "failover", "--to", "region-b", "--mode", "unplanned",
                            "--allow-data-loss", "--dry-run");
        } finally {
            System.clearProperty("aws.endpointUrlSts");
        }
        assertEquals(0, plan.code(), plan.toString() + aws.calls());
        List<String> regions = aws.calls().stream().filter(c -> c.operation().equals("AssumeRole"))
                .map(FakeAws.Call::signingRegion).distinct().toList();
        assertEquals(List.of("eu-west-1"), regions, "the role is assumed in the surviving region");
    }

    @Test
    void aLaterExecutionThatChangedNothingDoesNotSupersedeTheDeferredSteps() throws IOException {
        lose("us-east-1");
        assertEquals(6, gafail(UNPLANNED).code());
        String first = Journals.only(home);
        CliRun.Result refused = gafail("failover", "--to", "region-a", "--yes");
        assertEquals(3, refused.code(), "too early: region-a does not answer yet: " + refused);

        assertEquals("fence-failed-region", status().at("/deferred/0/step").asString(), "still owed");
        aws.writeTopology(home);
        CliRun.Result reconciled = gafail("reconcile", "--yes");
        assertEquals(0, reconciled.code(), reconciled.toString());
        assertTrue(reconciled.out().contains("reconciled 1 of 1"), reconciled.toString());
        assertEquals(1, aws.desired(aws.a));
        assertEquals(first, Json.MAPPER.readTree(gafail("history", "--output", "json").out()).at("/1/id").asString());
    }

    @Test
    void reconcileRefusesWhenALaterExecutionActedOnTheSameTopology() throws IOException {
        lose("us-east-1");
        assertEquals(6, gafail(UNPLANNED).code());
        String first = Journals.only(home);
        aws.writeTopology(home);
        CliRun.Result back = gafail("failover", "--to", "region-a", "--yes", "--set", "holdFor=0s", "--set",
                "probeInterval=10ms");
        assertEquals(0, back.code(), back.toString());
        int before = aws.mutations().size();
        CliRun.Result refused = gafail("reconcile", first, "--yes");
        assertEquals(3, refused.code(), refused.toString());
        assertTrue(refused.err().contains("acted on the same topology after " + first), refused.toString());
        assertEquals(before, aws.mutations().size());
    }
}
