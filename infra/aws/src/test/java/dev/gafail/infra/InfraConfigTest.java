package dev.gafail.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration file: defaults under what it says, and one clear line per bad value. */
class InfraConfigTest {

    private static List<String> problems(String yaml) {
        InvalidFileException e = assertThrows(InvalidFileException.class, () -> new InfraConfigLoader()
                .parse("gafail-infra.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
        return e.problems().stream().map(Problem::format).toList();
    }

    @Test
    void whatTheFileSaysOverTheDefaults() throws Exception {
        InfraConfig config = new InfraConfigLoader().parse("gafail-infra.yaml", """
                account: "444455556666"
                mode: active-active
                regions: {region-b: {awsRegion: eu-west-1, dial: 40}}
                service: {image: "example/sample-api:1.0", activeCount: 3}
                alarms: {notify: [oncall@example.com]}
                state: {awsRegion: eu-central-1, prefix: orders/}
                """.getBytes(StandardCharsets.UTF_8));
        assertEquals("444455556666", config.account());
        assertEquals(InfraConfig.Mode.ACTIVE_ACTIVE, config.mode());
        assertEquals("eu-west-1", config.secondary().awsRegion());
        assertEquals(40, config.dial(config.secondary()));
        assertEquals(3, config.desiredCount(config.secondary()), "both regions are active");
        assertEquals("example/sample-api:1.0", config.service().image());
        assertEquals("us-east-1", config.primary().awsRegion());
        assertEquals("16.6", config.database().engineVersion());
        assertEquals("eu-central-1", config.state().awsRegion());
        assertEquals("gafail-state-444455556666-eu-central-1", config.stateBucket(), "unique to account and region");
        assertEquals("orders/", config.statePrefix());
        assertEquals("gafail/", InfraConfig.defaults().statePrefix());
        assertEquals(List.of("oncall@example.com"), config.alarms().notifyEmails());
        assertEquals(5, config.alarms().fiveXxPercent());
        assertEquals(List.of(), InfraConfig.defaults().alarms().notifyEmails());
    }

    @Test
    void aMalformedNotifyAddressIsOneLineNamingItsKey() {
        assertEquals(List.of("gafail-infra.yaml:1:37: \"oncall at example.com\" is not valid: an e-mail address,"
                        + " such as oncall@example.com (at /alarms/notify/1)"),
                problems("alarms: {notify: [lead@example.com, oncall at example.com]}\n"));
        assertEquals(1, problems("alarms: {notify: [oncall@example]}\n").size());
    }

    @Test
    void aStateBucketInEitherRegionOfTheTopologyIsRefused() {
        assertEquals(List.of("gafail-infra.yaml:1:20: the state bucket is in us-east-1, region-a's region; set"
                + " state.awsRegion to a third region, so the team's state outlives the loss of either"
                + " (at /state/awsRegion)"), problems("state: {awsRegion: us-east-1}\n"));
        assertEquals(List.of("gafail-infra.yaml:1:33: the state bucket is in us-east-2, region-b's region; set"
                + " state.awsRegion to a third region, so the team's state outlives the loss of either"
                + " (at /regions/region-b/awsRegion)"), problems("regions: {region-b: {awsRegion: us-east-2}}\n"),
                "region-b moved onto the default state region");
    }

    @Test
    void aBadValueIsOneLineWithItsPosition() {
        assertEquals(List.of("gafail-infra.yaml:2:7: must be one of [\"active-passive\",\"active-active\"], found"
                + " \"active-standby\" (at /mode)"), problems("name: gafail\nmode: active-standby\n"));
        assertEquals(List.of("gafail-infra.yaml:1:33: region-a and region-b are both in us-east-1; a global"
                        + " database spans two AWS regions (at /regions/region-b/awsRegion)"),
                problems("regions: {region-b: {awsRegion: us-east-1}}\n"));
        assertFalse(problems("service: {warmCount: 5}\n").isEmpty());
    }

    @Test
    void aDatabaseWithoutTheDataApiIsRefusedSinceTheRestoreDrillChecksThroughIt() {
        assertEquals(List.of("gafail-infra.yaml:1:27: Aurora PostgreSQL 16.0 has no RDS Data API, which the restore"
                + " drill checks restored data with; choose 16.1 or later (at /database/engineVersion)"),
                problems("database: {engineVersion: \"16.0\"}\n"));
        assertEquals(1, problems("database: {engineVersion: \"12.22\"}\n").size());
        assertEquals(List.of("gafail-infra.yaml:1:27: db.t4g.medium is a T instance class, on which the RDS Data API"
                + " does not run (the restore drill checks restored data with it); choose another, such as"
                + " db.r6g.large (at /database/instanceClass)"), problems("database: {instanceClass: db.t4g.medium}\n"));
    }

    @Test
    void theWriterEndpointIsOnUnlessTheFileTurnsItOffWithABoolean() throws Exception {
        assertTrue(InfraConfig.defaults().database().writerEndpoint());
        assertFalse(new InfraConfigLoader().parse("gafail-infra.yaml", "database: {writerEndpoint: false}\n"
                .getBytes(StandardCharsets.UTF_8)).database().writerEndpoint());
        assertEquals(List.of("gafail-infra.yaml:1:28: expected true or false, found \"yes\""
                + " (at /database/writerEndpoint)"), problems("database: {writerEndpoint: yes}\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"account: 1234\n", "state: {awsRegion: us-west-2}\n"})
    void synthWithABadConfigurationIsExitTwoAndOneLine(String yaml, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        GafailCli.Result result = GafailCli.java("dev.gafail.infra.GafailInfra", file.toString(),
                dir.resolve("out").toString());
        assertEquals(2, result.code(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().startsWith(file + ":1:"), result.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing synthesized");
    }
}
