package dev.gafail.actions;

import dev.gafail.aws.Experiments;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stopping a FIS experiment and waiting until FIS has reverted its faults: what {@code fis.experiment}
 * does on its condition, on a resume and in its rollback, and what {@code fis.stop} does.
 */
final class ExperimentStops {

    /** How long a stop waits for FIS to revert the faults, when the step's deadline does not say. */
    static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private ExperimentStops() {
    }

    /** Stops the experiment and waits until FIS has reverted its faults; one that has ended is left as it is. */
    static Experiments.Run stop(Experiments fis, String awsRegion, String id, StepContext context)
            throws StepFailure, InterruptedException {
        Experiments.Run run = fis.stop(awsRegion, id);
        return run.ended() ? run : ended(fis, awsRegion, id, context);
    }

    /** Waits until the experiment has ended (FIS reverted its faults, or never made them); how it ended. */
    static Experiments.Run ended(Experiments fis, String awsRegion, String id, StepContext context)
            throws StepFailure, InterruptedException {
        AtomicReference<Experiments.Run> last = new AtomicReference<>();
        Poll.until(context, INTERVAL, LIMIT, "FIS to revert the faults of experiment " + id, () -> {
            last.set(fis.get(awsRegion, id));
            return last.get().ended() ? Optional.empty() : Optional.of(last.get().describe());
        });
        return last.get();
    }
}
