package dev.gafail.aws;

import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unreachable;
import java.util.List;

/**
 * Asks the AWS regions in turn and takes the first answer: for what any region can tell (who the
 * credentials are, who writes the global database), so that it is still known while a region is lost.
 */
final class FirstAnswering {

    /** One region's read. */
    @FunctionalInterface
    interface Read<T> {
        T in(String awsRegion) throws StepFailure;
    }

    private FirstAnswering() {
    }

    /** The first answer of {@code awsRegions}, in order; a region that does not answer gives way to the next. */
    static <T> T of(List<String> awsRegions, String operation, Read<T> read) throws StepFailure {
        Unreachable last = null;
        for (String region : awsRegions) {
            try {
                return read.in(region);
            } catch (Unreachable e) {
                last = e;
            }
        }
        throw last != null ? last : StepFailure.permanent(operation + ": no region to ask");
    }
}
