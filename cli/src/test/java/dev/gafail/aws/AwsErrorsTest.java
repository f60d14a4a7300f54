package dev.gafail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.StepFailure;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.SilentServer;
import java.net.InetAddress;
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

    private AwsClients clients(String endpoint, AwsClients.Timeouts timeouts) {
        return new AwsClients(new AwsSettings(null, new ApiLocations(Map.of("default", URI.create(endpoint)), "us-west-2",
                Set.of("us-east-1", "eu-west-1")), Map.of(), home, "test"),
                timeouts);
    }

    /** The failure of one DescribeAlarms and one DescribeEndpointGroup (Query XML and JSON) against {@code endpoint}. */
    private List<StepFailure> failures(String endpoint, AwsClients.Timeouts timeouts) {
        try (AwsClients clients = clients(endpoint, timeouts)) {
            return List.of(
                    assertThrows(StepFailure.class, () -> new Telemetry(clients, java.time.Clock.systemUTC())
                            .alarms("us-east-1", List.of("orders-5xx"), null)),
                    assertThrows(StepFailure.class, () -> new Accelerator(clients.globalAccelerator(),
                            FakeAws.ACCELERATOR).group(aws.a.group())));
        }
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
    void aRefusedConnectionAndATimeoutAreRetried() throws Exception {
        String closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }
        failures(closed, AwsClients.Timeouts.STATUS).forEach(f -> assertTrue(f.retryable(), f.getMessage()));
        try (SilentServer silent = new SilentServer()) {
            List<StepFailure> timedOut = failures(silent.url(), AwsClients.Timeouts.STATUS);
            timedOut.forEach(f -> assertTrue(f.retryable() && f.getMessage().contains("timed out"), f.getMessage()));
        }
    }
}
