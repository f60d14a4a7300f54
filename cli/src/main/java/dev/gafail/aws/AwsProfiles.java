package dev.gafail.aws;

import dev.gafail.engine.ExitCode;
import dev.gafail.engine.GafailException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The AWS CLI's shared files as gafail reads them ({@code AWS_CONFIG_FILE} and {@code
 * AWS_SHARED_CREDENTIALS_FILE}, else {@code ~/.aws/config} and {@code ~/.aws/credentials}), and the
 * profile in use: {@code --profile}, else {@code AWS_PROFILE}, else {@code default}. Read from
 * gafail's own environment, not the process's, so that a profile chosen either way carries
 * everything it says (credentials, {@code region}, {@code endpoint_url}, {@code services}).
 */
public final class AwsProfiles {

    private final ProfileFile files;
    private final String name;
    private final String chosenBy;

    private AwsProfiles(ProfileFile files, String name, String chosenBy) {
        this.files = files;
        this.name = name;
        this.chosenBy = chosenBy;
    }

    /** No files, no profile: for settings that never read credentials (the lab, tests). */
    public static AwsProfiles none() {
        return new AwsProfiles(ProfileFile.aggregator().build(), "default", null);
    }

    /**
     * The files of {@code env} (or under {@code home}) and the profile {@code option} names, else
     * {@code AWS_PROFILE}'s. A file that cannot be parsed is exit 2, naming it.
     */
    public static AwsProfiles load(String option, Map<String, String> env, Path home) {
        Path aws = home.resolve(".aws");
        ProfileFile.Aggregator files = ProfileFile.aggregator();
        add(files, Path.of(env.getOrDefault("AWS_CONFIG_FILE", aws.resolve("config").toString())),
                ProfileFile.Type.CONFIGURATION);
        add(files, Path.of(env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", aws.resolve("credentials").toString())),
                ProfileFile.Type.CREDENTIALS);
        String fromEnv = blankToNull(env.get("AWS_PROFILE"));
        String chosenBy = option != null ? "--profile" : fromEnv != null ? "AWS_PROFILE" : null;
        return new AwsProfiles(files.build(), option != null ? option : fromEnv != null ? fromEnv : "default", chosenBy);
    }

    private static void add(ProfileFile.Aggregator files, Path file, ProfileFile.Type type) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            ProfileFile parsed = ProfileFile.builder().type(type).content(file).build();
            // Parsed lazily by the SDK: read now, so a broken file is one line here, not an error mid-run.
            parsed.profiles();
            files.addFile(parsed);
        } catch (RuntimeException e) {
            throw new GafailException(ExitCode.USAGE, file + ": " + firstLine(e.getMessage()));
        }
    }

    /** The profile's name: {@code --profile}'s, {@code AWS_PROFILE}'s, else {@code default}. */
    public String name() {
        return name;
    }

    /** Whether the operator named the profile ({@code --profile} or {@code AWS_PROFILE}): then it must exist. */
    public boolean chosen() {
        return chosenBy != null;
    }

    /** Where the profile's name came from, to quote in a message: "--profile" or "AWS_PROFILE". */
    public String chosenBy() {
        return chosenBy;
    }

    public ProfileFile files() {
        return files;
    }

    /** The profile in use, if the files have it. */
    public Optional<Profile> current() {
        return profile(name);
    }

    public Optional<Profile> profile(String profile) {
        return files.profile(profile);
    }

    /** An {@code [sso-session NAME]} section. */
    public Optional<Profile> ssoSession(String session) {
        return files.getSection("sso-session", session);
    }

    /**
     * Where the profile in use sends {@code service} ({@code endpoint_url} in its {@code services}
     * section, then its own {@code endpoint_url}), unless it says to ignore configured endpoints.
     *
     * @param serviceKey the service's key in a {@code services} section, e.g. {@code global_accelerator}
     */
    public Optional<String> endpoint(String serviceKey) {
        Optional<Profile> profile = current();
        if (profile.isEmpty() || profile.get().booleanProperty("ignore_configured_endpoint_urls").orElse(false)) {
            return Optional.empty();
        }
        Optional<String> service = profile.get().property("services").flatMap(s -> files.getSection("services", s))
                .flatMap(s -> s.property(serviceKey.toLowerCase(Locale.ROOT) + ".endpoint_url"));
        return service.or(() -> profile.get().property("endpoint_url")).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String firstLine(String message) {
        return message == null ? "cannot be read" : message.lines().findFirst().orElse("cannot be read");
    }
}
