package dev.gafail.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.topology.TopologyImport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

/**
 * Writes from both regions through the Aurora global database's writer endpoint ({@code database.writerEndpoint}):
 * the endpoint read from the RDS API in region-a and passed to both regions' tasks, the VPC peering and routes
 * that carry the writes between the regions, the database security groups that admit them; and, switched off,
 * none of it.
 */
class WriterEndpointTest {

    private static final Template primary = Synthesized.PRIMARY;
    private static final Template secondary = Synthesized.SECONDARY;
    private static final Template peering = Synthesized.PEERING;
    private static final String LOOKUP = "DatabaseGlobalWriterEndpointLookup725EC2DF";
    private static final String URL_TAIL = ":5432/notes?sslmode=require";

    @TempDir
    static Path out;

    private static GafailInfra.Stacks off;

    @BeforeAll
    static void synthWithoutTheWriterEndpoint() {
        InfraConfig d = InfraConfig.defaults();
        InfraConfig config = new InfraConfig(d.name(), d.account(), d.mode(), d.regions(), d.service(),
                new InfraConfig.Database(d.database().engineVersion(), d.database().instanceClass(), false),
                d.alarms(), d.state());
        off = GafailInfra.build(config, out.resolve("off").toString());
    }

    /** The environment of the only container of {@code template}'s task definition, by name. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Template template) {
        Map<String, Object> task = Synthesized.properties(template, "AWS::ECS::TaskDefinition").get(0);
        Map<String, Object> container = ((List<Map<String, Object>>) task.get("ContainerDefinitions")).get(0);
        Map<String, Object> out = new TreeMap<>();
        ((List<Map<String, Object>>) container.get("Environment")).forEach(e -> out.put((String) e.get("Name"),
                e.get("Value")));
        return out;
    }

    private static Map<String, Object> jdbcUrl(Object host) {
        return Map.of("Fn::Join", List.of("", List.of("jdbc:postgresql://", host, URL_TAIL)));
    }

    private static Map<String, Object> getAtt(String resource, String attribute) {
        return Map.of("Fn::GetAtt", List.of(resource, attribute));
    }

    /** The SSM parameter that {@code producer}'s export writer fills with {@code value} for {@code awsRegion}. */
    @SuppressWarnings("unchecked")
    private static String exported(Template producer, String awsRegion, Object value) {
        for (Map<String, Object> writer : Synthesized.properties(producer, "Custom::CrossRegionExportWriter")) {
            Map<String, Object> props = (Map<String, Object>) writer.get("WriterProps");
            if (awsRegion.equals(props.get("region"))) {
                for (Map.Entry<String, Object> export : ((Map<String, Object>) props.get("exports")).entrySet()) {
                    if (value.equals(export.getValue())) {
                        return export.getKey();
                    }
                }
            }
        }
        throw new AssertionError("no export of " + value + " to " + awsRegion);
    }

    /** The logical ids of the route tables of {@code template}'s app and db subnets. */
    private static Set<String> appAndDbRouteTables(Template template) {
        Set<String> out = new TreeSet<>(template.findResources("AWS::EC2::RouteTable").keySet());
        out.removeIf(id -> !id.startsWith("VpcappSubnet") && !id.startsWith("VpcdbSubnet"));
        assertEquals(4, out.size(), out.toString());
        return out;
    }

    /** The route tables of {@code template}'s routes to {@code cidr}, each of which goes through {@code peering}. */
    private static List<Object> peerRoutes(Template template, String cidr, Object peering) {
        List<Object> tables = new ArrayList<>();
        for (Map<String, Object> route : Synthesized.properties(template, "AWS::EC2::Route")) {
            if (cidr.equals(route.get("DestinationCidrBlock"))) {
                assertEquals(peering, route.get("VpcPeeringConnectionId"), route.toString());
                tables.add(route.get("RouteTableId"));
            }
        }
        return tables;
    }

    /** The logical id of {@code template}'s resource of {@code type} whose id starts with {@code prefix}. */
    private static String logicalId(Template template, String type, String prefix) {
        List<String> ids = template.findResources(type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
        assertEquals(1, ids.size(), prefix + ": " + ids);
        return ids.get(0);
    }

    @Test
    void bothRegionsTasksWriteThroughTheGlobalWriterEndpointWaitingTenSecondsForAMovingWriter() {
        Map<String, Object> a = environment(primary);
        Map<String, Object> b = environment(secondary);
        Map<String, Object> endpoint = getAtt(LOOKUP, GlobalWriterEndpoint.ENDPOINT);
        assertEquals(jdbcUrl(endpoint), a.get("DATABASE_WRITER_URL"));
        String reader = logicalId(secondary, "Custom::CrossRegionExportReader", "ExportsReader");
        assertEquals(jdbcUrl(getAtt(reader, exported(primary, "us-west-2", endpoint))), b.get("DATABASE_WRITER_URL"),
                "region-b has region-a's lookup, through the CDK's cross-region references");
        for (Map<String, Object> environment : List.of(a, b)) {
            assertEquals("10", environment.get("WRITE_WAIT_SECONDS"));
            assertEquals(Map.of("Fn::Join", List.of("", List.of("jdbc:postgresql://",
                    getAtt("DatabaseProxy66FAF030", "Endpoint"), URL_TAIL))), environment.get("DATABASE_URL"),
                    "reads still go through the region's proxy");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEndpointIsReadFromTheRdsApiOnceTheGlobalDatabaseHasItsPrimary() {
        Map<String, Object> lookup = primary.findResources("Custom::AWS").get(LOOKUP);
        Map<String, Object> properties = (Map<String, Object>) lookup.get("Properties");
        for (String call : List.of("Create", "Update")) {
            String sdkCall = (String) properties.get(call);
            for (String part : List.of("\"action\":\"describeGlobalClusters\"", "\"service\":\"RDS\"",
                    "\"GlobalClusterIdentifier\":\"gafail-global\"",
                    "\"outputPaths\":[\"GlobalClusters.0.Endpoint\"]")) {
                assertTrue(sdkCall.contains(part), part + " in " + sdkCall);
            }
        }
        assertEquals(false, properties.get("InstallLatestAwsSdk"), "no npm download at deploy time");
        String cluster = primary.findResources("AWS::RDS::DBCluster").keySet().iterator().next();
        assertTrue(((List<?>) lookup.get("DependsOn")).contains(cluster), lookup.toString());
        Map<String, Object> policy = Synthesized.properties(primary, "AWS::IAM::Policy").stream()
                .filter(p -> ((String) p.get("PolicyName")).startsWith("DatabaseGlobalWriterEndpoint")).findFirst()
                .orElseThrow();
        List<?> statements = (List<?>) ((Map<?, ?>) policy.get("PolicyDocument")).get("Statement");
        assertEquals(1, statements.size(), statements.toString());
        Map<?, ?> statement = (Map<?, ?>) statements.get(0);
        assertEquals("rds:DescribeGlobalClusters", statement.get("Action"));
        assertEquals(Optional.of("arn:aws:rds::111122223333:global-cluster:gafail-global"),
                Synthesized.literal(statement.get("Resource")));
        secondary.resourceCountIs("Custom::AWS", 0);
    }

    @Test
    void regionBRequestsAPeeringWithRegionAsVpcAndBothRouteTheirAppAndDbSubnetsToTheOtherThroughIt() {
        secondary.resourceCountIs("AWS::EC2::VPCPeeringConnection", 1);
        primary.resourceCountIs("AWS::EC2::VPCPeeringConnection", 0);
        Map<String, Object> connection = Synthesized.properties(secondary, "AWS::EC2::VPCPeeringConnection").get(0);
        String reader = logicalId(secondary, "Custom::CrossRegionExportReader", "ExportsReader");
        String vpcA = primary.findResources("AWS::EC2::VPC").keySet().iterator().next();
        assertEquals("us-east-1", connection.get("PeerRegion"));
        assertEquals("111122223333", connection.get("PeerOwnerId"));
        assertEquals(getAtt(reader, exported(primary, "us-west-2", Map.of("Ref", vpcA))), connection.get("PeerVpcId"));
        assertEquals(Map.of("Ref", secondary.findResources("AWS::EC2::VPC").keySet().iterator().next()),
                connection.get("VpcId"));
        String id = secondary.findResources("AWS::EC2::VPCPeeringConnection").keySet().iterator().next();

        Set<String> own = new TreeSet<>();
        peerRoutes(secondary, "10.10.0.0/16", Map.of("Ref", id))
                .forEach(table -> own.add((String) ((Map<?, ?>) table).get("Ref")));
        assertEquals(appAndDbRouteTables(secondary), own, "region-b's routes to region-a");

        Object imported = getAtt(logicalId(peering, "Custom::CrossRegionExportReader", "ExportsReader"),
                exported(secondary, "us-east-1", Map.of("Ref", id)));
        Set<String> tables = new TreeSet<>();
        for (Object table : peerRoutes(peering, "10.20.0.0/16", imported)) {
            String export = (String) ((Map<?, ?>) table).get("Fn::ImportValue");
            appAndDbRouteTables(primary).stream().filter(t -> export.startsWith("gafail-region-a:ExportsOutputRef" + t))
                    .forEach(tables::add);
        }
        assertEquals(appAndDbRouteTables(primary), tables, "region-a's routes to region-b, in a stack of their own");
        peering.resourceCountIs("AWS::EC2::Route", 4);
        primary.resourceCountIs("AWS::EC2::Route", 4); // its own: to the internet gateway and the NAT gateway
        GafailInfra.Stacks stacks = Synthesized.STACKS;
        assertEquals("us-east-1", stacks.peering().orElseThrow().getRegion());
        assertTrue(stacks.peering().orElseThrow().getDependencies().containsAll(List.of(stacks.primary(),
                stacks.secondary())), "deployed after both regions");
    }

    /** The inline CIDR rules of {@code template}'s database security group: source, from and to port. */
    private static Set<List<Object>> databaseCidrRules(Template template) {
        Set<List<Object>> rules = new HashSet<>();
        template.findResources("AWS::EC2::SecurityGroup").forEach((id, group) -> {
            Object ingress = ((Map<?, ?>) group.get("Properties")).get("SecurityGroupIngress");
            for (Object rule : ingress == null ? List.of() : (List<?>) ingress) {
                Map<?, ?> r = (Map<?, ?>) rule;
                if (!"0.0.0.0/0".equals(r.get("CidrIp"))) {
                    assertTrue(id.startsWith("DatabaseGroup"), "CIDR rules on the database's group only: " + id);
                    rules.add(List.of(r.get("CidrIp"), r.get("FromPort"), r.get("ToPort")));
                }
            }
        });
        return rules;
    }

    /** The CIDR blocks of {@code template}'s app subnets, where its tasks run. */
    private static Set<List<Object>> appSubnets(Template template) {
        Set<List<Object>> out = new HashSet<>();
        template.findResources("AWS::EC2::Subnet").forEach((id, subnet) -> {
            if (id.startsWith("VpcappSubnet")) {
                out.add(List.of(((Map<?, ?>) subnet.get("Properties")).get("CidrBlock"), 5432, 5432));
            }
        });
        assertEquals(2, out.size(), out.toString());
        return out;
    }

    /** Whether {@code template}'s database group admits its own tasks' group on PostgreSQL's port. */
    private static boolean databaseAdmitsOwnTasks(Template template) {
        return Synthesized.properties(template, "AWS::EC2::SecurityGroupIngress").stream().anyMatch(rule ->
                rule.get("GroupId").toString().contains("DatabaseGroup")
                        && rule.get("SourceSecurityGroupId").toString().contains("ServiceGroup")
                        && rule.get("FromPort").equals(5432) && rule.get("ToPort").equals(5432));
    }

    @Test
    void eachDatabaseAdmitsItsOwnTasksAndTheOtherRegionsAppSubnetsOnPostgresqlsPortOnly() {
        assertEquals(appSubnets(secondary), databaseCidrRules(primary));
        assertEquals(appSubnets(primary), databaseCidrRules(secondary));
        assertTrue(databaseAdmitsOwnTasks(primary), "the writer endpoint leads past the proxy");
        assertTrue(databaseAdmitsOwnTasks(secondary), "the writer endpoint leads past the proxy");
    }

    @Test
    void withoutItOnlyTheWriterRegionWritesAndNothingCrossesBetweenTheRegions() {
        for (Template t : List.of(Template.fromStack(off.primary()), Template.fromStack(off.secondary()))) {
            Map<String, Object> environment = environment(t);
            assertFalse(environment.containsKey("DATABASE_WRITER_URL"), environment.toString());
            assertFalse(environment.containsKey("WRITE_WAIT_SECONDS"), environment.toString());
            t.resourceCountIs("Custom::AWS", 0);
            t.resourceCountIs("AWS::EC2::VPCPeeringConnection", 0);
            t.resourceCountIs("AWS::EC2::Route", 4);
            assertEquals(Set.of(), databaseCidrRules(t));
            assertFalse(databaseAdmitsOwnTasks(t), "only RDS Proxy reaches the database");
        }
        assertEquals(Optional.empty(), off.peering());
        assertEquals(4, off.app().synth().getStacks().size(), "no stack of routes");
    }

    @Test
    void theGlobalStackTellsTheTopologyImportWhetherBothRegionsWriteThroughTheEndpoint() {
        assertEquals("true", output(Synthesized.GLOBAL, TopologyImport.WRITER_ENDPOINT));
        assertEquals("false", output(Template.fromStack(off.global()), TopologyImport.WRITER_ENDPOINT));
    }

    @SuppressWarnings("unchecked")
    private static Object output(Template template, String key) {
        Map<String, Object> outputs = (Map<String, Object>) ((Map<String, Object>) template.toJSON()).get("Outputs");
        return ((Map<String, Object>) outputs.get(key)).get("Value");
    }
}
