package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.app.BundledRunbooks;
import dev.gafail.engine.Json;
import dev.gafail.topology.Region;
import dev.gafail.testing.CliRun;
import dev.gafail.testing.Resources;
import dev.gafail.topology.StateBucket;
import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** {@code gafail topology import}: the infra/aws stacks' outputs become a topology gafail accepts as is. */
class TopologyImportTest {

    @TempDir
    Path dir;

    private Path outputs() throws IOException {
        Path file = dir.resolve("outputs.json");
        try (InputStream in = getClass().getResourceAsStream("/dev/gafail/topology/cdk-outputs.json")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    @Test
    void aRepresentativeOutputsFileBecomesAValidTopology() throws Exception {
        outputs();
        CliRun.Result result = CliRun.in(dir).run("topology", "import", "outputs.json");
        assertEquals(0, result.code(), result.toString());

        Topology topology = new TopologyLoader().load(dir.resolve("gafail.yaml"));
        assertEquals("orders", topology.name());
        assertTrue(topology.writerEndpoint(), "both regions write through the global writer endpoint");
        assertEquals("111122223333", topology.account());
        assertEquals("http://a1234567890abcdef.awsglobalaccelerator.com", topology.endpoint().toString());
        assertEquals(List.of("orders-5xx-rate", "orders-p95-latency", "orders-capacity"), topology.alarms());
        assertEquals("us-west-2", topology.require("region-b").awsRegion());
        assertTrue(topology.require("region-b").endpointGroupArn().endsWith("/endpoint-group/gh04ij05kl06"));
        assertEquals(4, topology.require("region-a").ecs().activeCount());
        assertEquals(1, topology.require("region-a").ecs().warmCount());
        assertEquals("orders-region-a", topology.require("region-a").dbClusterId());
        assertEquals(Optional.of(new StateBucket("orders-state-111122223333-us-east-2", "orders/", "us-east-2")),
                topology.stateBucket());
        assertEquals(Map.of("drain", "EXTa1Drain0000001", "dependency-timeout", "EXTa1Timeout00001"),
                topology.require("region-a").experiments());
        assertEquals(Map.of("drain", "EXTb2Drain0000002", "dependency-timeout", "EXTb2Timeout00002"),
                topology.require("region-b").experiments(), "each region's templates, in that region's FIS");
        assertEquals(Optional.of(new Region.DataApi(
                        "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/database-Ab12Cd", "notes")),
                topology.require("region-a").dataApiSettings());
        assertEquals(Optional.of(new Region.DataApi(
                        "arn:aws:secretsmanager:us-west-2:111122223333:secret:orders/database-Ab12Cd", "notes")),
                topology.require("region-b").dataApiSettings(), "region-b signs in with the replica in its region");

        CliRun.Result valid = CliRun.in(dir).run("topology", "validate");
        assertEquals(0, valid.code(), valid.toString());
    }

    @Test
    void outputsWithoutTheStateStackKeepTheStateInTheLocalFolder() throws Exception {
        Path file = outputs();
        ObjectNode stacks = (ObjectNode) Json.MAPPER.readTree(Files.readString(file));
        stacks.remove("gafail-state");
        Files.writeString(file, stacks.toString());
        CliRun.Result result = CliRun.in(dir).run("topology", "import", "outputs.json");
        assertEquals(0, result.code(), result.toString());
        assertEquals(Optional.empty(), new TopologyLoader().load(dir.resolve("gafail.yaml")).stateBucket());
    }

    @Test
    void stacksDeployedBeforeTheExperimentTemplatesImportWithoutExperiments() throws Exception {
        Path file = outputs();
        ObjectNode stacks = (ObjectNode) Json.MAPPER.readTree(Files.readString(file));
        for (String stack : List.of("gafail-region-a", "gafail-region-b")) {
            ((ObjectNode) stacks.get(stack)).remove(List.of("ExperimentDrain", "ExperimentDependencyTimeout"));
        }
        Files.writeString(file, stacks.toString());
        CliRun.Result result = CliRun.in(dir).run("topology", "import", "outputs.json");
        assertEquals(0, result.code(), result.toString());
        assertEquals(Map.of(), new TopologyLoader().load(dir.resolve("gafail.yaml")).require("region-a").experiments());
    }

    @Test
    void stacksDeployedBeforeTheDataApiImportWithoutIt() throws Exception {
        Path file = outputs();
        ObjectNode stacks = (ObjectNode) Json.MAPPER.readTree(Files.readString(file));
        for (String stack : List.of("gafail-region-a", "gafail-region-b")) {
            ((ObjectNode) stacks.get(stack)).remove(List.of("DataApiSecretArn", "DataApiDatabase"));
        }
        Files.writeString(file, stacks.toString());
        CliRun.Result result = CliRun.in(dir).run("topology", "import", "outputs.json");
        assertEquals(0, result.code(), result.toString());
        assertEquals(Optional.empty(), new TopologyLoader().load(dir.resolve("gafail.yaml")).require("region-a")
                .dataApiSettings());
    }

    @Test
    void stacksDeployedBeforeTheWriterEndpointOutputImportWithTheWriterMovingFirst() throws Exception {
        Path file = outputs();
        ObjectNode stacks = (ObjectNode) Json.MAPPER.readTree(Files.readString(file));
        ((ObjectNode) stacks.get("gafail-global")).remove("WriterEndpoint");
        Files.writeString(file, stacks.toString());
        CliRun.Result result = CliRun.in(dir).run("topology", "import", "outputs.json");
        assertEquals(0, result.code(), result.toString());
        assertFalse(new TopologyLoader().load(dir.resolve("gafail.yaml")).writerEndpoint());
    }

    @Test
    void aWriterEndpointOutputThatIsNotABooleanIsOneLineNamingIt() throws Exception {
        Path file = outputs();
        Files.writeString(file, Files.readString(file).replace("\"WriterEndpoint\": \"true\"", "\"WriterEndpoint\": \"yes\""));
        CliRun.Result result = CliRun.in(dir).run("topology", "import", "outputs.json");
        assertEquals(2, result.code(), result.toString());
        assertEquals("gafail: outputs.json: output WriterEndpoint is 'yes', not true or false", result.err().strip());
    }

    @Test
    void anExistingFileIsKeptUnlessForced() throws Exception {
        outputs();
        Files.writeString(dir.resolve("gafail.yaml"), "mine\n");
        CliRun.Result refused = CliRun.in(dir).run("topology", "import", "outputs.json");
        assertEquals(2, refused.code(), refused.toString());
        assertEquals("mine\n", Files.readString(dir.resolve("gafail.yaml")));
        assertEquals(0, CliRun.in(dir).run("topology", "import", "outputs.json", "--force").code());
        assertFalse(Files.readString(dir.resolve("gafail.yaml")).startsWith("mine"));
    }

    @Test
    void aMissingOutputIsOneLineNamingIt() throws Exception {
        Path file = outputs();
        Files.writeString(file, Files.readString(file).replace("\"DbClusterArn\": \"arn:aws:rds:us-west-2",
                "\"DbCluster\": \"arn:aws:rds:us-west-2"));
        CliRun.Result result = CliRun.in(dir).run("topology", "import", "outputs.json");
        assertEquals(2, result.code(), result.toString());
        assertEquals("gafail: outputs.json: no output DbClusterArn in the stack that has region region-b",
                result.err().strip());
        assertFalse(Files.exists(dir.resolve("gafail.yaml")));
    }

    @Test
    void theBundledRunbooksAreTheRepositorysRunbooks() throws IOException {
        try (Stream<Path> files = Files.list(Resources.repository().resolve("runbooks"))) {
            assertEquals(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList(),
                    BundledRunbooks.NAMES.stream().sorted().toList());
        }
    }
}
