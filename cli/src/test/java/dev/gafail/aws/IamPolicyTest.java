package dev.gafail.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.topology.Topology;
import dev.gafail.topology.TopologyLoader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policy's statements for a topology that keeps its state in an S3 bucket, and for one that does not. */
class IamPolicyTest {

    private static final Set<String> FAILOVER = Set.of("ecs:UpdateService", "globalaccelerator:UpdateEndpointGroup",
            "rds:SwitchoverGlobalCluster", "cloudwatch:GetMetricData");

    /** The shipped example topology, with {@code state} appended when given. */
    private static Topology topology(String state) throws Exception {
        byte[] example;
        try (InputStream in = IamPolicyTest.class.getResourceAsStream("/dev/gafail/topology/example.gafail.yaml")) {
            example = in.readAllBytes();
        }
        String yaml = new String(example, StandardCharsets.UTF_8) + state;
        return new TopologyLoader().parse("gafail.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        return (List<Map<String, Object>>) policy.get("Statement");
    }

    private static List<Map<String, Object>> s3Statements(Map<String, Object> policy) {
        return statements(policy).stream().filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:")))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> actions(Map<String, Object> statement) {
        return (List<String>) statement.get("Action");
    }

    @Test
    void aStateBucketGrantsItsObjectsAndItsListingUnderThePrefixWhateverTheRunbooksAsk() throws Exception {
        Topology topology = topology("state: {s3: {bucket: orders-state, prefix: orders-api/, region: us-east-2}}\n");
        for (Set<String> asked : List.of(Set.<String>of(), FAILOVER)) {
            List<Map<String, Object>> s3 = s3Statements(IamPolicy.document(asked, topology));
            assertEquals(4, s3.size(), s3.toString());
            Map<String, Object> objects = s3.get(0);
            assertEquals(List.of("s3:DeleteObject", "s3:GetObject", "s3:PutObject"), actions(objects));
            assertEquals("arn:aws:s3:::orders-state/orders-api/*", objects.get("Resource"));
            assertFalse(objects.containsKey("Condition"));
            Map<String, Object> list = s3.get(2);
            assertEquals(List.of("s3:ListBucket", "s3:ListBucketVersions"), actions(list));
            assertEquals("arn:aws:s3:::orders-state", list.get("Resource"), "listing acts on the bucket itself");
            assertEquals(Map.of("StringLike", Map.of("s3:prefix", "orders-api/*")), list.get("Condition"));
        }
    }

    @Test
    void anAuditRecordsRetentionMayBeSetAndReadInTheAuditFolderOnly() throws Exception {
        Topology topology = topology("state: {s3: {bucket: orders-state, prefix: orders-api/, region: us-east-2}}\n");
        Map<String, Object> retention = s3Statements(IamPolicy.document(FAILOVER, topology)).get(1);
        assertEquals(List.of("s3:GetObjectRetention", "s3:PutObjectRetention"), actions(retention));
        assertEquals("arn:aws:s3:::orders-state/orders-api/audit/*", retention.get("Resource"),
                "not the lock or the journal, which are deleted and rewritten");
        assertFalse(retention.containsKey("Condition"));
    }

    @Test
    void theBucketsVersioningAndObjectLockConfigurationAreReadableWithoutAPrefixCondition() throws Exception {
        Topology topology = topology("state: {s3: {bucket: orders-state, prefix: orders-api/, region: us-east-2}}\n");
        Map<String, Object> bucket = s3Statements(IamPolicy.document(FAILOVER, topology)).get(3);
        assertEquals(List.of("s3:GetBucketObjectLockConfiguration", "s3:GetBucketVersioning"), actions(bucket));
        assertEquals("arn:aws:s3:::orders-state", bucket.get("Resource"));
        assertFalse(bucket.containsKey("Condition"), "these calls carry no s3:prefix, so StringLike would refuse them");
    }

    @Test
    void noOperatorMayShortenARetentionChangeTheBucketsLockOrEraseAVersion() throws Exception {
        Topology topology = topology("state: {s3: {bucket: orders-state, prefix: orders-api/, region: us-east-2}}\n");
        List<String> all = new ArrayList<>();
        statements(IamPolicy.document(FAILOVER, topology)).forEach(s -> all.addAll(actions(s)));
        for (String forbidden : List.of("s3:BypassGovernanceRetention", "s3:PutBucketObjectLockConfiguration",
                "s3:DeleteObjectVersion", "s3:PutObjectLegalHold", "s3:PutBucketVersioning",
                "s3:PutLifecycleConfiguration", "s3:PutBucketPolicy")) {
            assertFalse(all.contains(forbidden), forbidden + " in " + all);
        }
        assertTrue(all.containsAll(IamPolicy.STATE_ACTIONS), all.toString());
    }

    @Test
    void theRunbooksActionsKeepTheirOwnStatementsBesideTheState() throws Exception {
        Topology topology = topology("state: {s3: {bucket: orders-state, prefix: orders-api/, region: us-east-2}}\n");
        List<String> all = new ArrayList<>();
        statements(IamPolicy.document(FAILOVER, topology)).forEach(s -> all.addAll(actions(s)));
        assertEquals(FAILOVER.size() + 9, all.size(), all.toString());
        assertTrue(all.containsAll(FAILOVER), all.toString());
    }

    @Test
    void neverAnActionWildcardAndEveryStatementHasItsOwnSid() throws Exception {
        Topology topology = topology("state: {s3: {bucket: orders-state, prefix: orders-api/, region: us-east-2}}\n");
        List<Map<String, Object>> statements = statements(IamPolicy.document(FAILOVER, topology));
        statements.forEach(s -> actions(s).forEach(a -> assertFalse(a.contains("*"), a)));
        assertEquals(statements.size(), statements.stream().map(s -> s.get("Sid")).distinct().count());
    }

    @Test
    void withoutAPrefixTheWholeBucketIsGafailsAndTheListingIsUnconditioned() throws Exception {
        Topology topology = topology("state: {s3: {bucket: orders-state, region: us-east-2}}\n");
        List<Map<String, Object>> s3 = s3Statements(IamPolicy.document(Set.of(), topology));
        assertEquals("arn:aws:s3:::orders-state/*", s3.get(0).get("Resource"));
        assertEquals("arn:aws:s3:::orders-state/audit/*", s3.get(1).get("Resource"));
        assertFalse(s3.get(2).containsKey("Condition"), "StringLike would refuse a listing without a prefix");
    }

    @Test
    void aWildcardInThePrefixIsMatchedAsWrittenNotWidened() throws Exception {
        Topology topology = topology("state: {s3: {bucket: orders-state, prefix: team*/, region: us-east-2}}\n");
        List<Map<String, Object>> s3 = s3Statements(IamPolicy.document(Set.of(), topology));
        assertEquals("arn:aws:s3:::orders-state/team${*}/*", s3.get(0).get("Resource"));
        assertEquals("arn:aws:s3:::orders-state/team${*}/audit/*", s3.get(1).get("Resource"));
        assertEquals(Map.of("StringLike", Map.of("s3:prefix", "team${*}/*")), s3.get(2).get("Condition"));
    }

    @Test
    void aTopologyWithoutStateOrNoTopologyGrantsNothingInS3() throws Exception {
        assertEquals(List.of(), s3Statements(IamPolicy.document(FAILOVER, topology(""))));
        assertEquals(List.of(), s3Statements(IamPolicy.document(FAILOVER, (Topology) null)));
        assertEquals(List.of(), statements(IamPolicy.document(Set.of(), topology(""))));
    }
}
