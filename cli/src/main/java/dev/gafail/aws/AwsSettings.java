package dev.gafail.aws;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach AWS: the AWS profiles and the one in use, where the APIs are (the topology's endpoint
 * overrides by service, AWS region or default, and Global Accelerator's control plane region), the
 * environment (for {@code AWS_ENDPOINT_URL*} and for credentials), gafail's version for the user
 * agent, and the AWS region whose STS the credentials must use when a region is lost ({@code
 * credentialsRegion}, null: the profile's own).
 */
public record AwsSettings(AwsProfiles profiles, ApiLocations apis, Map<String, String> env, String version,
                          String credentialsRegion) {

    public AwsSettings(AwsProfiles profiles, ApiLocations apis, Map<String, String> env, String version) {
        this(profiles, apis, env, version, null);
    }

    /** These settings with credentials that call STS in {@code awsRegion} only. */
    public AwsSettings pinnedTo(String awsRegion) {
        return new AwsSettings(profiles, apis, env, version, awsRegion);
    }

    /** The services gafail acts on, by the names the topology's {@code endpoints} use. */
    public static final List<String> SERVICES = List.of("globalaccelerator", "rds", "ecs", "cloudwatch", "sts", "fis",
            "sns", "ssm", "iam", "servicequotas", "ec2", "rdsdata");

    /** The services credentials come from besides STS: IAM Identity Center's portal and its OIDC service. */
    public static final List<String> CREDENTIAL_SERVICES = List.of("sso", "ssooidc");

    /**
     * Each service's SDK identifier, as {@code AWS_ENDPOINT_URL_<ID>} and (lower case) as its key in a
     * profile's {@code services} section spell it.
     */
    private static final Map<String, String> SERVICE_IDS = Map.ofEntries(Map.entry("globalaccelerator",
            "GLOBAL_ACCELERATOR"), Map.entry("rds", "RDS"), Map.entry("ecs", "ECS"), Map.entry("cloudwatch", "CLOUDWATCH"),
            Map.entry("sts", "STS"), Map.entry("sso", "SSO"), Map.entry("ssooidc", "SSO_OIDC"), Map.entry("s3", "S3"),
            Map.entry("fis", "FIS"), Map.entry("sns", "SNS"), Map.entry("ssm", "SSM"),
            Map.entry("iam", "IAM"), Map.entry("servicequotas", "SERVICE_QUOTAS"), Map.entry("ec2", "EC2"),
            Map.entry("rdsdata", "RDS_DATA"));

    private static final List<String> CREDENTIAL_VARIABLES = List.of("AWS_ACCESS_KEY_ID", "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI");

    public AwsSettings {
        env = Map.copyOf(env);
    }

    /**
     * Where {@code service} is reached in {@code region}, first found of: the topology's override for
     * the service, for the region, its default (the services gafail acts on only: a lab or emulator
     * does not sign anyone in); {@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL}; the
     * profile's {@code services} section, its {@code endpoint_url}. Empty: AWS itself. A service's key
     * wins over its region's, so that one service can be sent elsewhere (an emulator that has it) in
     * every region. {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true} ignores the environment's and the
     * profile's, as the SDKs do.
     */
    public Optional<URI> endpoint(String service, String region) {
        List<String> keys = SERVICES.contains(service) ? List.of(service, region, "default") : List.of(service);
        for (String key : keys) {
            URI configured = apis.overrides().get(key);
            if (configured != null) {
                return Optional.of(configured);
            }
        }
        if ("true".equalsIgnoreCase(env.getOrDefault("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").trim())) {
            return Optional.empty();
        }
        String id = SERVICE_IDS.get(service);
        for (String name : List.of("AWS_ENDPOINT_URL_" + id, "AWS_ENDPOINT_URL")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(url(value.trim(), name));
            }
        }
        return profiles.endpoint(id.toLowerCase(Locale.ROOT))
                .map(value -> url(value, "AWS profile '" + profiles.name() + "' endpoint_url"));
    }

    /** {@code value} as an http(s) URL, or exit 2 naming the setting it came from. */
    private static URI url(String value, String setting) {
        try {
            URI uri = new URI(value);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // said below, with the setting
        }
        throw new GafailException(ExitCode.USAGE, setting + ": not an http(s) URL: '" + value + "'");
    }

    /** Every service goes to this machine (the lab, an emulator) in every region gafail calls: nothing may leave it. */
    public boolean allLoopback() {
        return SERVICES.stream().allMatch(s -> apis.regions().stream()
                .allMatch(r -> endpoint(s, r).map(AwsSettings::loopback).orElse(false)));
    }

    /**
     * Whether the operator configured credentials: a profile named or present, or the environment's;
     * not the instance metadata, which is never asked for this.
     */
    public boolean credentialsConfigured() {
        return profiles.chosen() || profiles.current().isPresent()
                || CREDENTIAL_VARIABLES.stream().anyMatch(v -> env.get(v) != null);
    }

    private static boolean loopback(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }
}
