package dev.gafail.lab.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gafail.lab.Lab;
import dev.gafail.lab.LabConfig;
import dev.gafail.servers.os.Trees;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.util.VersionInfo;

/**
 * One lab, read by every AWS client this machine has and by gafail: each states what it read as
 * {@link Facts}, and each must state the lab's own view at that moment, so that they agree with one
 * another. Each client's CloudWatch calls must be in the protocol it chooses, as the lab's request
 * log records. A client that is not installed is skipped, by name.
 */
class LabClientsTest {

    /** Requests sent through the edge before the clients read, for the load balancers' RequestCount. */
    private static final int SERVED = 5;

    private static Path repository;
    private static Path dir;
    private static Lab lab;
    private static RequestLog log;

    @BeforeAll
    static void up() throws Exception {
        repository = Repository.root();
        Path sampleApi = repository.resolve("sample-api/target/sample-api.jar");
        assertTrue(Files.isRegularFile(sampleApi), sampleApi + " is not built: mvn -pl sample-api,cli -am package"
                + " -DskipTests");
        dir = Files.createTempDirectory("gafail-lab-clients-");
        lab = Lab.up(LabConfig.defaults(dir.resolve("lab"), 2, sampleApi));
        // moved from where it starts, so that a client reading a lab's starting state could not agree
        lab.switchover("region-b");
        lab.dial("region-b", 25);
        log = new RequestLog(lab.requestLog());
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < SERVED; i++) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(lab.status().edge() + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
        }
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (lab != null) {
                lab.close();
            }
        } finally {
            if (dir != null) {
                Trees.delete(dir);
            }
        }
    }

    @Test
    void theNewestJavaSdkReadsTheLabWithCloudWatchInRpcV2Cbor() throws Exception {
        assertEquals(System.getProperty("awssdk.newest"), VersionInfo.SDK_VERSION, "the module's SDK, not gafail's");
        int mark = log.mark();
        Facts seen = SdkReads.read(lab);
        Facts truth = truth();
        assertEquals(truth.only(truth.values().keySet().stream().filter(fact -> !fact.startsWith("dial ")).toList()),
                seen, "all but Global Accelerator's dials");
        assertEquals(Set.of("rpcv2Cbor"), log.protocols(mark, "monitoring"));
    }

    @Test
    void theAwsCliV1OnThePathReadsTheLabWithCloudWatchInAwsJson10() throws Exception {
        Optional<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, "aws")).filter(Files::isExecutable).findFirst();
        assumeTrue(onPath.isPresent() && version(onPath.get()).startsWith("aws-cli/1."),
                "no AWS CLI v1 (pip's awscli, botocore) first on the PATH");
        assertBotocoreClientAgrees(() -> Botocore.viaCli(onPath.get(), BotocoreRead.of(lab), dir), "awsJson1_0");
    }

    @Test
    void debiansAwsCliV2ReadsTheLabWithCloudWatchInAwsQuery() throws Exception {
        Path debian = Path.of("/usr/bin/aws");
        assumeTrue(Files.isExecutable(debian) && version(debian).startsWith("aws-cli/2."),
                "no AWS CLI v2 at /usr/bin/aws (Debian's awscli, which .ci/run installs)");
        assertBotocoreClientAgrees(() -> Botocore.viaCli(debian, BotocoreRead.of(lab), dir), "awsQuery");
    }

    @Test
    void boto3ReadsTheLabWithCloudWatchInAwsJson10() throws Exception {
        assumeTrue(Child.run(List.of("python3", "-c", "import boto3"), dir, "").code() == 0,
                "no boto3 for python3");
        Path script = Path.of(LabClientsTest.class.getResource("/read_lab.py").toURI());
        assertBotocoreClientAgrees(() -> Botocore.viaBoto3(script, BotocoreRead.of(lab), dir), "awsJson1_0");
    }

    @Test
    void gafailsStatusAgreesAboutTheWriterTheDialsEcsAndTheAlarms() throws Exception {
        Path jar = repository.resolve("cli/target/gafail.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is not built: mvn -pl cli -am package -DskipTests");
        int mark = log.mark();
        Facts seen = GafailStatus.read(jar, lab, dir);
        assertEquals(truth().only(List.of(Facts.WRITER, Facts.dial("region-a"), Facts.dial("region-b"),
                Facts.ecs("region-a"), Facts.ecs("region-b"), Facts.alarm("us-east-1"), Facts.alarm("us-west-2"))),
                seen);
        assertEquals(Set.of("awsQuery"), log.protocols(mark, "monitoring"), "gafail's SDK is older than RPCv2 CBOR");
    }

    /** A read that may fail with an I/O error or be interrupted, as a client in a child process does. */
    private interface Reading {
        Facts read() throws Exception;
    }

    /** A botocore client states every fact the lab's view has, calling CloudWatch in {@code protocol}. */
    private static void assertBotocoreClientAgrees(Reading client, String protocol) throws Exception {
        int mark = log.mark();
        Facts seen = client.read();
        assertEquals(truth(), seen);
        assertEquals(Set.of(protocol), log.protocols(mark, "monitoring"));
    }

    private static Facts truth() {
        return Facts.of(lab.status());
    }

    /** What {@code aws --version} says first, e.g. {@code aws-cli/1.45.11}. */
    private static String version(Path aws) throws Exception {
        Child.Result result = Child.run(List.of(aws.toString(), "--version"), dir, "");
        return (result.out() + result.err()).strip();
    }
}
