package dev.gafail.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gafail.lab.aws.LabResources;
import dev.gafail.servers.os.Await;
import dev.gafail.servers.os.Trees;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.fis.FisClient;

/**
 * A lab closed while a FIS experiment drains one of its regions, just as the experiment's end brings
 * the region's processes back: the close stops every process of the lab, those the end was starting
 * too, and nothing of the lab starts again afterwards (no orphaned sample-api after a test run).
 */
class LabClosedDuringAnExperimentTest {

    /** Short, so that the experiment's end comes within the test. */
    private static final Duration EXPERIMENT = Duration.ofSeconds(3);

    private Path dir;
    private Lab lab;

    @AfterEach
    void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
        Trees.delete(dir);
    }

    /** The sample-api processes this JVM runs now, from the process table. */
    private static List<Long> sampleApis() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("sample-api"))
                .map(ProcessHandle::pid).toList();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void aLabClosedAsADrainEndsStopsEveryProcessAndStartsNoneAgain() throws Exception {
        dir = Files.createTempDirectory("gafail-lab-close-");
        Path jar = LabConfig.findSampleApiJar(System.getenv(), Path.of("")).orElseThrow(
                () -> new AssertionError("build sample-api first (mvn -pl sample-api package)"));
        lab = Lab.up(LabConfig.defaults(dir, 2, jar).withExperimentDuration(EXPERIMENT));
        Set<Long> pids = new LinkedHashSet<>(lab.pids());
        pids.addAll(sampleApis());
        try (FisClient fis = FisClient.builder().endpointOverride(URI.create(lab.awsEndpoint("us-east-1")))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .build()) {
            fis.startExperiment(b -> b.experimentTemplateId(LabResources.experimentTemplateId("region-a", "drain"))
                    .clientToken("closed-during-a-drain"));
        }
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(50), "region-a was not drained",
                () -> lab.processes("region-a") == 0);
        Set<Long> drained = new LinkedHashSet<>(sampleApis());
        // The experiment's end is under way once it starts region-a's processes again: close the lab then.
        Await.until(EXPERIMENT.plusSeconds(30), Duration.ofMillis(20), "the experiment's end started nothing",
                () -> !drained.containsAll(sampleApis()));
        pids.addAll(sampleApis());

        lab.close();
        lab = null;

        for (long pid : pids) {
            assertFalse(alive(pid), "process " + pid + " of the lab outlived its close");
        }
        assertEquals(List.of(), sampleApis(), "no sample-api runs once the lab is closed");
        // An end that retried its revert after the close would start processes at once: give it that time.
        Thread.sleep(EXPERIMENT.toMillis());
        assertEquals(List.of(), sampleApis(), "nothing of the lab started again after its close");
    }
}
