package dev.gafail.aws;

import com.ctc.wstx.stax.WstxInputFactory;
import dev.gafail.engine.ApprovalVerifier;
import dev.gafail.engine.HeldLock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.globalaccelerator.GlobalAcceleratorClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.endpoints.StsEndpointProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The one factory of SDK clients. Clients are built on first use, one per service and region,
 * over one shared URL-connection HTTP client; they retry adaptively, identify themselves as
 * {@code gafail/VERSION}, and honour the endpoint overrides. When every endpoint is on this machine
 * and no credentials are configured, they sign with static test credentials and the instance
 * metadata service is never asked, so nothing leaves the machine.
 */
public final class AwsClients implements AutoCloseable {

    /**
     * How long a call may take: one attempt, and the call with its retries. Changes wait for an
     * answer; a status answers within a few seconds whatever the endpoints do.
     */
    public record Timeouts(Duration attempt, Duration call) {
        public static final Timeouts CHANGES = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(45));
        public static final Timeouts STATUS = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(3));
        /** A location expected to be lost: one try, answered soon or given up. */
        public static final Timeouts SUSPECT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
        /** The state bucket: a lease is renewed within seconds, or the holder stops acting. */
        public static final Timeouts STATE = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(8));
        /**
         * A notification's calls (SNS Publish, an SSM secret): one region within 2.5 s, so that two fit in the
         * bound a notification has (Outbox.BOUND); a second attempt only if a throttle or a 5xx leaves time.
         */
        public static final Timeouts NOTIFY = new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(2500));
    }

    /** How long to wait for a connection to a suspect location: at AWS one opens in well under a second. */
    private static final Duration SUSPECT_CONNECT = Duration.ofSeconds(2);

    static {
        // The SDK reads the XML of the AWS Query protocol with whichever StAX parser JAXP finds. The
        // JDK's own prints "[Fatal Error] ..." to stderr on a malformed byte besides throwing;
        // Woodstox only throws, so a garbled answer stays an error in its cell or step.
        System.setProperty("javax.xml.stream.XMLInputFactory", WstxInputFactory.class.getName());
    }

    private final AwsSettings settings;
    private final Timeouts timeouts;
    /** The limits of a suspect location's clients: the shorter of these clients' and {@link Timeouts#SUSPECT}. */
    private final Timeouts suspectLimits;
    private final Reachability reachability;
    /** The lease every call but the state bucket's checks first. */
    private final HeldLock held;
    private final SdkHttpClient http;
    private SdkHttpClient suspectHttp;
    private final AwsCredentialsProvider credentials;
    /** Whether these clients found the credentials (and close them), or share those of the clients they came from. */
    private final boolean ownsCredentials;
    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();
    /** The clients the credentials are fetched with (STS for a role, IAM Identity Center), closed with the rest. */
    private final List<SdkClient> credentialClients = new CopyOnWriteArrayList<>();

    public AwsClients(AwsSettings settings) {
        this(settings, Timeouts.CHANGES, Reachability.none());
    }

    /**
     * @param reachability shared by every client of one command, whatever their time limits
     * @throws dev.gafail.engine.GafailException (exit 2) when the profile in use is missing or says too little
     */
    public AwsClients(AwsSettings settings, Timeouts timeouts, Reachability reachability) {
        this(settings, timeouts, reachability, new HeldLock(), null);
    }

    /**
     * @param held the lease of the execution these clients act for: once it is lost, every call but the
     *             state bucket's is refused before it is sent
     */
    public AwsClients(AwsSettings settings, Timeouts timeouts, Reachability reachability, HeldLock held) {
        this(settings, timeouts, reachability, held, null);
    }

    private AwsClients(AwsSettings settings, Timeouts timeouts, Reachability reachability, HeldLock held,
                       AwsCredentialsProvider shared) {
        this.settings = settings;
        this.timeouts = timeouts;
        this.suspectLimits = shorter(timeouts, Timeouts.SUSPECT);
        this.reachability = reachability;
        this.held = held;
        this.http = httpClient(timeouts.attempt(), Duration.ofSeconds(5));
        this.ownsCredentials = shared == null;
        this.credentials = shared != null ? shared : credentials(settings);
    }

    private static SdkHttpClient httpClient(Duration attempt, Duration connect) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(attempt.compareTo(connect) < 0 ? attempt : connect).socketTimeout(attempt).build();
    }

    /** Clients of the same settings, credentials and reachability with other time limits; close them when done. */
    public AwsClients with(Timeouts other) {
        return new AwsClients(settings, other, reachability, held, credentials);
    }

    /**
     * Clients for a deliberate check of which locations answer: one try each with short limits, and a
     * location that does not answer is lost for the rest of the command. Close them when done.
     */
    public AwsClients probing() {
        return new AwsClients(settings, Timeouts.SUSPECT, reachability.everySuspect(), held, credentials);
    }

    /** Whether calls sign with the static test credentials (the lab, an emulator). */
    public boolean offline() {
        return settings.allLoopback() && !settings.credentialsConfigured();
    }

    /** The operator's credentials, empty when calls sign with the static test credentials. */
    public Optional<OperatorCredentials> operatorCredentials() {
        return credentials instanceof OperatorCredentials operator ? Optional.of(operator) : Optional.empty();
    }

    private AwsCredentialsProvider credentials(AwsSettings settings) {
        if (offline()) {
            System.setProperty(SdkSystemSetting.AWS_EC2_METADATA_DISABLED.property(), "true");
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        }
        return new OperatorCredentials(CredentialSources.find(settings, new CredentialSources.Clients() {
            @Override
            public StsClient sts(String awsRegion, AwsCredentialsProvider source) {
                return credentialClient(build("sts", awsRegion, StsClient::builder, source));
            }

            @Override
            public SsoClient sso(String awsRegion) {
                return credentialClient(build("sso", awsRegion, SsoClient::builder, AnonymousCredentialsProvider.create()));
            }

            @Override
            public SsoOidcClient ssoOidc(String awsRegion) {
                return credentialClient(build("ssooidc", awsRegion, SsoOidcClient::builder,
                        AnonymousCredentialsProvider.create()));
            }
        }));
    }

    private <C extends SdkClient> C credentialClient(C client) {
        credentialClients.add(client);
        return client;
    }

    public GlobalAcceleratorClient globalAccelerator() {
        return client("globalaccelerator", settings.apis().acceleratorRegion(), GlobalAcceleratorClient::builder);
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

    /**
     * A proof, signed with these credentials, that their identity approves {@code audience}, for the STS of
     * {@code region} to vouch for ({@link IdentityProof}); nothing is sent.
     */
    public IdentityProof identityProof(String region, String audience, Clock clock) {
        return IdentityProof.sign(credentials.resolveCredentials(), region, stsEndpoint(region), audience, clock);
    }

    /** The identity the STS of the proof's region vouches for behind {@code proof} of {@code audience}; or why none. */
    public ApprovalVerifier.Verified verify(IdentityProof proof, String audience) {
        return proof.verify(http, stsEndpoint(proof.region()), audience);
    }

    /** Where these clients reach STS in {@code region}: the topology's endpoint, else AWS's own for the region. */
    private URI stsEndpoint(String region) {
        return settings.endpoint("sts", region).orElseGet(() -> StsEndpointProvider.defaultProvider()
                .resolveEndpoint(p -> p.region(Region.of(region))).join().url());
    }

    /** Fault Injection Service: a drill's faults; a region's experiments run through that region's endpoint. */
    public FisClient fis(String region) {
        return client("fis", region, FisClient::builder);
    }

    /** SNS: notifications, published to the topic of a region that answers. */
    public SnsClient sns(String region) {
        return client("sns", region, SnsClient::builder);
    }

    /** SSM Parameter Store: secrets a topology names (a webhook's URL), read from a region that answers. */
    public SsmClient ssm(String region) {
        return client("ssm", region, SsmClient::builder);
    }

    /**
     * IAM, a global service, which {@code gafail check} asks to simulate the operator role's policy: named
     * by a region of its partition, whose global endpoint the SDK's rules then choose (iam.amazonaws.com,
     * signed for us-east-1, for any region of the aws partition); an endpoint override is signed for the
     * region itself.
     */
    public IamClient iam(String region) {
        return client("iam", region, IamClient::builder);
    }

    /** Service Quotas in {@code region}: what the account may run there (Fargate's vCPUs). */
    public ServiceQuotasClient serviceQuotas(String region) {
        return client("servicequotas", region, ServiceQuotasClient::builder);
    }

    /** EC2 in {@code region}: the subnets a service's tasks take their addresses from. */
    public Ec2Client ec2(String region) {
        return client("ec2", region, Ec2Client::builder);
    }

    /** The RDS Data API in {@code region}: SQL on a cluster there, through its writer instance. */
    public RdsDataClient rdsData(String region) {
        return client("rdsdata", region, RdsDataClient::builder);
    }

    /** S3, for the state bucket; path-style addressing when an endpoint is given (S3-compatible servers want it). */
    public S3Client s3(String region) {
        boolean overridden = settings.endpoint("s3", region).isPresent();
        return client("s3", region, () -> S3Client.builder().forcePathStyle(overridden));
    }

    @SuppressWarnings("unchecked")
    private <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
            String service, String region, Supplier<B> builder) {
        return (C) clients.computeIfAbsent(service + "@" + region, key -> build(service, region, builder, credentials));
    }

    private <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C build(
            String service, String region, Supplier<B> builder, AwsCredentialsProvider signer) {
        boolean suspect = reachability.suspect(Reachability.location(service, region));
        Timeouts limits = suspect ? suspectLimits : timeouts;
        ClientOverrideConfiguration.Builder config = ClientOverrideConfiguration.builder()
                .retryStrategy(suspect ? AwsRetryStrategy.doNotRetry()
                        : AwsRetryStrategy.forRetryMode(RetryMode.ADAPTIVE_V2))
                .apiCallAttemptTimeout(limits.attempt()).apiCallTimeout(limits.call())
                // The SDK reads the rest of a profile's settings from the profile gafail uses, not AWS_PROFILE's.
                .defaultProfileFile(settings.profiles().files())
                .defaultProfileName(settings.profiles().name())
                .addExecutionInterceptor(new ReachabilityGuard(reachability, service, region))
                .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, "gafail/" + settings.version());
        if (!service.equals("s3")) {
            // The state bucket is where a lease is renewed and a lost one is found out: never refused.
            config.addExecutionInterceptor(new LeaseGuard(held));
        }
        B b = builder.get().region(Region.of(region)).credentialsProvider(signer)
                .httpClient(suspect ? suspectHttp() : http).overrideConfiguration(config.build());
        settings.endpoint(service, region).ifPresent(b::endpointOverride);
        return b.build();
    }

    private static Timeouts shorter(Timeouts a, Timeouts b) {
        return new Timeouts(a.attempt().compareTo(b.attempt()) < 0 ? a.attempt() : b.attempt(),
                a.call().compareTo(b.call()) < 0 ? a.call() : b.call());
    }

    private synchronized SdkHttpClient suspectHttp() {
        if (suspectHttp == null) {
            suspectHttp = httpClient(suspectLimits.attempt(), SUSPECT_CONNECT);
        }
        return suspectHttp;
    }

    /** Closes the clients, the HTTP clients and the credentials (if these clients found them), each even if one before it fails. */
    @Override
    public void close() {
        try {
            clients.values().forEach(SdkClient::close);
        } finally {
            try {
                if (ownsCredentials && credentials instanceof SdkAutoCloseable closeable) {
                    closeable.close();
                }
                credentialClients.forEach(SdkClient::close);
            } finally {
                http.close();
                synchronized (this) {
                    if (suspectHttp != null) {
                        suspectHttp.close();
                    }
                }
            }
        }
    }
}
