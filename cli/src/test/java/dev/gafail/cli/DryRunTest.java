package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What CI relies on: a dry run of the bundled runbooks is green against a complete endpoint and
 * exits 7 (incomplete plan) against one that lacks a service the runbook needs.
 */
class DryRunTest {

    @TempDir
    Path home;

    private FakeAws aws;
    private HttpServer lacking;

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAws();
        aws.writeTopology(home);
        // An emulator without ECS: every call is an operation it does not know, as the lab answers one.
        lacking = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        lacking.createContext("/", exchange -> {
            byte[] body = "{\"__type\":\"UnknownOperationException\",\"message\":\"the ecs service is not enabled\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        lacking.start();
    }

    @AfterEach
    void stop() {
        lacking.stop(0);
        aws.close();
    }

    private CliRun.Result gafail(String... args) {
        return CliRun.in(home).run(args);
    }

    @Test
    void theBundledRunbooksDryRunGreenAgainstACompleteEndpoint() {
        for (List<String> mode : List.<List<String>>of(List.of(), List.of("--mode", "unplanned", "--allow-data-loss"))) {
            String[] args = concat(List.of("failover", "--to", "region-b", "--dry-run"), mode);
            CliRun.Result result = gafail(args);

            assertEquals(0, result.code(), mode + ": " + result);
            assertTrue(!result.out().contains("cannot plan"), mode + ": " + result.out());
            assertEquals(List.of(), aws.mutations());
        }
    }

    @Test
    void thePlannedFailoverMovesTheWriterFirstWithoutAWriterEndpointAndTheTrafficFirstWithOne() throws IOException {
        CliRun.Result writerFirst = gafail("failover", "--to", "region-b", "--dry-run");
        assertEquals(0, writerFirst.code(), writerFirst.toString());
        assertTrue(writerFirst.out().indexOf("SwitchoverGlobalCluster") < writerFirst.out().indexOf("UpdateEndpointGroup"),
                writerFirst.out());
        assertTrue(writerFirst.out().contains("shift-traffic-first (traffic.shift)  skipped: its 'when' is false"),
                writerFirst.out());

        aws.writerEndpoint();
        aws.writeTopology(home);
        CliRun.Result trafficFirst = gafail("failover", "--to", "region-b", "--dry-run");
        assertEquals(0, trafficFirst.code(), trafficFirst.toString());
        int dials = trafficFirst.out().indexOf("UpdateEndpointGroup");
        int switchover = trafficFirst.out().indexOf("SwitchoverGlobalCluster");
        assertTrue(dials > 0 && switchover > dials, trafficFirst.out());
        assertTrue(trafficFirst.out().contains("shift-traffic (traffic.shift)  skipped: its 'when' is false"),
                trafficFirst.out());
        int alarms = trafficFirst.out().indexOf("target-alarms-ok (cloudwatch.alarms)");
        assertTrue(alarms > trafficFirst.out().indexOf("switch-writer (aurora.switchover)") && !trafficFirst.out()
                .contains("target-alarms-ok (cloudwatch.alarms)  skipped"), "the target's alarms after the switch: "
                + trafficFirst.out());
        assertEquals(List.of(), aws.mutations());
    }

    @Test
    void theUnplannedRunbooksDrainOfTheLostRegionIsKnownAfterTheTargetTakesTraffic() {
        CliRun.Result result = gafail("failover", "--to", "region-b", "--mode", "unplanned", "--allow-data-loss",
                "--dry-run");

        assertTrue(result.out().contains("traffic-off-failed-region (traffic.set)  known after apply (reads"
                + " steps.traffic-to-target.outputs.region)"), result.out());
    }

    @Test
    void aDryRunAgainstAnEndpointLackingAServiceIsIncomplete() throws IOException {
        Path topology = home.resolve("gafail.yaml");
        Files.writeString(topology, Files.readString(topology).replace("endpoints: {default: \"" + aws.url() + "\"}",
                "endpoints: {default: \"" + aws.url() + "\", ecs: \"http://127.0.0.1:" + lacking.getAddress().getPort()
                        + "\"}"));

        for (List<String> mode : List.<List<String>>of(List.of(), List.of("--mode", "unplanned", "--allow-data-loss"))) {
            CliRun.Result result = gafail(concat(List.of("failover", "--to", "region-b", "--dry-run"), mode));

            assertEquals(7, result.code(), mode + ": " + result);
            assertTrue(result.out().contains("scale-target (ecs.scale)  cannot plan: "), mode + ": " + result.out());
            assertTrue(result.err().contains("incomplete plan: ") && result.err().contains("scale-target"),
                    mode + ": " + result.err());
            assertEquals(List.of(), aws.mutations());
        }
    }

    private static String[] concat(List<String> head, List<String> tail) {
        return java.util.stream.Stream.concat(head.stream(), tail.stream()).toArray(String[]::new);
    }
}
