package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.engine.Json;
import dev.gafail.testing.CliRun;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code gafail iam-policy} of a topology: the team's state bucket, a drill's FIS experiments. */
class IamPolicyCommandTest {

    @TempDir
    Path home;

    @Test
    void thePolicyGrantsTheStateBucketUnderItsPrefixInEveryOutputFormat() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/dev/gafail/topology/example.gafail.yaml")) {
            Files.writeString(home.resolve("gafail.yaml"), new String(in.readAllBytes())
                    + "state: {s3: {bucket: orders-state, prefix: orders-api/, region: us-east-2}}\n");
        }
        CliRun.Result text = CliRun.in(home).run("iam-policy", "bundled:failover.yaml");
        CliRun.Result json = CliRun.in(home).run("iam-policy", "bundled:failover.yaml", "--output", "json");
        assertEquals(0, text.code(), text.toString());
        assertEquals(text.toString(), json.toString(), "the policy is JSON in any format");

        List<String> state = new ArrayList<>();
        for (JsonNode statement : Json.MAPPER.readTree(text.out()).path("Statement")) {
            if (statement.path("Action").get(0).asString().startsWith("s3:")) {
                state.add(statement.path("Action") + " " + statement.path("Resource").asString() + " "
                        + statement.path("Condition"));
            }
        }
        assertEquals(List.of(
                "[\"s3:DeleteObject\",\"s3:GetObject\",\"s3:PutObject\"] arn:aws:s3:::orders-state/orders-api/* ",
                "[\"s3:GetObjectRetention\",\"s3:PutObjectRetention\"] arn:aws:s3:::orders-state/orders-api/audit/* ",
                "[\"s3:ListBucket\",\"s3:ListBucketVersions\"] arn:aws:s3:::orders-state "
                        + "{\"StringLike\":{\"s3:prefix\":\"orders-api/*\"}}",
                "[\"s3:GetBucketObjectLockConfiguration\",\"s3:GetBucketVersioning\"] arn:aws:s3:::orders-state "),
                state);
    }

    @Test
    void withCheckThePolicyAlsoGrantsWhatGafailCheckReadsAndWithoutItNot() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/dev/gafail/topology/example.gafail.yaml")) {
            Files.writeString(home.resolve("gafail.yaml"), new String(in.readAllBytes()));
        }
        CliRun.Result with = CliRun.in(home).run("iam-policy", "bundled:failover.yaml", "--check");
        CliRun.Result without = CliRun.in(home).run("iam-policy", "bundled:failover.yaml");

        assertEquals(0, with.code(), with.toString());
        for (String action : List.of("iam:SimulatePrincipalPolicy", "servicequotas:GetServiceQuota",
                "ec2:DescribeSubnets", "sns:ListSubscriptionsByTopic")) {
            assertTrue(with.out().contains("\"" + action + "\""), action + " in " + with.out());
            assertFalse(without.out().contains("\"" + action + "\""), action + " only with --check");
        }
    }

    @Test
    void aRunbookThatRunsFisExperimentsGetsTheFisActionsAndThoseOfItsUntilChecksAndNoWildcardAction() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/dev/gafail/topology/example.gafail.yaml")) {
            Files.writeString(home.resolve("gafail.yaml"), new String(in.readAllBytes()));
        }
        Path drill = home.resolve("drill.yaml");
        Files.writeString(drill, """
                apiVersion: gafail.dev/v1
                kind: Runbook
                metadata: {name: drill}
                steps:
                  - id: drain
                    action: fis.experiment
                    with:
                      region: region-a
                      template: EXT1a2b3c4d5e6f7a8
                      until: [{action: cloudwatch.alarms, with: {state: ALARM, regions: [region-a]}}]
                    timeout: 10m
                """);

        CliRun.Result result = CliRun.in(home).run("iam-policy", drill.toString());

        assertEquals(0, result.code(), result.toString());
        List<String> actions = new ArrayList<>();
        for (JsonNode statement : Json.MAPPER.readTree(result.out()).path("Statement")) {
            statement.path("Action").forEach(a -> actions.add(a.asString()));
        }
        assertTrue(actions.containsAll(List.of("fis:StartExperiment", "fis:GetExperiment", "fis:StopExperiment",
                "fis:ListExperiments", "fis:GetExperimentTemplate", "fis:ListExperimentTemplates", "fis:TagResource",
                "cloudwatch:DescribeAlarms")), actions.toString());
        assertTrue(actions.stream().noneMatch(a -> a.contains("*")), actions.toString());
        assertFalse(actions.contains("iam:PassRole"), "starting an experiment passes no role: " + actions);
    }

    @Test
    void theTopologysNotificationsMayPublishToItsTopicsAndReadItsSecretsWhateverTheRunbook() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/dev/gafail/topology/example.gafail.yaml")) {
            Files.writeString(home.resolve("gafail.yaml"), new String(in.readAllBytes()) + """
                    notifications:
                      - name: oncall
                        slack: {webhook: {ssm: /gafail/slack-webhook}}
                      - sns: {topics: {region-a: "arn:aws:sns:us-east-1:111122223333:oncall",
                                       region-b: "arn:aws:sns:us-west-2:111122223333:oncall"}}
                    """);
        }

        CliRun.Result result = CliRun.in(home).run("iam-policy", "bundled:failover.yaml");

        assertEquals(0, result.code(), result.toString());
        List<String> granted = new ArrayList<>();
        for (JsonNode statement : Json.MAPPER.readTree(result.out()).path("Statement")) {
            for (JsonNode action : statement.path("Action")) {
                if (action.asString().startsWith("sns:") || action.asString().startsWith("ssm:")) {
                    statement.path("Resource").forEach(r -> granted.add(action.asString() + " " + r.asString()));
                    if (statement.path("Resource").isString()) {
                        granted.add(action.asString() + " " + statement.path("Resource").asString());
                    }
                }
            }
        }
        assertEquals(List.of("sns:Publish arn:aws:sns:us-east-1:111122223333:oncall",
                "sns:Publish arn:aws:sns:us-west-2:111122223333:oncall",
                "ssm:GetParameter arn:aws:ssm:us-east-1:111122223333:parameter/gafail/slack-webhook",
                "ssm:GetParameter arn:aws:ssm:us-west-2:111122223333:parameter/gafail/slack-webhook"), granted);
    }
}
