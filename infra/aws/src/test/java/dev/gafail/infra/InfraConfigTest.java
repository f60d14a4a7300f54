package dev.gafail.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gafail.yaml.InvalidFileException;
import dev.gafail.yaml.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                """.getBytes(StandardCharsets.UTF_8));
        assertEquals("444455556666", config.account());
        assertEquals(InfraConfig.Mode.ACTIVE_ACTIVE, config.mode());
        assertEquals("eu-west-1", config.secondary().awsRegion());
        assertEquals(40, config.dial(config.secondary()));
        assertEquals(3, config.desiredCount(config.secondary()), "both regions are active");
        assertEquals("example/sample-api:1.0", config.service().image());
        assertEquals("us-east-1", config.primary().awsRegion());
        assertEquals("16.6", config.database().engineVersion());
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
    void synthWithABadConfigurationIsExitTwoAndOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "account: 1234\n");
        GafailCli.Result result = GafailCli.java("dev.gafail.infra.GafailInfra", file.toString(),
                dir.resolve("out").toString());
        assertEquals(2, result.code(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing synthesized");
    }
}
