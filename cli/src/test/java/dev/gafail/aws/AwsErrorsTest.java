package dev.gafail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.sun.net.httpserver.HttpServer;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unreachable;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.SilentServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which AWS errors a step retries: those a second try may cure, never an answer that could not be read. */
class AwsErrorsTest {

    @TempDir
    Path home;

    private final FakeAws aws = new FakeAws();

    @AfterEach
    void stop() {
        aws.close();
    }

    private AwsClients clients(String endpoint, AwsClients.Timeouts timeouts, Reachability reachability) {
        return new AwsClients(new AwsSettings(AwsProfiles.none(), new ApiLocations(Map.of("default", URI.create(endpoint)), "us-west-2",
                Set.of("us-east-1", "eu-west-1")), Map.of(), "test"),
                timeouts, reachability);
    }

    /** The failure of one DescribeAlarms and one DescribeEndpointGroup (Query XML and JSON) against {@code endpoint}. */
    private List<StepFailure> failures(String endpoint, AwsClients.Timeouts timeouts) {
        try (AwsClients clients = clients(endpoint, timeouts, Reachability.none())) {
            return failures(clients);
        }
    }

    private List<StepFailure> failures(AwsClients clients) {
        return List.of(
                assertThrows(StepFailure.class, () -> new Telemetry(clients, java.time.Clock.systemUTC())
                        .alarms("us-east-1", List.of("orders-5xx"), null)),
                assertThrows(StepFailure.class, () -> new Accelerator(clients.globalAccelerator(),
                        FakeAws.ACCELERATOR).group(aws.a.group())));
    }

    @Test
    void anAnswerThatCannotBeReadIsNotRetried() {
        for (byte[] garbage : List.of("garbage".getBytes(StandardCharsets.UTF_8), new byte[] {'<', 'a', '>', (byte) 0xff},
                "{\"EndpointGroup\": {".getBytes(StandardCharsets.UTF_8), "<a><b></a>".getBytes(StandardCharsets.UTF_8))) {
            aws.garble("DescribeAlarms", garbage);
            aws.garble("DescribeEndpointGroup", garbage);
            for (StepFailure failure : failures(aws.url(), AwsClients.Timeouts.STATUS)) {
                assertEquals(false, failure.retryable(), new String(garbage, StandardCharsets.UTF_8) + ": " + failure);
            }
        }
    }

    @Test
    void anErrorPageWithNoErrorCodeIsAStepFailureNamingTheOperation() throws Exception {
        // What an AWS emulator answers for a service it lacks (moto: 500 and an HTML page).
        HttpServer emulator = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = "<!doctype html><title>500 Internal Server Error</title>".getBytes(StandardCharsets.UTF_8);
        emulator.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(500, page.length);
            try (exchange) {
                exchange.getResponseBody().write(page);
            }
        });
        emulator.start();
        try {
            List<StepFailure> failures = failures("http://127.0.0.1:" + emulator.getAddress().getPort(),
                    AwsClients.Timeouts.STATUS);
            assertTrue(failures.get(0).getMessage().startsWith("DescribeAlarms"), failures.get(0).getMessage());
            assertTrue(failures.get(1).getMessage().startsWith("DescribeEndpointGroup"), failures.get(1).getMessage());
            failures.forEach(f -> assertTrue(f.getMessage().contains("500"), f.getMessage()));
        } finally {
            emulator.stop(0);
        }
    }

    @Test
    void aRefusalIsNotRetried() {
        aws.refuse("DescribeAlarms", "orders");
        aws.refuse("DescribeEndpointGroup", "endpoint-group");
        failures(aws.url(), AwsClients.Timeouts.STATUS).forEach(f -> assertEquals(false, f.retryable(), f.getMessage()));
    }

    @Test
    void throttlingAndServerErrorsAreRetried() {
        aws.throttle("DescribeAlarms", 100);
        aws.serverError("DescribeEndpointGroup", 100);
        failures(aws.url(), AwsClients.Timeouts.STATUS).forEach(f -> assertTrue(f.retryable(), f.getMessage()));
    }

    @Test
    void aRefusedConnectionOrNoAnswerIsUnreachableNamingTheLocationAndRetryableWhereNotExpected() throws Exception {
        String closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }
        List<String> apis = List.of("us-east-1's AWS APIs (region-a)", "Global Accelerator's control plane (us-west-2)");
        try (SilentServer silent = new SilentServer()) {
            for (String endpoint : List.of(closed, silent.url())) {
                Reachability reachability = new Reachability(Map.of("us-east-1", "region-a"), Set.of());
                try (AwsClients clients = clients(endpoint, AwsClients.Timeouts.STATUS, reachability)) {
                    List<StepFailure> failures = failures(clients);
                    for (int i = 0; i < failures.size(); i++) {
                        Unreachable unreachable = assertInstanceOf(Unreachable.class, failures.get(i), endpoint);
                        assertEquals(apis.get(i), unreachable.api());
                        assertTrue(unreachable.retryable(), "a blip where nothing is expected lost: " + unreachable);
                        assertTrue(unreachable.getMessage().contains(apis.get(i) + " did not answer"), unreachable.getMessage());
                    }
                    assertFalse(reachability.lost("us-east-1").isPresent(), "only an expected-lost place is lost");
                    assertFalse(reachability.lost(Reachability.ACCELERATOR).isPresent());
                }
            }
        }
    }

    @Test
    void aSuspectLocationIsTriedOnceWithoutRetriesAndNeverAgainInTheCommand() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Reachability reachability = new Reachability(Map.of(), Set.of("us-east-1", Reachability.ACCELERATOR));
            try (AwsClients clients = clients(silent.url(), AwsClients.Timeouts.CHANGES, reachability)) {
                List<StepFailure> first = failures(clients);
                assertEquals(2, silent.connections(), "one attempt each, no retries: " + first);
                first.forEach(f -> assertTrue(f instanceof Unreachable && !f.retryable()
                        && f.getMessage().contains("timed out"), f.getMessage()));
                try (AwsClients quick = clients.with(AwsClients.Timeouts.STATUS)) {
                    List<StepFailure> again = failures(quick);
                    again.forEach(f -> assertTrue(f instanceof Unreachable
                            && f.getMessage().contains("earlier in this command"), f.getMessage()));
                }
                assertEquals(2, silent.connections(), "a location found lost is not called again");
            }
        }
    }

    @Test
    void aDeliberateCheckMakesWhatDoesNotAnswerLostForTheRestOfTheCommand() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Reachability reachability = new Reachability(Map.of(), Set.of());
            try (AwsClients clients = clients(silent.url(), AwsClients.Timeouts.STATUS, reachability)) {
                try (AwsClients probe = clients.probing()) {
                    failures(probe);
                }
                int probed = silent.connections();
                assertEquals(2, probed, "one try each");
                failures(clients).forEach(f -> assertTrue(f.getMessage().contains("earlier in this command"),
                        f.getMessage()));
                assertEquals(probed, silent.connections(), "what the check found silent is not called again");
            }
        }
    }
}
