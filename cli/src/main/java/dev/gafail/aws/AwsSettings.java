package dev.gafail.aws;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach AWS: the profile ({@code --profile}), where the APIs are (the topology's endpoint
 * overrides by service, AWS region or default, and Global Accelerator's control plane region), the
 * environment (for the SDK's own {@code AWS_ENDPOINT_URL} settings and for credentials), gafail's
 * version for the user agent, and the AWS region whose STS the credential providers must use when
 * a region is lost ({@code credentialsRegion}, null: each profile's own).
 */
public record AwsSettings(String profile, ApiLocations apis, Map<String, String> env, Path home, String version,
                          String credentialsRegion) {

    public AwsSettings(String profile, ApiLocations apis, Map<String, String> env, Path home, String version) {
        this(profile, apis, env, home, version, null);
    }

    /** These settings with credential providers that call STS in {@code awsRegion} only. */
    public AwsSettings pinnedTo(String awsRegion) {
        return new AwsSettings(profile, apis, env, home, version, awsRegion);
    }

    /** The services gafail calls, by the names the topology's {@code endpoints} use. */
    public static final List<String> SERVICES = List.of("globalaccelerator", "rds", "ecs", "cloudwatch", "sts");

    /** The SDK's name for each service in {@code AWS_ENDPOINT_URL_<NAME>}. */
    private static final Map<String, String> ENV_NAMES = Map.of("globalaccelerator", "GLOBAL_ACCELERATOR",
            "rds", "RDS", "ecs", "ECS", "cloudwatch", "CLOUDWATCH", "sts", "STS");

    private static final List<String> CREDENTIAL_VARIABLES = List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI");

    public AwsSettings {
        env = Map.copyOf(env);
    }

    /**
     * Where {@code service} is reached in {@code region}: the topology's override for the service, for
     * the region, its default override, then {@code AWS_ENDPOINT_URL_<SERVICE>} and {@code
     * AWS_ENDPOINT_URL}; empty for AWS itself. A service's key wins over its region's, so that one
     * service can be sent elsewhere (an emulator that has it) in every region.
     */
    public Optional<URI> endpoint(String service, String region) {
        for (String key : List.of(service, region, "default")) {
            URI configured = apis.overrides().get(key);
            if (configured != null) {
                return Optional.of(configured);
            }
        }
        for (String name : List.of("AWS_ENDPOINT_URL_" + ENV_NAMES.get(service), "AWS_ENDPOINT_URL")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(URI.create(value.trim()));
            }
        }
        return Optional.empty();
    }

    /** Every service goes to this machine (the lab, an emulator) in every region gafail calls: nothing may leave it. */
    public boolean allLoopback() {
        return SERVICES.stream().allMatch(s -> apis.regions().stream()
                .allMatch(r -> endpoint(s, r).map(AwsSettings::loopback).orElse(false)));
    }

    /** Whether the default credential chain has anything to find, without asking the instance metadata. */
    public boolean credentialsConfigured() {
        if (profile != null || CREDENTIAL_VARIABLES.stream().anyMatch(v -> env.get(v) != null)) {
            return true;
        }
        Path aws = home.resolve(".aws");
        return Files.exists(aws.resolve("credentials")) || Files.exists(aws.resolve("config"));
    }

    private static boolean loopback(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }
}
