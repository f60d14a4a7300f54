package dev.gafail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gafail.testing.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher trains start-up on {@code gafail __train}: it must run the commands it trains on to
 * their end, every read of {@code status} answered by the lab's stand-in, or the archive would miss
 * the classes of answered calls without anyone noticing.
 */
class StartUpTrainingTest {

    @TempDir
    Path home;

    @Test
    void theTrainingRunsStatusAndADryRunToTheirEndAgainstTheLabsStandIn() {
        CliRun.Result training = CliRun.in(home).run("__train");
        assertEquals(0, training.code(), training.toString());
        assertEquals("", training.err(), "every trained command succeeded");
    }
}
