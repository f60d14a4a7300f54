package dev.gafail.lab.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.lab.net.Outage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which steps the one place that applies and reverts faults takes, as faults of several owners come and
 * go on a region: each part changed once, and back only when no fault holds it.
 */
class FaultsTest {

    /** The steps taken, as text. */
    private final List<String> steps = new ArrayList<>();
    private final Faults faults = new Faults(new RegionParts() {
        @Override
        public void lose(String region, Outage mode) {
            steps.add("lose " + region + " " + mode.label());
        }

        @Override
        public void recover(String region, boolean processes) {
            steps.add("recover " + region + (processes ? " with processes" : " without processes"));
        }

        @Override
        public void drain(String region) {
            steps.add("drain " + region);
        }

        @Override
        public void undrain(String region) {
            steps.add("undrain " + region);
        }

        @Override
        public void latency(String region, Duration latency) {
            steps.add("latency " + region + " " + latency.toMillis());
        }

        @Override
        public void stall(String region, boolean held) {
            steps.add((held ? "stall " : "resume ") + region);
        }
    });

    private List<String> taken() {
        List<String> taken = List.copyOf(steps);
        steps.clear();
        return taken;
    }

    @Test
    void anExperimentsEndRevertsExactlyWhatItMadeAndLeavesAnotherOwnersFault() throws Exception {
        faults.inject(Faults.MANUAL, List.of(new Fault.ReplicationStall("region-a")));
        faults.inject("EXP1", List.of(new Fault.Drain("region-a"), new Fault.DatabaseLatency("region-b",
                Duration.ofSeconds(2))));
        assertEquals(List.of("stall region-a", "drain region-a", "latency region-b 2000"), taken());
        faults.revert("EXP1");
        assertEquals(List.of("undrain region-a", "latency region-b 0"), taken(), "the stall stays");
        faults.revert("EXP1");
        assertEquals(List.of(), taken(), "a second revert changes nothing");
        assertEquals(List.of(new Fault.ReplicationStall("region-a")), faults.on("region-a"));
    }

    @Test
    void aPartHeldByTwoFaultsComesBackWithTheLastAndTheLongestLatencyWins() throws Exception {
        faults.inject("EXP1", List.of(new Fault.DatabaseLatency("region-a", Duration.ofSeconds(2))));
        faults.inject("EXP2", List.of(new Fault.DatabaseLatency("region-a", Duration.ofSeconds(5))));
        faults.inject("EXP3", List.of(new Fault.Drain("region-a")));
        faults.inject("EXP4", List.of(new Fault.Drain("region-a")));
        assertEquals(List.of("latency region-a 2000", "latency region-a 5000", "drain region-a"), taken());
        faults.revert("EXP2");
        faults.revert("EXP3");
        assertEquals(List.of("latency region-a 2000"), taken(), "EXP4 still drains");
        faults.revert("EXP4");
        faults.revert("EXP1");
        assertEquals(List.of("undrain region-a", "latency region-a 0"), taken());
    }

    @Test
    void aDrainDuringALossKeepsTheProcessesDownWhenTheRegionComesBackUntilItEnds() throws Exception {
        faults.inject(Faults.MANUAL, List.of(new Fault.RegionLoss("region-b", Outage.HANG)));
        faults.inject("EXP1", List.of(new Fault.Drain("region-b"), new Fault.DatabaseLatency("region-b",
                Duration.ofSeconds(1))));
        assertEquals(List.of("lose region-b hang", "latency region-b 1000"), taken(), "a lost region's processes are"
                + " gone already");
        CountingScale scale = new CountingScale();
        assertFalse(faults.unlessHeldDown("region-b", scale), "no scale while lost");
        faults.revert(Faults.MANUAL);
        assertEquals(List.of("recover region-b without processes", "latency region-b 1000"), taken(),
                "back without its processes, and its latency again, which recovering removed");
        assertFalse(faults.unlessHeldDown("region-b", scale), "no scale while drained");
        faults.revert("EXP1");
        assertEquals(List.of("undrain region-b", "latency region-b 0"), taken());
        assertTrue(faults.unlessHeldDown("region-b", scale));
        assertEquals(1, scale.runs);
    }

    @Test
    void theSameOwnersFaultOfTheSameKindIsReplacedAndALossInAnotherModeFailsThePortsAnew() throws Exception {
        faults.inject(Faults.MANUAL, List.of(new Fault.DatabaseLatency("region-a", Duration.ofSeconds(2))));
        faults.inject(Faults.MANUAL, List.of(new Fault.DatabaseLatency("region-a", Duration.ofMillis(500))));
        faults.inject(Faults.MANUAL, List.of(new Fault.RegionLoss("region-a", Outage.HANG)));
        faults.inject(Faults.MANUAL, List.of(new Fault.RegionLoss("region-a", Outage.REFUSE)));
        assertEquals(List.of("latency region-a 2000", "latency region-a 500", "lose region-a hang",
                "lose region-a refuse"), taken());
        assertEquals(2, faults.on("region-a").size());
    }

    @Test
    void clearingARegionEndsEveryFaultOnItWhoeverMadeItAndBringsEveryPartBack() throws Exception {
        faults.inject("EXP1", List.of(new Fault.Drain("region-a"), new Fault.ReplicationStall("region-b")));
        faults.inject(Faults.MANUAL, List.of(new Fault.RegionLoss("region-a", Outage.BLACKHOLE)));
        taken();
        faults.clear("region-a");
        assertEquals(List.of("recover region-a with processes", "resume region-a"), taken());
        assertEquals(List.of(), faults.on("region-a"));
        assertEquals(List.of(new Fault.ReplicationStall("region-b")), faults.on("region-b"), "another region's stays");
        faults.revert("EXP1");
        assertEquals(List.of("resume region-b"), taken(), "the cleared drain is not undone twice");
    }

    @Test
    void onceClosedNoRevertInjectionClearOrScaleTouchesTheLab() throws Exception {
        faults.inject("EXP1", List.of(new Fault.Drain("region-a")));
        taken();
        faults.close();
        faults.revert("EXP1");
        faults.inject("EXP2", List.of(new Fault.DatabaseLatency("region-b", Duration.ofSeconds(1))));
        faults.clear("region-a");
        CountingScale scale = new CountingScale();
        assertFalse(faults.unlessHeldDown("region-b", scale));
        assertEquals(List.of(), taken(), "an experiment's end after the close does not bring region-a's processes back");
        assertEquals(0, scale.runs);
    }

    private static final class CountingScale implements Faults.Change {
        int runs;

        @Override
        public void run() {
            runs++;
        }
    }
}
