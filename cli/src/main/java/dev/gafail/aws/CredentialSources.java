package dev.gafail.aws;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProcessCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.sso.auth.SsoCredentialsProvider;
import software.amazon.awssdk.services.sso.model.GetRoleCredentialsRequest;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;
import software.amazon.awssdk.services.ssooidc.SsoOidcTokenProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * Where gafail's AWS credentials come from, found as the AWS CLI finds them: {@code --profile}'s
 * profile; else the environment's keys; else {@code AWS_PROFILE}'s (or the default) profile; else a
 * web identity token ({@code AWS_WEB_IDENTITY_TOKEN_FILE} and {@code AWS_ROLE_ARN}, as a GitHub
 * Actions OIDC job has); else the container's or the instance's role. A profile may hold keys, a
 * role ({@code role_arn} with {@code source_profile}, {@code credential_source} or {@code
 * web_identity_token_file}), an IAM Identity Center sign-in ({@code sso_session} or the legacy
 * {@code sso_*} keys) or a {@code credential_process}. The SDK's providers do the work and the
 * refreshing; gafail builds their STS and SSO clients itself, so that they use the same endpoints,
 * time limits and reachability as every other call, and STS in the surviving region when one is lost.
 */
final class CredentialSources {

    /** The clients credentials are fetched with. */
    interface Clients {
        /** STS in {@code awsRegion}, called with {@code source}'s credentials. */
        StsClient sts(String awsRegion, AwsCredentialsProvider source);

        SsoClient sso(String awsRegion);

        SsoOidcClient ssoOidc(String awsRegion);
    }

    /**
     * Credentials found: the provider, what they are in words ("profile oncall (role arn:..., from
     * profile base)"), the command that renews them when they cannot renew themselves, and until
     * when they can be had, when that is known: null for credentials that renew themselves.
     */
    record Found(AwsCredentialsProvider provider, String source, String renew, Supplier<Optional<Instant>> until) {

        private static final Supplier<Optional<Instant>> RENEWING = Optional::empty;
    }

    private final AwsSettings settings;
    private final AwsProfiles profiles;
    private final Map<String, String> env;
    private final Clients clients;

    private CredentialSources(AwsSettings settings, Clients clients) {
        this.settings = settings;
        this.profiles = settings.profiles();
        this.env = settings.env();
        this.clients = clients;
    }

    /** The credentials {@code settings} point at; a profile that is missing or says too little is exit 2. */
    static Found find(AwsSettings settings, Clients clients) {
        return new CredentialSources(settings, clients).find();
    }

    private Found find() {
        if ("--profile".equals(profiles.chosenBy())) {
            return profile(profiles.name(), new ArrayList<>());
        }
        Optional<Found> keys = environmentKeys();
        if (keys.isPresent()) {
            return keys.get();
        }
        if (profiles.chosen() || profiles.current().isPresent()) {
            return profile(profiles.name(), new ArrayList<>());
        }
        String tokenFile = env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
        if (tokenFile != null && !tokenFile.isBlank()) {
            String role = env.get("AWS_ROLE_ARN");
            if (role == null || role.isBlank()) {
                throw usage("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: set the role to assume");
            }
            return webIdentity(role.trim(), Path.of(tokenFile.trim()), env.get("AWS_ROLE_SESSION_NAME"),
                    stsRegion(null), "the web identity token in " + tokenFile.trim());
        }
        if (env.containsKey("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                || env.containsKey("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
            return new Found(ContainerCredentialsProvider.builder().build(), "the container's role", null,
                    Found.RENEWING);
        }
        return new Found(InstanceProfileCredentialsProvider.builder().build(), "the instance's role", null,
                Found.RENEWING);
    }

    /** {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, with a session token and its end if given. */
    private Optional<Found> environmentKeys() {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        if (secret == null || secret.isBlank()) {
            throw usage("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
        }
        Optional<Instant> until = Optional.ofNullable(env.get("AWS_CREDENTIAL_EXPIRATION")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(s -> instant(s, "AWS_CREDENTIAL_EXPIRATION"));
        return Optional.of(new Found(keys(id, secret, env.get("AWS_SESSION_TOKEN")), "the environment's keys"
                + " (AWS_ACCESS_KEY_ID)", "export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN",
                () -> until));
    }

    /** Profile {@code name}'s credentials; {@code chain} holds the profiles that led here, to catch a loop. */
    private Found profile(String name, List<String> chain) {
        if (chain.contains(name)) {
            chain.add(name);
            throw usage("AWS profiles source each other in a loop: " + String.join(" -> ", chain));
        }
        chain.add(name);
        Profile profile = profiles.profile(name).orElseThrow(() -> usage("AWS profile '" + name + "'"
                + (chain.size() > 1 ? " (source_profile of '" + chain.get(chain.size() - 2) + "')"
                : profiles.chosen() ? " (" + profiles.chosenBy() + ")" : "")
                + " is not in the AWS config or credentials file"));
        Optional<String> role = profile.property("role_arn");
        if (role.isPresent()) {
            return assumeRole(name, profile, role.get(), chain);
        }
        if (profile.property("sso_session").isPresent() || profile.property("sso_start_url").isPresent()) {
            return sso(name, profile);
        }
        if (profile.property("aws_access_key_id").isPresent()) {
            return profileKeys(name, profile);
        }
        Optional<String> process = profile.property("credential_process");
        if (process.isPresent()) {
            return new Found(ProcessCredentialsProvider.builder().command(process.get()).build(),
                    "profile " + name + "'s credential_process", "check profile " + name + "'s credential_process",
                    Found.RENEWING);
        }
        throw usage("AWS profile '" + name + "' holds no credentials: none of aws_access_key_id, role_arn,"
                + " sso_session, sso_start_url, credential_process");
    }

    private Found assumeRole(String name, Profile profile, String role, List<String> chain) {
        if (profile.property("mfa_serial").isPresent()) {
            throw usage("AWS profile '" + name + "' asks for an MFA code (mfa_serial), which gafail cannot prompt"
                    + " for mid-run: use a profile without it, or an SSO profile");
        }
        String region = stsRegion(profile);
        Optional<String> tokenFile = profile.property("web_identity_token_file");
        if (tokenFile.isPresent()) {
            return webIdentity(role, Path.of(tokenFile.get()), profile.property("role_session_name").orElse(null),
                    region, "profile " + name);
        }
        Found source = source(name, profile, chain);
        AssumeRoleRequest.Builder request = AssumeRoleRequest.builder().roleArn(role)
                .roleSessionName(profile.property("role_session_name").orElseGet(CredentialSources::sessionName));
        profile.property("external_id").ifPresent(request::externalId);
        profile.property("duration_seconds").ifPresent(s -> request.durationSeconds(seconds(name, s)));
        AwsCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(clients.sts(region, source.provider())).refreshRequest(request.build())
                .asyncCredentialUpdateEnabled(false).build();
        return new Found(assumed, "profile " + name + " (role " + role + ", from " + source.source() + ")",
                source.renew(), source.until());
    }

    /** The credentials a role is assumed with: {@code source_profile}'s, or {@code credential_source}'s. */
    private Found source(String name, Profile profile, List<String> chain) {
        Optional<String> sourceProfile = profile.property("source_profile");
        Optional<String> credentialSource = profile.property("credential_source");
        if (sourceProfile.isPresent() == credentialSource.isPresent()) {
            throw usage("AWS profile '" + name + "' has role_arn, so it needs exactly one of source_profile and"
                    + " credential_source");
        }
        if (sourceProfile.isPresent()) {
            String source = sourceProfile.get();
            // A profile that names itself assumes its role with its own keys, as the AWS CLI does.
            if (source.equals(name) && profile.property("aws_access_key_id").isPresent()) {
                return profileKeys(name, profile);
            }
            return profile(source, chain);
        }
        return switch (credentialSource.get()) {
            case "Environment" -> environmentKeys().orElseThrow(() -> usage("AWS profile '" + name
                    + "' takes its credentials from the environment (credential_source), but AWS_ACCESS_KEY_ID is not"
                    + " set"));
            case "Ec2InstanceMetadata" -> new Found(InstanceProfileCredentialsProvider.builder().build(),
                    "the instance's role", null, Found.RENEWING);
            case "EcsContainer" -> new Found(ContainerCredentialsProvider.builder().build(), "the container's role",
                    null, Found.RENEWING);
            default -> throw usage("AWS profile '" + name + "': credential_source must be Environment,"
                    + " Ec2InstanceMetadata or EcsContainer, not '" + credentialSource.get() + "'");
        };
    }

    /** A role assumed with a web identity token, read again at every renewal (the platform rotates the file). */
    private Found webIdentity(String role, Path tokenFile, String sessionName, String region, String what) {
        Supplier<AssumeRoleWithWebIdentityRequest> request = () -> AssumeRoleWithWebIdentityRequest.builder()
                .roleArn(role).roleSessionName(sessionName == null ? sessionName() : sessionName)
                .webIdentityToken(read(tokenFile)).build();
        AwsCredentialsProvider provider = StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                .stsClient(clients.sts(region, AnonymousCredentialsProvider.create()))
                .refreshRequest(request).asyncCredentialUpdateEnabled(false).build();
        return new Found(provider, what + " (role " + role + ")", null, Found.RENEWING);
    }

    /**
     * An IAM Identity Center sign-in: role credentials from the portal, with the access token that
     * {@code aws sso login} cached. An {@code sso_session} token renews itself with its refresh token;
     * a legacy one lasts until it expires.
     */
    private Found sso(String name, Profile profile) {
        Optional<String> session = profile.property("sso_session");
        Profile settings = session.isPresent() ? profiles.ssoSession(session.get()).orElseThrow(() ->
                usage("AWS profile '" + name + "' names sso_session '" + session.get() + "', which has no"
                        + " [sso-session " + session.get() + "] section")) : profile;
        String startUrl = required(settings, "sso_start_url", name);
        String ssoRegion = required(settings, "sso_region", name);
        String account = required(profile, "sso_account_id", name);
        String roleName = required(profile, "sso_role_name", name);
        SsoOidcTokenProvider tokens = SsoOidcTokenProvider.builder().sessionName(session.orElse(startUrl))
                .ssoOidcClient(clients.ssoOidc(ssoRegion)).asyncTokenUpdateEnabled(false).build();
        SsoCredentialsProvider.Builder portal = SsoCredentialsProvider.builder();
        AwsCredentialsProvider provider = portal.ssoClient(clients.sso(ssoRegion))
                .refreshRequest(() -> GetRoleCredentialsRequest.builder().accountId(account).roleName(roleName)
                        .accessToken(tokens.resolveToken().token()).build())
                .asyncCredentialUpdateEnabled(false).build();
        Supplier<Optional<Instant>> until = session.isPresent() ? Found.RENEWING
                : () -> Optional.of(tokens.resolveToken().expirationTime().orElse(Instant.MAX));
        return new Found(provider, "profile " + name + " (IAM Identity Center, role " + roleName + " in "
                + account + ")", "aws sso login --profile " + name, until);
    }

    /** STS's region for a role: the surviving one when a region is lost, else the profile's or the environment's. */
    private String stsRegion(Profile profile) {
        if (settings.credentialsRegion() != null) {
            return settings.credentialsRegion();
        }
        Optional<String> own = profile == null ? Optional.empty() : profile.property("region");
        return own.or(() -> Optional.ofNullable(env.get("AWS_REGION")))
                .or(() -> Optional.ofNullable(env.get("AWS_DEFAULT_REGION")))
                .or(() -> profiles.current().flatMap(p -> p.property("region")))
                .filter(r -> !r.isBlank()).orElse("us-east-1");
    }

    /** The keys profile {@code name} holds (it has {@code aws_access_key_id}). */
    private static Found profileKeys(String name, Profile profile) {
        String secret = profile.property("aws_secret_access_key").orElseThrow(() ->
                usage("AWS profile '" + name + "' has aws_access_key_id but no aws_secret_access_key"));
        return new Found(keys(profile.property("aws_access_key_id").get(), secret,
                profile.property("aws_session_token").orElse(null)), "profile " + name + "'s keys",
                "put fresh keys in profile " + name, Found.RENEWING);
    }

    private static AwsCredentialsProvider keys(String id, String secret, String token) {
        AwsCredentials credentials = token == null || token.isBlank() ? AwsBasicCredentials.create(id, secret)
                : AwsSessionCredentials.create(id, secret, token);
        return StaticCredentialsProvider.create(credentials);
    }

    private static String required(Profile profile, String key, String name) {
        return profile.property(key).filter(v -> !v.isBlank()).orElseThrow(() -> usage("AWS profile '" + name
                + "' signs in with IAM Identity Center but has no " + key));
    }

    private static int seconds(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw usage("AWS profile '" + name + "': duration_seconds must be a number of seconds, not '" + value + "'");
        }
    }

    private static Instant instant(String value, String setting) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw usage(setting + ": not a time like 2026-11-29T13:00:00Z: '" + value + "'");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web identity token " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sessionName() {
        return "gafail-" + System.currentTimeMillis();
    }

    private static GafailException usage(String message) {
        return new GafailException(ExitCode.USAGE, message);
    }
}
