package dev.gafail.aws;

import dev.gafail.engine.ApprovalVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Who wrote an approval, proved by AWS rather than claimed: the approver signs an STS
 * {@code GetCallerIdentity} request with their own credentials, a header naming what they approve
 * ({@code x-gafail-approval: EXECUTION PLAN}) signed with it, and keeps the signed headers beside the
 * approval; the waiting execution sends that very request to STS, which answers with the signer's ARN
 * only while the signature holds (AWS refuses one more than 15 minutes old). Vault's AWS IAM login and
 * Kubernetes' aws-iam-authenticator prove identity the same way. The request can only ask who signed it,
 * and only for that execution and plan: nothing else can be done with it.
 *
 * @param region  the AWS region of the STS the request was signed for
 * @param headers the signed request's headers, Authorization and the session token included (no secret key)
 */
public record IdentityProof(String region, Map<String, String> headers) {

    static final String AUDIENCE_HEADER = "x-gafail-approval";
    private static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";
    private static final Pattern ARN = Pattern.compile("<Arn>([^<]+)</Arn>");
    private static final Pattern SIGNED_HEADERS = Pattern.compile("SignedHeaders=([^,\\s]+)");

    public IdentityProof {
        headers = Map.copyOf(headers);
    }

    /** The proof as the state keeps it. */
    public Map<String, Object> fields() {
        return Map.of("region", region, "headers", headers);
    }

    /** The proof the state kept; empty when there is none, or not one of these. */
    public static Optional<IdentityProof> of(Object fields) {
        if (!(fields instanceof Map<?, ?> map) || !(map.get("region") instanceof String region)
                || !(map.get("headers") instanceof Map<?, ?> headers)) {
            return Optional.empty();
        }
        Map<String, String> text = new LinkedHashMap<>();
        headers.forEach((k, v) -> text.put(String.valueOf(k), String.valueOf(v)));
        return Optional.of(new IdentityProof(region, text));
    }

    /** Signs the proof for {@code audience} with {@code credentials}, for the STS at {@code endpoint}. */
    public static IdentityProof sign(AwsCredentials credentials, String region, URI endpoint, String audience, Clock clock) {
        SdkHttpRequest request = request(endpoint, Map.of(AUDIENCE_HEADER, audience));
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request)
                .payload(ContentStreamProvider.fromUtf8String(BODY))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)).request();
        Map<String, String> headers = new LinkedHashMap<>();
        signed.headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return new IdentityProof(region, headers);
    }

    /**
     * The ARN STS answers for this proof, sent to {@code endpoint} (this machine's STS of the proof's
     * region, never one the proof names); or why it proves nothing for {@code audience}.
     */
    ApprovalVerifier.Verified verify(SdkHttpClient http, URI endpoint, String audience) {
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        Matcher signedHeaders = SIGNED_HEADERS.matcher(lower.getOrDefault("authorization", ""));
        if (!audience.equals(lower.get(AUDIENCE_HEADER)) || !signedHeaders.find()
                || !List.of(signedHeaders.group(1).split(";")).containsAll(List.of(AUDIENCE_HEADER, "host"))) {
            return ApprovalVerifier.Verified.not("its proof of identity was signed for something else");
        }
        if (!authority(endpoint).equals(lower.get("host"))) {
            return ApprovalVerifier.Verified.not("its proof of identity was signed for " + lower.get("host") + ", not for this STS ("
                    + authority(endpoint) + ")");
        }
        SdkHttpFullRequest.Builder request = request(endpoint, Map.of()).toBuilder();
        headers.forEach(request::putHeader);
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(request.build())
                    .contentStreamProvider(ContentStreamProvider.fromUtf8String(BODY)).build()).call();
            String body = read(response.responseBody().orElse(null));
            Matcher arn = ARN.matcher(body);
            if (response.httpResponse().statusCode() != 200 || !arn.find()) {
                return ApprovalVerifier.Verified.not("STS did not vouch for its proof of identity (HTTP "
                        + response.httpResponse().statusCode() + "; a proof holds 15 minutes)");
            }
            return new ApprovalVerifier.Verified(arn.group(1), null);
        } catch (IOException | RuntimeException e) {
            return ApprovalVerifier.Verified.not("STS could not be asked who signed it: " + e.getMessage());
        }
    }

    private static SdkHttpFullRequest request(URI endpoint, Map<String, String> headers) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        headers.forEach(request::putHeader);
        return request.build();
    }

    private static String authority(URI endpoint) {
        return endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        }
    }
}
