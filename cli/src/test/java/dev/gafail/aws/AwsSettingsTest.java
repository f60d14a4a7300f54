package dev.gafail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
    void nothingLeavesTheMachineOnlyWhenEveryRegionCalledIsOnIt() {
        assertTrue(settings(Map.of("us-east-1", EAST, "us-west-2", WEST), Map.of()).allLoopback());
        assertFalse(settings(Map.of("us-east-1", EAST), Map.of()).allLoopback(),
                "Global Accelerator's calls in us-west-2 would go to AWS");
    }
}
