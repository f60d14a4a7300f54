package dev.gafail.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gafail.testing.CliRun;
import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologyLoaderTest {

    private final TopologyLoader loader = new TopologyLoader();

    private static String example() throws IOException {
        try (InputStream in = TopologyLoader.class.getResourceAsStream("example.gafail.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theExampleIsValid() throws Exception {
        Topology topology = loader.parse("gafail.yaml", example().getBytes(StandardCharsets.UTF_8));
        assertEquals("orders-api", topology.name());
        assertEquals("111122223333", topology.account());
        assertEquals(List.of("region-a", "region-b"), List.copyOf(topology.regions().keySet()));
        assertEquals("region-b", topology.peer("region-a").name());
        assertEquals("orders-b", topology.require("region-b").dbClusterId());
        assertEquals("topology:orders-api", topology.lockScope());
    }

    @Test
    void theRegionsWriteThroughAWriterEndpointOnlyWhenTheFileSaysSo() throws Exception {
        Topology endpoint = loader.parse("gafail.yaml", example().getBytes(StandardCharsets.UTF_8));
        assertTrue(endpoint.writerEndpoint());
        assertEquals(true, endpoint.variables().get("writerEndpoint"), "runbooks read topology.writerEndpoint");

        String without = example().lines().filter(l -> !l.startsWith("writerEndpoint:"))
                .collect(Collectors.joining("\n", "", "\n"));
        Topology local = loader.parse("gafail.yaml", without.getBytes(StandardCharsets.UTF_8));
        assertFalse(local.writerEndpoint());
        assertEquals(false, local.variables().get("writerEndpoint"));
    }

    @Test
    void endpointsMayBeGivenPerAwsRegionAndTheAcceleratorsControlPlaneRegionDefaultsToUsWest2() throws Exception {
        Topology plain = loader.parse("gafail.yaml", example().getBytes(StandardCharsets.UTF_8));
        assertEquals("us-west-2", plain.acceleratorRegion());

        String elsewhere = example().replace("accelerator: {arn: ", "accelerator: {controlPlaneRegion: eu-west-1, arn: ")
                + "endpoints: {default: \"http://127.0.0.1:4566\", us-east-1: \"http://127.0.0.1:4001\","
                + " us-west-2: \"http://127.0.0.1:4002\"}\n";
        Topology topology = loader.parse("gafail.yaml", elsewhere.getBytes(StandardCharsets.UTF_8));
        assertEquals("eu-west-1", topology.acceleratorRegion());
        assertEquals(URI.create("http://127.0.0.1:4001"), topology.endpoints().get("us-east-1"));
        assertEquals(URI.create("http://127.0.0.1:4002"), topology.endpoints().get("us-west-2"));
    }

    @Test
    void sloTargetsApplyPerRegionOverTheDefaultAndRecoveryNamesItsOwner() throws Exception {
        String text = example() + """
                slo:
                  default: {availability: 99.5, p95: 1200ms, p99: 2500ms, errorRate: 2}
                  region-b: {p95: 800ms, window: 5m, minSamples: 600}
                recovery: {rto: 5m, rpo: 0s, owner: payments-oncall}
                """;
        Topology topology = loader.parse("gafail.yaml", text.getBytes(StandardCharsets.UTF_8));

        assertEquals(new Targets.Slo(99.5, Duration.ofMillis(1200), Duration.ofMillis(2500), 2.0,
                Targets.Slo.DEFAULT_WINDOW, Targets.Slo.DEFAULT_MIN_SAMPLES), topology.slo().get("region-a"));
        assertEquals(new Targets.Slo(null, Duration.ofMillis(800), null, null, Duration.ofMinutes(5), 600),
                topology.slo().get("region-b"), "a region's own entry replaces the default, whole");
        assertEquals(new Targets.Recovery(Duration.ofMinutes(5), Duration.ZERO, "payments-oncall"), topology.recovery());
        assertEquals(Map.of("rto", 300_000L, "rpo", 0L, "owner", "payments-oncall"),
                topology.variables().get("recovery"));

        Topology none = loader.parse("gafail.yaml", example().getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of(), none.slo());
        assertNull(none.recovery());
    }

    @Test
    void anSloForARegionTheTopologyLacksOrAnOwnerlessRecoveryIsOneLineEach() throws Exception {
        long end = example().lines().count();
        for (String[] broken : new String[][] {
                {"slo:\n  region-c: {p95: 1s}\n", "gafail.yaml:" + (end + 2) + ":13: no region 'region-c' in this topology;"
                        + " slo's keys are its regions (region-a, region-b) or default (at /slo/region-c)"},
                {"recovery: {rto: 5m, rpo: 0s}\n", "gafail.yaml:" + (end + 1) + ":11: missing required field 'owner'"
                        + " (at /recovery)"}}) {
            InvalidFileException e = assertThrows(InvalidFileException.class,
                    () -> loader.parse("gafail.yaml", (example() + broken[0]).getBytes(StandardCharsets.UTF_8)));

            assertEquals(List.of(broken[1]), e.problems().stream().map(p -> p.format()).toList());
        }
    }

    /** Each broken example gives one problem, at the line and column of the bad value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "us-west-2:111122223333:cluster:orders-b|us-west-2:444455556666:cluster:orders-b|account 444455556666 differs",
        "us-west-2:111122223333:cluster:orders-b|eu-west-1:111122223333:cluster:orders-b|cluster is in eu-west-1",
        "activeCount: 4, warmCount: 1}\\n    healthz: https://b|activeCount: 2, warmCount: 3}\\n    healthz: https://b|warmCount 3 is more than activeCount 2",
        "endpoint: https://api.example.com|endpoint: ftp://api.example.com|an http:// or https:// URL",
        "awsRegion: us-west-2|awsRegion: us-east-1|both in us-east-1",
        "globalDatabase: orders-global|globalDatabase: 9lives|an Aurora global cluster identifier",
        "writerEndpoint: true|writerEndpoint: yes|expected true or false, found \"yes\"",
        "    healthz: https://b.api.example.com/healthz|    healthz: https://b.api.example.com/healthz\\n    extra: 1|unknown field 'extra'",
        "endpoint: https://api.example.com|endpoint: http://127.0.0.1:999999|port 999999 is not between 1 and 65535",
        "endpoint: https://api.example.com|endpoint: http://127.0.0.1:0/|port 0 is not between 1 and 65535",
        "endpoint: https://api.example.com|endpoint: http://127.0.0.1:99999999999|127.0.0.1:99999999999 is not a host",
        "endpoint: https://api.example.com|endpoint: http://:8080|:8080 is not a host with an optional port",
        "endpoint: https://api.example.com|endpoint: http://[::1|not a valid URL",
        "    healthz: https://b.api.example.com/healthz|    healthz: https://b.api.example.com:65536/healthz|port 65536",
        "globalDatabase: orders-global|globalDatabase: orders-global\\nendpoints: {default: http://localhost:70000}|port 70000",
        "globalDatabase: orders-global|globalDatabase: orders-global\\nendpoints: {mars-1: http://localhost:4566}|unknown field 'mars-1'",
        "globalDatabase: orders-global|globalDatabase: orders-global\\nendpoints: {us-east-1: ftp://localhost}|an http:// or https:// URL",
    })
    void problemsArePositioned(String from, String to, String words) throws Exception {
        String original = example();
        String broken = original.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertTrue(!broken.equals(original), "the edit applies");
        InvalidFileException e = assertThrows(InvalidFileException.class,
                () -> loader.parse("gafail.yaml", broken.getBytes(StandardCharsets.UTF_8)));
        Problem problem = e.problems().stream().filter(p -> p.message().contains(words)).findFirst()
                .orElseThrow(() -> new AssertionError(e.problems().toString()));
        assertTrue(problem.format().matches("gafail\\.yaml:\\d+:\\d+: .*"), problem.format());
        String line = broken.lines().toList().get(problem.position().line() - 1);
        String key = problem.pointer().substring(problem.pointer().lastIndexOf('/') + 1);
        assertTrue(line.contains(key + ":"), "points at the line of " + key + ": " + line);
    }

    @Test
    void anEmptyFileSaysWhatATopologyIs() {
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> loader.parse("t.yaml", new byte[0]));
        assertTrue(e.problems().get(0).format().contains("a topology is a YAML mapping"));
    }

    @Test
    void topologyValidateRefusesAnImpossiblePortInOneLine(@TempDir Path home) throws IOException {
        Path file = home.resolve("gafail.yaml");
        Files.writeString(file, example().replace("endpoint: https://api.example.com", "endpoint: http://127.0.0.1:999999"));

        CliRun.Result result = CliRun.in(home).run("--topology", file.toString(), "topology", "validate");

        assertEquals(2, result.code(), result.toString());
        assertEquals(file + ":5:11: port 999999 is not between 1 and 65535 (at /endpoint)", result.err().strip());
    }

    @Test
    void theAuditRecordsRetentionDefaultsToAYearInComplianceModeAndMayBeSet() throws Exception {
        String bucket = "state: {s3: {bucket: orders-state, region: us-east-2";
        StateBucket plain = loader.parse("gafail.yaml", (example() + bucket + "}}\n").getBytes(StandardCharsets.UTF_8))
                .stateBucket().orElseThrow();
        assertEquals(new StateBucket.AuditRetention("COMPLIANCE", 365), plain.audit());
        StateBucket set = loader.parse("gafail.yaml", (example() + bucket
                + ", audit: {mode: governance, retentionDays: 30}}}\n").getBytes(StandardCharsets.UTF_8))
                .stateBucket().orElseThrow();
        assertEquals(new StateBucket.AuditRetention("GOVERNANCE", 30), set.audit());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mode: forever | /state/s3/audit/mode",
        "retentionDays: 0 | /state/s3/audit/retentionDays",
        "retentionDays: 2y | /state/s3/audit/retentionDays"})
    void aBadAuditRetentionIsOnePositionedLineAndExit2(String setting, String path, @TempDir Path home)
            throws IOException {
        Path file = home.resolve("gafail.yaml");
        Files.writeString(file, example() + "state: {s3: {bucket: orders-state, region: us-east-2, audit: {" + setting
                + "}}}\n");

        CliRun.Result result = CliRun.in(home).run("--topology", file.toString(), "topology", "validate");

        assertEquals(2, result.code(), result.toString());
        List<String> lines = result.err().strip().lines().toList();
        assertEquals(1, lines.size(), result.err());
        assertTrue(lines.get(0).startsWith(file + ":") && lines.get(0).endsWith("(at " + path + ")"), result.err());
    }

    @Test
    void notificationsAreNamedByTheirKindWhenUnnamedAndAFileSecretIsTheTopologysNeighbour(@TempDir Path home)
            throws Exception {
        Path file = home.resolve("conf").resolve("gafail.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, example() + """
                notifications:
                  - name: oncall
                    slack: {webhook: {env: GAFAIL_SLACK_WEBHOOK}}
                  - webhook: {url: {file: secrets/webhook-url}}
                    dryRuns: true
                  - sns: {topics: {region-b: "arn:aws:sns:us-west-2:111122223333:oncall"}}
                    events: [started, finished]
                  - sns: {topics: {region-a: "arn:aws:sns:us-east-1:111122223333:oncall"}}
                  - webhook: {url: {ssm: /gafail/incident-webhook}}
                """);

        List<Notifications.Sink> sinks = loader.load(file).notifications();

        assertEquals(List.of("oncall", "webhook", "sns", "sns-2", "webhook-2"),
                sinks.stream().map(Notifications.Sink::name).toList());
        assertEquals(new Notifications.Secret(Notifications.Secret.Source.ENV, "GAFAIL_SLACK_WEBHOOK"), sinks.get(0).url());
        assertEquals(new Notifications.Secret(Notifications.Secret.Source.FILE,
                home.resolve("conf/secrets/webhook-url").toAbsolutePath().toString()), sinks.get(1).url());
        assertTrue(sinks.get(1).dryRuns() && !sinks.get(0).dryRuns());
        assertEquals(List.of("started", "finished"), sinks.get(2).events());
        assertEquals(java.util.Map.of("region-b", "arn:aws:sns:us-west-2:111122223333:oncall"), sinks.get(2).topics());
        assertEquals(Notifications.Kind.SNS, sinks.get(3).kind());
        assertEquals("oncall (slack)", sinks.get(0).describe());
        assertEquals("SSM parameter /gafail/incident-webhook", sinks.get(4).url().describe());
    }

    @Test
    void aWebhookUrlWrittenInTheTopologyIsRefusedInOneLineThatDoesNotRepeatIt(@TempDir Path home) throws IOException {
        Path file = home.resolve("gafail.yaml");
        String example = example();
        Files.writeString(file, example + "notifications:\n  - slack: {webhook: \"https://hooks.slack.com/services/T0/B0/s3cr3t\"}\n");

        CliRun.Result result = CliRun.in(home).run("--topology", file.toString(), "topology", "validate");

        assertEquals(2, result.code(), result.toString());
        assertEquals(file + ":" + (example.lines().count() + 2) + ":22: a webhook URL is a secret: name where to read it,"
                + " {env: NAME}, {file: PATH} or {ssm: NAME}, never the URL itself (at /notifications/0/slack/webhook)",
                result.err().strip());
        assertTrue(!result.err().contains("s3cr3t") && !result.out().contains("s3cr3t"), result.toString());
    }

    /** Each broken notification gives a problem with these words, at the line of the key the pointer ends in. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{slack: {webhook: {env: A}}, sns: {topics: {region-a: \"arn:aws:sns:us-east-1:111122223333:t\"}}}|exactly one of slack, webhook or sns, not slack and sns",
        "{name: oncall, events: [started]}|a notification names exactly one of slack, webhook or sns",
        "{sns: {topics: {region-c: \"arn:aws:sns:us-east-1:111122223333:t\"}}}|no region 'region-c' in this topology",
        "{sns: {topics: {region-b: \"arn:aws:sns:us-east-1:111122223333:t\"}}}|topic is in us-east-1, but region-b's awsRegion is us-west-2",
        "{webhook: {url: {env: A}}, events: [started, finishd]}|must be one of",
        "{webhook: {url: {env: A, file: b}}}|/url",
        "{webhook: {url: {env: \"NOT A NAME\"}}}|an environment variable's name",
        "{slack: {webhook: {env: A}}}\\n  - slack: {webhook: {env: B}}\\n  - name: slack\\n    webhook: {url: {env: C}}|notifications 1 and 3 are both named slack",
    })
    void brokenNotificationsArePositioned(String sink, String words) throws Exception {
        String broken = example() + "notifications:\n  - " + sink.replace("\\n", "\n") + "\n";
        InvalidFileException e = assertThrows(InvalidFileException.class,
                () -> loader.parse("gafail.yaml", broken.getBytes(StandardCharsets.UTF_8)));
        Problem problem = e.problems().stream().filter(p -> p.format().contains(words)).findFirst()
                .orElseThrow(() -> new AssertionError(e.problems().toString()));
        assertTrue(problem.format().matches("gafail\\.yaml:\\d+:\\d+: .*") && problem.pointer().startsWith("/notifications/"),
                problem.format());
        assertTrue(problem.position().line() > example().lines().count(), problem.format());
    }

    /** Java's regex engine recurses per repetition of a group: a pattern with an unbounded group overflowed. */
    @Test
    void aRegionNameOfThousandsOfPartsIsAProblemNotAStackOverflow() throws IOException {
        String broken = example().replace("awsRegion: us-west-2", "awsRegion: us" + "-west".repeat(5000) + "-2");

        InvalidFileException e = assertThrows(InvalidFileException.class,
                () -> loader.parse("gafail.yaml", broken.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.problems().get(0).format().contains("an AWS region such as us-east-1"), e.getMessage());
    }
}
