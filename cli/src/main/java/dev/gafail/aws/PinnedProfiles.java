package dev.gafail.aws;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The AWS profiles as the user wrote them, but with every profile's {@code region} set to one AWS
 * region: a profile that assumes a role asks STS in its profile's region, and that region may be the
 * one that is lost. (SSO profiles keep their {@code sso_region}: IAM Identity Center lives where it
 * was set up; docs/OPERATIONS.md's break-glass section says what to do about it.)
 */
final class PinnedProfiles {

    private PinnedProfiles() {
    }

    /** The profiles of {@code settings}' environment (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws). */
    static ProfileFile of(AwsSettings settings, String awsRegion) {
        ProfileFile.Aggregator files = ProfileFile.aggregator();
        Path aws = settings.home().resolve(".aws");
        Path config = Path.of(settings.env().getOrDefault("AWS_CONFIG_FILE", aws.resolve("config").toString()));
        Path credentials = Path.of(settings.env().getOrDefault("AWS_SHARED_CREDENTIALS_FILE",
                aws.resolve("credentials").toString()));
        if (Files.isRegularFile(config)) {
            files.addFile(ProfileFile.builder().type(ProfileFile.Type.CONFIGURATION).content(config).build());
        }
        if (Files.isRegularFile(credentials)) {
            files.addFile(ProfileFile.builder().type(ProfileFile.Type.CREDENTIALS).content(credentials).build());
        }
        return of(files.build(), awsRegion);
    }

    static ProfileFile of(ProfileFile profiles, String awsRegion) {
        StringBuilder override = new StringBuilder();
        for (String name : profiles.profiles().keySet()) {
            override.append(name.equals("default") ? "[default]" : "[profile " + name + "]").append('\n')
                    .append("region = ").append(awsRegion).append('\n');
        }
        ProfileFile pinned = ProfileFile.builder().type(ProfileFile.Type.CONFIGURATION)
                .content(new ByteArrayInputStream(override.toString().getBytes(StandardCharsets.UTF_8))).build();
        // The aggregator keeps the first file's value of a property that several files set.
        return ProfileFile.aggregator().addFile(pinned).addFile(profiles).build();
    }
}
