package dev.gafail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each call goes: a service's override, then its region's, then the default, then the SDK's environment. */
class AwsSettingsTest {

    private static final URI DEFAULT = URI.create("http://127.0.0.1:4000");
    private static final URI EAST = URI.create("http://127.0.0.1:4001");
    private static final URI WEST = URI.create("http://127.0.0.1:4002");
    private static final URI STS = URI.create("http://127.0.0.1:4003");

    private static AwsSettings settings(Map<String, URI> overrides, Map<String, String> env) {
        return new AwsSettings(AwsProfiles.none(), new ApiLocations(overrides, "us-west-2", Set.of("us-east-1")), env,
                "test");
    }

    @Test
    void aServicesOverrideWinsOverItsRegionsAndARegionsOverTheDefault() {
        AwsSettings settings = settings(Map.of("default", DEFAULT, "us-east-1", EAST, "us-west-2", WEST, "sts", STS),
                Map.of());
        assertEquals(Optional.of(EAST), settings.endpoint("rds", "us-east-1"));
        assertEquals(Optional.of(WEST), settings.endpoint("globalaccelerator", "us-west-2"));
        assertEquals(Optional.of(STS), settings.endpoint("sts", "us-east-1"));
        assertEquals(Optional.of(DEFAULT), settings.endpoint("ecs", "eu-west-1"));
    }

    @Test
    void withoutOverridesTheSdksEnvironmentDecidesAndAtAwsNothingIsOverridden() {
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9")), settings(Map.of(),
                Map.of("AWS_ENDPOINT_URL_ECS", "http://127.0.0.1:9")).endpoint("ecs", "us-east-1"));
        assertEquals(Optional.empty(), settings(Map.of(), Map.of()).endpoint("ecs", "us-east-1"));
    }

    @Test
    void theEnvironmentWinsOverTheProfileAndAProfilesServiceSectionOverItsEndpointUrl(@TempDir Path dir)
            throws IOException {
        Path config = dir.resolve("config");
        Files.writeString(config, """
                [profile emulator]
                endpoint_url = http://127.0.0.1:5000
                services = split

                [services split]
                sts =
                  endpoint_url = http://127.0.0.1:5001
                """);
        Map<String, String> env = Map.of("AWS_CONFIG_FILE", config.toString(), "AWS_PROFILE", "emulator");
        AwsSettings profiled = new AwsSettings(AwsProfiles.load(null, env, dir), new ApiLocations(Map.of(),
                "us-west-2", Set.of("us-east-1")), env, "test");
        assertEquals(Optional.of(URI.create("http://127.0.0.1:5001")), profiled.endpoint("sts", "us-east-1"));
        assertEquals(Optional.of(URI.create("http://127.0.0.1:5000")), profiled.endpoint("rds", "us-east-1"));
        assertEquals(Optional.of(URI.create("http://127.0.0.1:5000")), profiled.endpoint("sso", "us-east-1"),
                "the profile's endpoint serves IAM Identity Center too");

        Map<String, String> overridden = new HashMap<>(env);
        overridden.put("AWS_ENDPOINT_URL_RDS", "http://127.0.0.1:6000");
        assertEquals(Optional.of(URI.create("http://127.0.0.1:6000")), new AwsSettings(AwsProfiles.load(null,
                overridden, dir), profiled.apis(), overridden, "test").endpoint("rds", "us-east-1"));

        Map<String, String> ignoring = new HashMap<>(env);
        ignoring.put("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
        assertEquals(Optional.empty(), new AwsSettings(AwsProfiles.load(null, ignoring, dir), profiled.apis(), ignoring,
                "test").endpoint("rds", "us-east-1"));
        assertEquals(Optional.of(DEFAULT), new AwsSettings(profiled.profiles(), new ApiLocations(Map.of("default",
                DEFAULT), "us-west-2", Set.of("us-east-1")), env, "test").endpoint("rds", "us-east-1"),
                "the topology's endpoints win over the profile's");
        assertEquals(Optional.of(URI.create("http://127.0.0.1:5000")), new AwsSettings(profiled.profiles(),
                new ApiLocations(Map.of("default", DEFAULT), "us-west-2", Set.of("us-east-1")), env, "test")
                .endpoint("sso", "us-east-1"), "a topology's default does not sign anyone in");
    }

    @Test
    void anEndpointThatIsNoUrlIsOneLineNamingTheSetting() {
        GafailException bad = assertThrows(GafailException.class, () -> settings(Map.of(),
                Map.of("AWS_ENDPOINT_URL_RDS", "127.0.0.1:4566")).endpoint("rds", "us-east-1"));
        assertEquals(ExitCode.USAGE, bad.exitCode());
        assertEquals(List.of("AWS_ENDPOINT_URL_RDS: not an http(s) URL: '127.0.0.1:4566'"), bad.lines());
    }

    @Test
    void nothingLeavesTheMachineOnlyWhenEveryRegionCalledIsOnIt() {
        assertTrue(settings(Map.of("us-east-1", EAST, "us-west-2", WEST), Map.of()).allLoopback());
        assertFalse(settings(Map.of("us-east-1", EAST), Map.of()).allLoopback(),
                "Global Accelerator's calls in us-west-2 would go to AWS");
    }
}
