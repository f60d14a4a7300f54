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

/**
 * The policy's statements for a topology that keeps its state in an S3 bucket, and for one that does
 * not; for FIS experiments; for the topology's notifications (SNS topics, SSM parameters); and for the
 * RDS Data API (its secrets).
 */
class IamPolicyTest {

    private static final Set<String> FAILOVER = Set.of("ecs:UpdateService", "globalaccelerator:UpdateEndpointGroup",
            "rds:SwitchoverGlobalCluster", "cloudwatch:GetMetricData");
    private static final String SECRET_A = "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/database-Ab12Cd";
    private static final String SECRET_B = "arn:aws:secretsmanager:us-west-2:111122223333:secret:orders/database-Ab12Cd";

    /** The shipped example topology, with {@code state} appended when given. */
    private static Topology topology(String state) throws Exception {
        return parse(example() + state);
    }

    private static String example() throws Exception {
        try (InputStream in = IamPolicyTest.class.getResourceAsStream("/dev/gafail/topology/example.gafail.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Topology parse(String yaml) throws Exception {
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
    void aSidIsLettersAndDigitsOnlyAsIamRequiresEvenForAServiceNamedWithADash() throws Exception {
        Map<String, Object> policy = IamPolicy.document(Set.of("rds-data:ExecuteStatement", "rds:DescribeDBClusters"),
                topology(""));
        assertEquals(List.of("GafailRdsData1", "GafailRds2"), statements(policy).stream().map(s -> s.get("Sid"))
                .toList());
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

    /** The statement that grants {@code action}. */
    private static Map<String, Object> granting(Map<String, Object> policy, String action) {
        return statements(policy).stream().filter(s -> actions(s).contains(action)).findFirst()
                .orElseThrow(() -> new AssertionError(action + " not in " + policy));
    }

    private static List<?> resources(Map<String, Object> statement) {
        Object resource = statement.get("Resource");
        return resource instanceof List<?> list ? list : List.of(resource);
    }

    @Test
    void aFisExperimentMayBeStartedWatchedAndStoppedInTheTopologysRegionsAndAccountOnly() throws Exception {
        Map<String, Object> policy = IamPolicy.document(IamPolicy.FIS_EXPERIMENT_ACTIONS, topology(""));
        String east = "arn:aws:fis:us-east-1:111122223333:";
        String west = "arn:aws:fis:us-west-2:111122223333:";
        assertEquals(List.of(east + "experiment-template/*", east + "experiment/*", west + "experiment-template/*",
                west + "experiment/*"), resources(granting(policy, "fis:StartExperiment")),
                "StartExperiment acts on the template and on the experiment it creates");
        for (String action : List.of("fis:GetExperiment", "fis:StopExperiment", "fis:TagResource")) {
            assertEquals(List.of(east + "experiment/*", west + "experiment/*"), resources(granting(policy, action)),
                    action);
        }
        assertEquals(List.of(east + "experiment-template/*", west + "experiment-template/*"),
                resources(granting(policy, "fis:GetExperimentTemplate")));
        for (String action : List.of("fis:ListExperiments", "fis:ListExperimentTemplates")) {
            assertEquals(List.of("*"), resources(granting(policy, action)), action + " has no resource-level permission");
        }
        List<String> all = new ArrayList<>();
        statements(policy).forEach(s -> all.addAll(actions(s)));
        assertEquals(Set.copyOf(IamPolicy.FIS_EXPERIMENT_ACTIONS), Set.copyOf(all));
        all.forEach(a -> assertFalse(a.contains("*"), a));
        assertFalse(all.contains("iam:PassRole"), "the template holds FIS's role; starting it passes none");
    }

    @Test
    void notificationsMayPublishToTheirTopicsAndReadTheirSecretsThroughSsmOnlyWhateverTheRunbooks() throws Exception {
        IamPolicy.Scope scope = IamPolicy.Scope.of(topology("")).withNotifications(
                List.of("arn:aws:sns:us-east-1:111122223333:oncall", "arn:aws:sns:us-west-2:111122223333:oncall"),
                List.of("/gafail/slack-webhook", "arn:aws:ssm:us-west-2:111122223333:parameter/ops/hook"));
        for (Set<String> asked : List.of(Set.<String>of(), Set.of("sns:Publish"), FAILOVER)) {
            Map<String, Object> policy = IamPolicy.document(asked, scope);
            assertEquals(List.of("arn:aws:sns:us-east-1:111122223333:oncall", "arn:aws:sns:us-west-2:111122223333:oncall"),
                    resources(granting(policy, "sns:Publish")));
            List<String> parameters = List.of("arn:aws:ssm:us-east-1:111122223333:parameter/gafail/slack-webhook",
                    "arn:aws:ssm:us-west-2:111122223333:parameter/gafail/slack-webhook",
                    "arn:aws:ssm:us-west-2:111122223333:parameter/ops/hook");
            assertEquals(parameters, resources(granting(policy, "ssm:GetParameter")),
                    "a name is read in either region, an ARN where it is");
            Map<String, Object> decrypt = granting(policy, "kms:Decrypt");
            assertEquals(List.of("kms:Decrypt"), actions(decrypt));
            assertEquals(List.of("arn:aws:kms:us-east-1:111122223333:key/*", "arn:aws:kms:us-west-2:111122223333:key/*"),
                    resources(decrypt));
            assertEquals(Map.of("StringEquals", Map.of(
                    "kms:ViaService", List.of("ssm.us-east-1.amazonaws.com", "ssm.us-west-2.amazonaws.com"),
                    "kms:EncryptionContext:PARAMETER_ARN", parameters)), decrypt.get("Condition"),
                    "a key decrypts only for SSM, and only the topology's parameters");
            statements(policy).forEach(s -> actions(s).forEach(a -> assertFalse(a.contains("*"), a)));
        }
    }

    @Test
    void aNotifyStepWithoutTopicsMayPublishInTheTopologysAccountAndRegionsAndReadsNoSecret() throws Exception {
        Map<String, Object> policy = IamPolicy.document(Set.of("sns:Publish"), topology(""));
        assertEquals(List.of("arn:aws:sns:us-east-1:111122223333:*", "arn:aws:sns:us-west-2:111122223333:*"),
                resources(granting(policy, "sns:Publish")));
        assertEquals(1, statements(policy).size(), "no ssm:GetParameter, no kms:Decrypt: " + policy);
    }

    /** The example topology with a {@code dataApi} in each region, as {@code gafail topology import} writes it. */
    private static Topology withDataApi() throws Exception {
        String yaml = example();
        for (Map.Entry<String, String> region : Map.of("a", SECRET_A, "b", SECRET_B).entrySet()) {
            String healthz = "healthz: https://" + region.getKey() + ".api.example.com/healthz\n";
            yaml = yaml.replace(healthz, healthz + "    dataApi: {secretArn: \"" + region.getValue()
                    + "\", database: notes}\n");
        }
        return parse(yaml);
    }

    @Test
    void theDataApiMayReadTheRegionsDatabaseSecretsAndQueryTheirClustersAndRestoresOnly() throws Exception {
        Map<String, Object> policy = IamPolicy.document(Set.of("secretsmanager:GetSecretValue",
                "rds-data:ExecuteStatement"), withDataApi());
        assertEquals(List.of(SECRET_A, SECRET_B), resources(granting(policy, "secretsmanager:GetSecretValue")));
        assertEquals(List.of("arn:aws:rds:us-east-1:111122223333:cluster:orders-a",
                        "arn:aws:rds:us-east-1:111122223333:cluster:gafail-restore-*",
                        "arn:aws:rds:us-west-2:111122223333:cluster:orders-b",
                        "arn:aws:rds:us-west-2:111122223333:cluster:gafail-restore-*"),
                resources(granting(policy, "rds-data:ExecuteStatement")));
    }

    @Test
    void withoutADataApiNoSecretIsGranted() throws Exception {
        Map<String, Object> policy = IamPolicy.document(Set.of("secretsmanager:GetSecretValue",
                "rds-data:ExecuteStatement"), topology(""));
        assertTrue(policy.toString().contains("rds-data:ExecuteStatement"), policy.toString());
        assertFalse(policy.toString().contains("secretsmanager"), "no secret to read, none granted: " + policy);
    }
}
