package dev.gafail.aws;

import dev.gafail.engine.StepFailure;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/** SSM Parameter Store: secrets a topology names (a webhook's URL), read decrypted from a region that has them. */
public final class SsmParameters {

    private SsmParameters() {
    }

    /**
     * The value of parameter {@code name} (a SecureString is decrypted), from the first of {@code awsRegions}
     * that gives it, in order (the surviving region first); or why none did, region by region.
     */
    public static String read(AwsClients aws, List<String> awsRegions, String name) throws StepFailure {
        List<String> failures = new ArrayList<>();
        for (String region : awsRegions) {
            try {
                return aws.ssm(region).getParameter(p -> p.name(name).withDecryption(true)).parameter().value();
            } catch (SdkException e) {
                failures.add(region + ": " + AwsErrors.describe("GetParameter", e));
            }
        }
        throw StepFailure.permanent("SSM parameter " + name + " could not be read: " + (failures.isEmpty()
                ? "no region to read it from" : String.join("; ", failures)));
    }
}
