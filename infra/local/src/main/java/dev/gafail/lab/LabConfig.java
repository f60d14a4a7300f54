package dev.gafail.lab;

import dev.gafail.lab.aws.LabResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a lab: its folder, how many sample-api processes the active region runs (the
 * passive one runs {@code warm}), the sample-api jar, and the edge's health checks (lab defaults:
 * every 2 s, 2 in a row, so drills are quick), the AWS region that hosts Global Accelerator's
 * control plane (us-west-2, as at AWS; the other lab region to show its loss with that region's),
 * how long the action of each FIS experiment template lasts (5 minutes; tests shorten it), and whether the
 * sample API writes from every region through the writer endpoint (on by default, as infra/aws deploys it;
 * off: only the writer region writes, a replica region answers writes 503).
 */
public record LabConfig(Path dir, int instances, int warm, Path sampleApiJar, Duration healthInterval,
                        int healthThreshold, String acceleratorRegion, Duration experimentDuration,
                        boolean writerEndpoint) {

    public static final String JAR_ENV = "GAFAIL_SAMPLE_API_JAR";
    public static final String DEFAULT_ACCELERATOR_REGION = "us-west-2";
    public static final Duration DEFAULT_EXPERIMENT_DURATION = Duration.ofMinutes(5);
    /** FIS's own bound on an experiment's duration. */
    private static final Duration MAX_EXPERIMENT_DURATION = Duration.ofHours(12);
    private static final Path JAR_IN_REPOSITORY = Path.of("sample-api", "target", "sample-api.jar");

    public LabConfig {
        if (instances < 1 || instances > 16) {
            throw new IllegalArgumentException("--instances " + instances + ": between 1 and 16");
        }
        if (warm < 0 || warm > instances) {
            throw new IllegalArgumentException("warm " + warm + ": between 0 and --instances");
        }
        checkAcceleratorRegion(acceleratorRegion);
        if (experimentDuration.compareTo(Duration.ofSeconds(1)) < 0 || experimentDuration.compareTo(MAX_EXPERIMENT_DURATION) > 0) {
            throw new IllegalArgumentException("experiment duration " + experimentDuration + ": between 1s and 12h");
        }
        dir = dir.toAbsolutePath().normalize();
    }

    /** Global Accelerator's control plane lives in one of the lab's AWS regions; otherwise an {@link IllegalArgumentException}. */
    public static void checkAcceleratorRegion(String awsRegion) {
        if (!LabResources.AWS_REGIONS.containsValue(awsRegion)) {
            throw new IllegalArgumentException("--accelerator-region " + awsRegion + ": one of the lab's AWS regions, "
                    + String.join(", ", LabResources.AWS_REGIONS.values().stream().sorted().toList()));
        }
    }

    public static LabConfig defaults(Path dir, int instances, Path sampleApiJar) {
        return new LabConfig(dir, instances, 1, sampleApiJar, Duration.ofSeconds(2), 2, DEFAULT_ACCELERATOR_REGION,
                DEFAULT_EXPERIMENT_DURATION, true);
    }

    /** The same lab, with Global Accelerator's control plane in {@code awsRegion}. */
    public LabConfig withAcceleratorRegion(String awsRegion) {
        return new LabConfig(dir, instances, warm, sampleApiJar, healthInterval, healthThreshold, awsRegion,
                experimentDuration, writerEndpoint);
    }

    /** The same lab, its FIS experiment templates' actions lasting {@code duration}. */
    public LabConfig withExperimentDuration(Duration duration) {
        return new LabConfig(dir, instances, warm, sampleApiJar, healthInterval, healthThreshold, acceleratorRegion,
                duration, writerEndpoint);
    }

    /** The same lab, with or without the writer endpoint. */
    public LabConfig withWriterEndpoint(boolean on) {
        return new LabConfig(dir, instances, warm, sampleApiJar, healthInterval, healthThreshold, acceleratorRegion,
                experimentDuration, on);
    }

    /**
     * The sample-api jar: {@code $GAFAIL_SAMPLE_API_JAR}, else {@code sample-api/target/sample-api.jar}
     * in {@code from} or a folder above it (the repository).
     */
    public static Optional<Path> findSampleApiJar(Map<String, String> env, Path from) {
        String configured = env.get(JAR_ENV);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        for (Path dir = from.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(JAR_IN_REPOSITORY);
            if (Files.isRegularFile(jar)) {
                return Optional.of(jar);
            }
        }
        return Optional.empty();
    }
}
