package dev.gafail.lab.clients;

import dev.gafail.lab.Lab;
import dev.gafail.lab.aws.LabResources;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.GlobalClusterMember;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The newest Java SDK's clients reading the lab: everything but Global Accelerator, whose module
 * this Maven mirror serves only up to the SDK gafail itself uses. Their CloudWatch speaks RPCv2 CBOR.
 */
final class SdkReads {

    private SdkReads() {
    }

    static Facts read(Lab lab) {
        Map<String, String> facts = new HashMap<>();
        Instant now = Instant.now();
        try (SdkHttpClient http = UrlConnectionHttpClient.create()) {
            for (String region : Lab.REGIONS) {
                String awsRegion = LabResources.AWS_REGIONS.get(region);
                String endpoint = lab.awsEndpoint(awsRegion);
                try (CloudWatchClient cloudWatch = configured(CloudWatchClient.builder(), awsRegion, endpoint, http)
                        .build()) {
                    MetricAlarm alarm = cloudWatch.describeAlarms(r -> r.alarmNames("lab-5xx")).metricAlarms().get(0);
                    facts.put(Facts.alarm(awsRegion), alarm.stateValueAsString());
                    MetricDataResult requests = cloudWatch.getMetricData(r -> r
                            .startTime(now.minus(Duration.ofHours(1))).endTime(now.plus(Duration.ofMinutes(1)))
                            .metricDataQueries(q -> q.id("requests").metricStat(s -> s.period(3600).stat("Sum")
                                    .metric(m -> m.namespace("AWS/ApplicationELB").metricName("RequestCount")
                                            .dimensions(d -> d.name("LoadBalancer").value("app/lab-" + region
                                                    + "/lab"))))))
                            .metricDataResults().get(0);
                    facts.put(Facts.requests(region), String.valueOf(requests.values().get(0).longValue()));
                    facts.put(Facts.requestsAt(region), Facts.recency(requests.timestamps().get(0)));
                }
                try (EcsClient ecs = configured(EcsClient.builder(), awsRegion, endpoint, http).build()) {
                    Service api = ecs.describeServices(r -> r.cluster("lab").services("api")).services().get(0);
                    facts.put(Facts.ecs(region), api.runningCount() + "/" + api.desiredCount() + " "
                            + api.deployments().get(0).rolloutStateAsString());
                }
            }
            String east = lab.awsEndpoint("us-east-1");
            try (RdsClient rds = configured(RdsClient.builder(), "us-east-1", east, http).build()) {
                GlobalClusterMember writer = rds.describeGlobalClusters().globalClusters().get(0)
                        .globalClusterMembers().stream().filter(GlobalClusterMember::isWriter).findFirst().orElseThrow();
                facts.put(Facts.WRITER, Facts.clusterRegion(writer.dbClusterArn()));
            }
            try (StsClient sts = configured(StsClient.builder(), "us-east-1", east, http).build()) {
                facts.put(Facts.ACCOUNT, sts.getCallerIdentity().account());
            }
            try (StsClient elsewhere = configured(StsClient.builder(), "us-east-1", lab.awsEndpoint("us-west-2"), http)
                    .build()) {
                elsewhere.getCallerIdentity();
                facts.put(Facts.REFUSED, "not refused");
            } catch (AwsServiceException refused) {
                facts.put(Facts.REFUSED, refused.awsErrorDetails().errorCode());
            }
        }
        return new Facts(facts);
    }

    /** A client of {@code awsRegion} at {@code endpoint}: throwaway credentials, one attempt, the shared HTTP client. */
    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configured(B builder,
            String awsRegion, String endpoint, SdkHttpClient http) {
        return builder.region(Region.of(awsRegion)).endpointOverride(URI.create(endpoint)).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLABTHROWAWAY",
                        "throwaway")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }
}
