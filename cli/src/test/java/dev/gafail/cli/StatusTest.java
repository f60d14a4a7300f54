package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.GafailProcess;
import dev.gafail.testing.SilentServer;
import dev.gafail.testing.StatusSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code gafail status} answers within seconds whatever the endpoints do, and says which reads failed. */
class StatusTest {

    @TempDir
    Path home;

    private FakeAws aws;
    private SilentServer silent;
    private Path topology;
    private String original;

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAws();
        silent = new SilentServer();
        topology = aws.writeTopology(home);
        original = Files.readString(topology);
    }

    @AfterEach
    void stop() throws IOException {
        aws.close();
        silent.close();
    }

    private record Status(int code, JsonNode json, String err, Duration took) {

        JsonNode cell(String region, String column) {
            return json.path("regions").path(region).path(column);
        }

        /** The alarms of a region's cell by name, with their states. */
        Map<String, String> alarms(String region) {
            Map<String, String> states = new java.util.LinkedHashMap<>();
            cell(region, "alarms").path("alarms").forEach(a -> states.put(a.path("name").asString(),
                    a.path("state").asString()));
            return states;
        }
    }

    /** Runs {@code gafail status --output json} against FakeAws's topology as {@code edit} changes it. */
    private Status status(UnaryOperator<String> edit) throws IOException {
        Files.writeString(topology, edit.apply(original));
        long start = System.nanoTime();
        CliRun.Result result = CliRun.in(home).run("status", "--output", "json", "--topology", topology.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        JsonNode json = Json.MAPPER.readTree(result.out());
        StatusSchema.assertValid(json);
        return new Status(result.code(), json, result.err(), took);
    }

    private UnaryOperator<String> endpoint(String service, String url) {
        return yaml -> yaml.replace("endpoints: {default: \"" + aws.url() + "\"}",
                "endpoints: {default: \"" + aws.url() + "\", " + service + ": \"" + url + "\"}");
    }

    private UnaryOperator<String> healthz(String url) {
        return yaml -> yaml.replace("healthz: " + aws.url(), "healthz: " + url);
    }

    /** An unreadable cell that had no answer: none within status's budget, or within the call's own limit. */
    private static boolean timedOut(JsonNode cell) {
        return List.of("timed-out", "unreachable").contains(cell.path("kind").asString());
    }

    /** The budget is 5 s; the ceilings leave a loaded machine room and still tell it from the 62 s it took. */
    @Test
    void everyEndpointHangingStillAnswersWithinSecondsCellByCell() throws IOException {
        Status status = status(yaml -> healthz(silent.url()).apply(yaml.replace(
                "endpoints: {default: \"" + aws.url() + "\"}", "endpoints: {default: \"" + silent.url() + "\"}")));

        assertTrue(status.took().toMillis() < 15_000, "took " + status.took());
        assertEquals(1, status.code(), status.toString());
        for (String region : List.of("region-a", "region-b")) {
            for (String column : List.of("dial", "endpoints", "database", "lag", "ecs", "healthz", "alarms")) {
                assertTrue(timedOut(status.cell(region, column)), region + "/" + column + ": " + status.json());
            }
        }
        assertEquals(14, status.json().path("failed").size(), status.json().toString());
        assertTrue(status.err().startsWith("gafail: 14 read(s) failed or timed out: region-a/dial, "), status.err());
        assertTrue(silent.connections() > 0, "the reads did reach the hanging endpoint");
    }

    @Test
    void oneHangingServiceTimesOutInItsCellsAndTheRestShow() throws IOException {
        for (Map.Entry<String, List<String>> hanging : Map.of(
                "rds", List.of("database", "lag"),
                "cloudwatch", List.of("alarms"),
                "ecs", List.of("ecs")).entrySet()) {
            Status status = status(endpoint(hanging.getKey(), silent.url()));

            assertTrue(status.took().toMillis() < 15_000, hanging.getKey() + " took " + status.took());
            assertEquals(1, status.code(), hanging + ": " + status);
            for (String column : hanging.getValue()) {
                assertTrue(timedOut(status.cell("region-a", column)), hanging + ": " + status.json());
            }
            assertEquals(100, status.cell("region-a", "dial").path("percent").asInt(), status.json().toString());
            assertEquals("writer", status.cell("region-a", "healthz").path("role").asString(), status.json().toString());
            assertEquals(200, status.cell("region-a", "healthz").path("status").asInt(), status.json().toString());
        }
    }

    @Test
    void aHangingHealthzTimesOutInItsCell() throws IOException {
        Status status = status(healthz(silent.url()));

        assertEquals(1, status.code(), status.toString());
        assertTrue(status.cell("region-b", "healthz").path("error").asString().contains("no answer within 3s"),
                status.json().toString());
        assertEquals("writer", status.cell("region-a", "database").path("role").asString());
    }

    @Test
    void exitsOneWhenAnyReadFailsAndZeroWhenAllAnswered() throws IOException {
        Status fine = status(UnaryOperator.identity());
        assertEquals(0, fine.code(), fine.toString());
        assertEquals(0, fine.json().path("failed").size());
        assertEquals("", fine.err());

        aws.serverError("DescribeServices", 1000);
        Status oneFails = status(UnaryOperator.identity());
        assertEquals(1, oneFails.code(), oneFails.toString());
        assertEquals(List.of("region-a/ecs", "region-b/ecs"), Json.MAPPER.convertValue(oneFails.json().path("failed"),
                List.class));

        String closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }
        Status allRefused = status(yaml -> healthz(closed).apply(yaml.replace(
                "endpoints: {default: \"" + aws.url() + "\"}", "endpoints: {default: \"" + closed + "\"}")));
        assertEquals(1, allRefused.code(), allRefused.toString());
        assertEquals(14, allRefused.json().path("failed").size(), allRefused.json().toString());
        assertTrue(allRefused.took().toMillis() < 15_000, "took " + allRefused.took());
    }

    @Test
    void anAlarmThatDoesNotExistReadsMissingNeverOk() throws IOException {
        aws.absentAlarm(aws.b, "orders-p95");
        Status oneRegion = status(UnaryOperator.identity());
        assertEquals(Map.of("orders-5xx", "OK", "orders-p95", "OK"), oneRegion.alarms("region-a"));
        assertEquals(Map.of("orders-5xx", "OK", "orders-p95", "MISSING"), oneRegion.alarms("region-b"));
        assertEquals(1, oneRegion.code(), oneRegion.toString());

        aws.alarm("orders-5xx", "ALARM");
        Status withFiring = status(yaml -> yaml.replace("alarms: [orders-5xx, orders-p95]",
                "alarms: [orders-5xx, orders-p95, orders-ghost]"));
        assertEquals(Map.of("orders-5xx", "ALARM", "orders-p95", "OK", "orders-ghost", "MISSING"),
                withFiring.alarms("region-a"));
        assertEquals(Map.of("orders-5xx", "ALARM", "orders-p95", "MISSING", "orders-ghost", "MISSING"),
                withFiring.alarms("region-b"));
        assertEquals(1, withFiring.code(), withFiring.toString());
    }

    /**
     * Garbled answers, each protocol: stderr holds gafail's one line and nothing from a parser. Run in a
     * child process, since a parser writes to the process's own stderr, and with the JDK's StAX parser
     * asked for, as that one prints "[Fatal Error]" lines for a malformed byte.
     */
    @Test
    void garbledAnswersBecomeErrorsInTheirCellsAndNoParserWritesToTheTerminal() throws Exception {
        List<Map<String, byte[]>> rounds = List.of(
                Map.of("DescribeAlarms", new byte[] {'<', 'a', '>', (byte) 0xff, (byte) 0xfe, '<', '/', 'a', '>'},
                        "DescribeGlobalClusters", "garbage, not XML".getBytes(StandardCharsets.UTF_8),
                        "DescribeEndpointGroup", new byte[] {0, 1, 2, (byte) 0x80},
                        "DescribeServices", "{\"services\": [".getBytes(StandardCharsets.UTF_8)),
                Map.of("DescribeAlarms", ("<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms><member>"
                                + "<AlarmName>orders-5xx").getBytes(StandardCharsets.UTF_8),
                        "DescribeGlobalClusters", new byte[] {'<', 'x', '>', (byte) 0xc3, '(', '<', '/', 'x', '>'},
                        "GetMetricData", "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"
                                .getBytes(StandardCharsets.UTF_8)));
        for (Map<String, byte[]> garbled : rounds) {
            garbled.forEach(aws::garble);
            try (GafailProcess status = GafailProcess.start(home,
                    List.of("-Djavax.xml.stream.XMLInputFactory=com.sun.xml.internal.stream.XMLInputFactoryImpl"),
                    "status", "--output", "json", "--topology", topology.toString())) {
                assertEquals(1, status.exitCode(), status.err());
                assertFalse(status.err().contains("[Fatal Error]"), status.err());
                assertEquals(1, status.err().lines().count(), status.err());
                JsonNode json = Json.MAPPER.readTree(status.out());
                StatusSchema.assertValid(json);
                assertTrue(json.path("regions").path("region-a").path("alarms").path("error").asString()
                        .startsWith("DescribeAlarms: "), json.toString());
            }
        }
    }
}
