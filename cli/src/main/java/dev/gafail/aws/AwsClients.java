package dev.gafail.aws;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.globalaccelerator.GlobalAcceleratorClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The one factory of SDK clients. Clients are built on first use, one per service and region,
 * over one shared URL-connection HTTP client; they retry adaptively, identify themselves as
 * {@code gafail/VERSION}, and honour the endpoint overrides. When every endpoint is on this machine
 * and no credentials are configured, they sign with static test credentials and the instance
 * metadata service is never asked, so nothing leaves the machine.
 */
public final class AwsClients implements AutoCloseable {

    /** Global Accelerator's control plane lives in us-west-2, whatever the regions it serves. */
    public static final String GLOBAL_ACCELERATOR_REGION = "us-west-2";

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(45);

    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(ATTEMPT_TIMEOUT).build();
        this.credentials = credentials(settings);
    }

    /** Whether calls sign with the static test credentials (the lab, an emulator). */
    public boolean offline() {
        return settings.allLoopback() && !settings.credentialsConfigured();
    }

    private static AwsCredentialsProvider credentials(AwsSettings settings) {
        if (settings.allLoopback() && !settings.credentialsConfigured()) {
            System.setProperty(SdkSystemSetting.AWS_EC2_METADATA_DISABLED.property(), "true");
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
        if (settings.profile() != null) {
            return ProfileCredentialsProvider.create(settings.profile());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    public GlobalAcceleratorClient globalAccelerator() {
        return client("globalaccelerator", GLOBAL_ACCELERATOR_REGION, GlobalAcceleratorClient::builder);
    }

    public RdsClient rds(String region) {
        return client("rds", region, RdsClient::builder);
    }

    public EcsClient ecs(String region) {
        return client("ecs", region, EcsClient::builder);
    }

    public CloudWatchClient cloudWatch(String region) {
        return client("cloudwatch", region, CloudWatchClient::builder);
    }

    public StsClient sts(String region) {
        return client("sts", region, StsClient::builder);
    }

    @SuppressWarnings("unchecked")
    private <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
            String service, String region, Supplier<B> builder) {
        return (C) clients.computeIfAbsent(service + "@" + region, key -> {
            B b = builder.get().region(Region.of(region)).credentialsProvider(credentials).httpClient(http)
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .retryStrategy(RetryMode.ADAPTIVE_V2)
                            .apiCallAttemptTimeout(ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT)
                            .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, "gafail/" + settings.version())
                            .build());
            settings.endpoint(service).ifPresent(b::endpointOverride);
            return b.build();
        });
    }

    /** Closes the clients, the HTTP client and the credentials provider, each even if one before it fails. */
    @Override
    public void close() {
        try {
            clients.values().forEach(SdkClient::close);
        } finally {
            try {
                http.close();
            } finally {
                if (credentials instanceof SdkAutoCloseable closeable) {
                    closeable.close();
                }
            }
        }
    }
}
