package dev.gafail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gafail.engine.ApprovalVerifier;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** An approval's proof of identity: STS is asked exactly the signed question, and only for what it signs. */
class IdentityProofTest {

    private static final String ARN = "arn:aws:sts::000000000000:assumed-role/oncall/bob";
    private static final AwsBasicCredentials BOB = AwsBasicCredentials.create("AKIDBOB", "secret-of-bob");

    private HttpServer sts;
    private final List<Map<String, String>> asked = new CopyOnWriteArrayList<>();
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private URI endpoint;

    /** An STS that answers every GetCallerIdentity with bob's ARN and remembers what it was sent. */
    @BeforeEach
    void start() throws Exception {
        sts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sts.createContext("/", exchange -> {
            Map<String, String> request = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> request.put(k.toLowerCase(), String.join(",", v)));
            request.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            asked.add(request);
            byte[] answer = ("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>" + ARN
                    + "</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        sts.start();
        endpoint = URI.create("http://127.0.0.1:" + sts.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        sts.stop(0);
        http.close();
    }

    private IdentityProof signed(String audience) {
        return IdentityProof.sign(BOB, "us-east-2", endpoint, audience, Clock.systemUTC());
    }

    @Test
    void stsIsSentTheSignedRequestAndItsAnswerIsTheIdentity() {
        IdentityProof proof = signed("exec-1 plan-a");
        ApprovalVerifier.Verified verified = proof.verify(http, endpoint, "exec-1 plan-a");
        assertEquals(ARN, verified.identity(), verified.problem());
        Map<String, String> request = asked.get(0);
        assertEquals("Action=GetCallerIdentity&Version=2011-06-15", request.get("body"));
        assertEquals("exec-1 plan-a", request.get("x-gafail-approval"));
        assertTrue(request.get("authorization").contains("Credential=AKIDBOB/")
                && request.get("authorization").contains("x-gafail-approval"), request.toString());
        assertTrue(proof.fields().toString().contains("AKIDBOB") && !proof.fields().toString().contains("secret-of-bob"),
                "the proof holds the signature, never the secret key");
    }

    @Test
    void aProofOfAnotherPlanOrExecutionOrForAnotherStsProvesNothingAndStsIsNotAsked() {
        IdentityProof proof = signed("exec-1 plan-a");
        assertTrue(proof.verify(http, endpoint, "exec-1 plan-b").problem().contains("signed for something else"));
        assertTrue(proof.verify(http, endpoint, "exec-2 plan-a").problem().contains("signed for something else"));
        ApprovalVerifier.Verified elsewhere = proof.verify(http, URI.create("http://127.0.0.1:1"), "exec-1 plan-a");
        assertTrue(elsewhere.problem().contains("not for this STS"), elsewhere.problem());
        assertEquals(0, asked.size());
    }

    /** A proof whose label was changed by hand no longer matches its signature: STS refuses it, as here. */
    @Test
    void aProofStsRefusesProvesNothing() {
        sts.removeContext("/");
        sts.createContext("/", exchange -> {
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
        });
        ApprovalVerifier.Verified refused = signed("exec-1 plan-a").verify(http, endpoint, "exec-1 plan-a");
        assertNull(refused.identity());
        assertTrue(refused.problem().contains("STS did not vouch"), refused.problem());
    }
}
