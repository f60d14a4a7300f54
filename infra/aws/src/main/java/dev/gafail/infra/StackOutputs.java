package dev.gafail.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;

/** A stack's outputs, under the exact keys {@code cdk deploy --outputs-file} writes and gafail imports. */
final class StackOutputs {

    private StackOutputs() {
    }

    static void add(Stack stack, String key, String value) {
        CfnOutput.Builder.create(stack, key).key(key).value(value).build();
    }
}
