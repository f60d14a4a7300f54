package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** {@code gafail iam-policy} with a topology that keeps the team's state in an S3 bucket. */
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
}
