package dev.gafail.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.FakeAws;
import dev.gafail.testing.GafailProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials as the AWS CLI finds them, against FakeAws (STS, and every call recorded with the key
 * that signed it) and a WireMock stand-in for IAM Identity Center's portal and OIDC service: each
 * kind of profile chosen by {@code --profile} and by {@code AWS_PROFILE} alike, with the profile's
 * endpoints; one line, and no secret, when they cannot be had; a run whose credentials end mid-way
 * stops at a safe point and resumes with fresh ones.
 */
class CredentialsTest {

    /** What the stand-ins hand out; none of it may ever be printed. */
    private static final List<String> SECRETS = List.of("base-secret", "web-secret", "web-session", "sso-secret",
            "sso-session", "process-secret", "process-session", "cached-access-token", "refresh-me", "web-token-text",
            "env-secret");

    @TempDir
    Path dir;
    private FakeAws aws;
    private WireMockServer identityCenter;
    private Path topology;

    @BeforeEach
    void start() throws IOException {
        aws = new FakeAws();
        identityCenter = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        identityCenter.start();
        identityCenter.stubFor(get(urlPathEqualTo("/federation/credentials")).willReturn(okJson("""
                {"roleCredentials": {"accessKeyId": "ASIASSO", "secretAccessKey": "sso-secret",
                 "sessionToken": "sso-session", "expiration": %d}}""".formatted(
                Instant.now().plusSeconds(3600).toEpochMilli()))));
        topology = aws.writeTopology(dir);
    }

    @AfterEach
    void stop() {
        aws.close();
        identityCenter.stop();
    }

    @Test
    void aRoleFromASourceProfileSignsEveryCallWithTheRolesKeysWhicheverWayTheProfileIsChosen() throws IOException {
        config("""
                [profile oncall]
                role_arn = arn:aws:iam::111122223333:role/oncall
                source_profile = base
                region = eu-west-1
                """);
        credentials("""
                [base]
                aws_access_key_id = AKIDBASE
                aws_secret_access_key = base-secret
                """);
        for (Chosen chosen : Chosen.values()) {
            int before = aws.accessKeys().size();
            CliRun.Result status = chosen.run(cli(), "oncall", "--topology", topology.toString(), "status");
            assertEquals(0, status.code(), chosen + ": " + status);
            List<String> keys = aws.accessKeys().subList(before, aws.accessKeys().size());
            assertEquals("AKIDBASE", keys.get(0), chosen + ": the role is assumed with the source profile's keys");
            assertEquals(Set.of(FakeAws.ROLE_KEY), Set.copyOf(keys.subList(1, keys.size())), chosen + ": " + keys);
            assertNoSecret(status);
        }
        assertEquals("eu-west-1", aws.calls().stream().filter(c -> c.operation().equals("AssumeRole")).findFirst()
                .orElseThrow().signingRegion(), "STS in the profile's region");
    }

    @Test
    void aCredentialProcessSignsTheCalls() throws IOException {
        Path process = script("process", """
                #!/bin/sh
                echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret"}'
                """);
        config("[profile tool]\ncredential_process = " + process + "\n");
        for (Chosen chosen : Chosen.values()) {
            CliRun.Result status = chosen.run(cli(), "tool", "--topology", topology.toString(), "status");
            assertEquals(0, status.code(), chosen + ": " + status);
            assertEquals(Set.of("AKIDPROCESS"), Set.copyOf(aws.accessKeys()), chosen.toString());
        }
    }

    @Test
    void aWebIdentityTokenAsGitHubActionsGivesOneIsExchangedForTheRole() throws IOException {
        Path token = dir.resolve("oidc-token");
        Files.writeString(token, "web-token-text");
        CliRun.Result status = cli().env("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString())
                .env("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/ci").env("AWS_REGION", "us-east-1")
                .run("--topology", topology.toString(), "status");
        assertEquals(0, status.code(), status.toString());
        FakeAws.Call exchange = aws.calls().get(0);
        assertEquals("AssumeRoleWithWebIdentity", exchange.operation());
        assertTrue(exchange.body().contains("WebIdentityToken=web-token-text"), exchange.body());
        List<String> keys = aws.accessKeys();
        assertEquals(Set.of(FakeAws.WEB_IDENTITY_KEY), Set.copyOf(keys.subList(1, keys.size())), keys.toString());
        assertNoSecret(status);
    }

    @Test
    void aProfileWithAWebIdentityTokenFileAssumesItsRoleWhicheverWayItIsChosen() throws IOException {
        Path token = dir.resolve("oidc-token");
        Files.writeString(token, "web-token-text");
        config("""
                [profile ci]
                role_arn = arn:aws:iam::111122223333:role/ci
                web_identity_token_file = %s
                region = eu-west-1
                """.formatted(token));
        for (Chosen chosen : Chosen.values()) {
            int before = aws.calls().size();
            CliRun.Result status = chosen.run(cli(), "ci", "--topology", topology.toString(), "status");
            assertEquals(0, status.code(), chosen + ": " + status);
            assertEquals("AssumeRoleWithWebIdentity", aws.calls().get(before).operation(), chosen.toString());
            assertNoSecret(status);
        }
    }

    @Test
    void aProfilesEndpointUrlSendsTheCallsWhereItSaysWhicheverWayTheProfileIsChosen() throws IOException {
        Path bare = dir.resolve("bare.yaml");
        Files.writeString(bare, Files.readString(topology).replaceAll("(?m)^endpoints:.*\n", ""));
        config("""
                [profile emulator]
                aws_access_key_id = AKIDEMULATOR
                aws_secret_access_key = base-secret
                endpoint_url = %s
                """.formatted(aws.url()));
        for (Chosen chosen : Chosen.values()) {
            int before = aws.calls().size();
            CliRun.Result status = chosen.run(cli(), "emulator", "--topology", bare.toString(), "status");
            assertEquals(0, status.code(), chosen + ": " + status);
            assertTrue(aws.calls().size() > before, chosen + ": the calls reached the profile's endpoint");
        }
    }

    @Test
    void anSsoProfileSignsInWithTheCachedSessionWhicheverWayTheProfileIsChosen() throws Exception {
        ssoConfig();
        cacheToken("corp", Instant.now().plusSeconds(3600));
        for (Chosen chosen : Chosen.values()) {
            int before = aws.accessKeys().size();
            ProcessResult status = chosen.process(this, "corp-admin", "--topology", topology.toString(), "status");
            assertEquals(0, status.code(), chosen + ": " + status);
            assertEquals(Set.of("ASIASSO"), Set.copyOf(aws.accessKeys().subList(before, aws.accessKeys().size())),
                    chosen.toString());
            assertNoSecret(status.out() + status.err());
        }
        identityCenter.verify(getRequestedFor(urlEqualTo("/federation/credentials?role_name=Operator"
                + "&account_id=111122223333")).withHeader("x-amz-sso_bearer_token", equalTo("cached-access-token")));
    }

    @Test
    void anExpiredSsoSessionIsOneLineThatSaysHowToSignInAgain() throws Exception {
        ssoConfig();
        cacheToken("corp", Instant.now().minusSeconds(600));
        identityCenter.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\": \"invalid_grant\"}")));
        // A legacy profile (the sign-in in the profile itself) has no refresh token: its token just ends.
        cacheToken("https://legacy.awsapps.com/start", Instant.now().minusSeconds(600));
        for (String profile : List.of("corp-admin", "legacy")) {
            for (Chosen chosen : Chosen.values()) {
                ProcessResult status = chosen.process(this, profile, "--topology", topology.toString(), "status");
                assertEquals(3, status.code(), chosen + ": " + status);
                assertEquals(1, status.err().lines().count(), chosen + ": " + status);
                assertTrue(status.err().endsWith("run: aws sso login --profile " + profile
                        + "; nothing was changed\n"), status.err());
                assertEquals("", status.out(), "nothing read");
                assertNoSecret(status.out() + status.err());
            }
        }
        identityCenter.verify(postRequestedFor(urlEqualTo("/token")));
        assertTrue(aws.calls().isEmpty(), "no AWS call without credentials");
    }

    @Test
    void aMissingOrIncompleteProfileIsOneLineAndExit2() throws IOException {
        config("[profile half]\nsso_session = nowhere\n");
        CliRun.Result missing = cli().run("--profile", "nosuch", "--topology", topology.toString(), "status");
        assertEquals(2, missing.code(), missing.toString());
        assertEquals("gafail: AWS profile 'nosuch' (--profile) is not in the AWS config or credentials file\n",
                missing.err());
        CliRun.Result half = cli().env("AWS_PROFILE", "half").run("--topology", topology.toString(), "status");
        assertEquals(2, half.code(), half.toString());
        assertEquals(1, half.err().lines().count(), half.toString());
        assertTrue(half.err().contains("sso_session 'nowhere'"), half.err());
    }

    @Test
    void credentialsThatEndBeforeTheRunMayAreWarnedOfAndJournalled() throws IOException {
        Path runbook = holdRunbook("1s");
        CliRun.Result run = cli().env("AWS_ACCESS_KEY_ID", "AKIDENV").env("AWS_SECRET_ACCESS_KEY", "env-secret")
                .env("AWS_SESSION_TOKEN", "web-session")
                .env("AWS_CREDENTIAL_EXPIRATION", Instant.now().plusSeconds(600).toString())
                .run("--topology", topology.toString(), "run", runbook.toString(), "--yes");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("the AWS credentials (the environment's keys (AWS_ACCESS_KEY_ID)) end at"),
                run.out());
        assertTrue(run.out().contains("first: export fresh AWS_ACCESS_KEY_ID"), run.out());
        assertNoSecret(run);
    }

    @Test
    void credentialsThatCannotBeRenewedDuringAHoldStopTheRunAtASafePointAndItResumesWithFreshOnes()
            throws IOException {
        // The first answer lasts 8 s. The SDK asks again from 15 s before the end, keeps the answer it has while
        // asking fails, and must have a new one at the end; from the second ask on the process fails until the
        // operator has renewed the session.
        Path process = script("renewing", """
                #!/bin/sh
                cd "$(dirname "$0")"
                n=$(( $(cat asked 2>/dev/null || echo 0) + 1 )); echo $n > asked
                if [ $n -gt 1 ] && [ ! -f renewed ]; then echo "the session expired" >&2; exit 1; fi
                echo "{\\"Version\\": 1, \\"AccessKeyId\\": \\"AKIDPROCESS\\", \\"SecretAccessKey\\": \\"process-secret\\",
                  \\"SessionToken\\": \\"process-session\\", \\"Expiration\\": \\"$(date -u -d '+8 seconds' +%Y-%m-%dT%H:%M:%SZ)\\"}"
                """);
        config("[profile tool]\ncredential_process = " + process + "\n");
        Path runbook = holdRunbook("9s");
        CliRun.Result stopped = cli().run("--profile", "tool", "--topology", topology.toString(), "run",
                runbook.toString(), "--yes");
        assertEquals(4, stopped.code(), stopped.toString());
        assertTrue(stopped.out().contains("✓ before"), stopped.out());
        assertTrue(stopped.out().contains("✓ hold"), stopped.out());
        Matcher resume = Pattern.compile("stopped at a safe point \\(the AWS credentials \\(profile tool's"
                + " credential_process\\) could not be had: .*; run: check profile tool's credential_process\\);"
                + " to finish: gafail resume (\\S+)").matcher(stopped.err());
        assertTrue(resume.find(), stopped.err());
        assertNoSecret(stopped);

        Files.writeString(dir.resolve("renewed"), "");
        CliRun.Result resumed = cli().run("--profile", "tool", "--topology", topology.toString(), "resume",
                resume.group(1), "--yes");
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains("✓ after"), resumed.out());
        assertFalse(resumed.out().contains("✓ before"), "the steps done before the stop are not run again");
    }

    /** A runbook that reads the alarms, holds, and reads them again. */
    private Path holdRunbook(String hold) throws IOException {
        Path runbook = dir.resolve("hold.yaml");
        Files.writeString(runbook, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: long-hold, description: "a hold that may outlast the credentials"}
                steps:
                  - id: before
                    action: cloudwatch.alarms
                    with: {state: OK}
                  - id: hold
                    action: control.wait
                    with: {duration: %s}
                  - id: after
                    action: cloudwatch.alarms
                    with: {state: OK}
                """.formatted(hold));
        return runbook;
    }

    /** An SSO profile whose session's portal and OIDC service are the WireMock stand-in, as a profile's services section says. */
    private void ssoConfig() throws IOException {
        config("""
                [profile corp-admin]
                sso_session = corp
                sso_account_id = 111122223333
                sso_role_name = Operator
                region = us-east-1
                services = identity-center

                [profile legacy]
                sso_start_url = https://legacy.awsapps.com/start
                sso_region = us-east-1
                sso_account_id = 111122223333
                sso_role_name = Operator
                services = identity-center

                [sso-session corp]
                sso_start_url = https://corp.awsapps.com/start
                sso_region = us-east-1

                [services identity-center]
                sso =
                  endpoint_url = %s
                sso_oidc =
                  endpoint_url = %s
                """.formatted(identityCenter.baseUrl(), identityCenter.baseUrl()));
    }

    /** The token {@code aws sso login} leaves for session {@code session}, in HOME's cache. */
    private void cacheToken(String session, Instant expires) throws Exception {
        Path cache = dir.resolve(".aws/sso/cache");
        Files.createDirectories(cache);
        String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(session.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(cache.resolve(name + ".json"), """
                {"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1",
                 "accessToken": "cached-access-token", "expiresAt": "%s", "clientId": "client",
                 "clientSecret": "client-secret", "registrationExpiresAt": "%s", "refreshToken": "refresh-me"}
                """.formatted(expires, Instant.now().plusSeconds(86400)));
    }

    private void config(String text) throws IOException {
        Files.writeString(dir.resolve("aws-config"), text);
    }

    private void credentials(String text) throws IOException {
        Files.writeString(dir.resolve("aws-credentials"), text);
    }

    private Path script(String name, String text) throws IOException {
        Path file = dir.resolve(name + ".sh");
        Files.writeString(file, text);
        assertTrue(file.toFile().setExecutable(true));
        return file;
    }

    /** gafail in-process, with this test's AWS files and nothing of the developer's. */
    private CliRun cli() {
        return CliRun.in(dir.resolve("state")).workingDirectory(dir)
                .env("AWS_CONFIG_FILE", dir.resolve("aws-config").toString())
                .env("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString());
    }

    /** The environment of a child gafail: this test's files and HOME (the SSO token cache), no keys of the shell's. */
    private Map<String, String> processEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", dir.toString());
        env.put("AWS_CONFIG_FILE", dir.resolve("aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString());
        Stream.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL").forEach(v -> env.put(v, ""));
        return env;
    }

    private record ProcessResult(int code, String out, String err) {
    }

    /** The two ways an operator names a profile. */
    private enum Chosen {
        OPTION, ENVIRONMENT;

        CliRun.Result run(CliRun cli, String profile, String... args) {
            if (this == OPTION) {
                return cli.run(Stream.concat(Stream.of("--profile", profile), Stream.of(args)).toArray(String[]::new));
            }
            return cli.env("AWS_PROFILE", profile).run(args);
        }

        ProcessResult process(CredentialsTest test, String profile, String... args) throws InterruptedException {
            Map<String, String> env = test.processEnv();
            String[] all = args;
            if (this == OPTION) {
                all = Stream.concat(Stream.of("--profile", profile), Stream.of(args)).toArray(String[]::new);
            } else {
                env.put("AWS_PROFILE", profile);
            }
            try (GafailProcess gafail = GafailProcess.start(test.dir.resolve("state"), env, all)) {
                int code = gafail.exitCode();
                return new ProcessResult(code, gafail.out(), gafail.err());
            }
        }
    }

    private static void assertNoSecret(CliRun.Result result) {
        assertNoSecret(result.out() + result.err());
    }

    private static void assertNoSecret(String output) {
        SECRETS.forEach(secret -> assertFalse(output.contains(secret), "'" + secret + "' printed: " + output));
    }
}
