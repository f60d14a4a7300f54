package dev.gafail.actions;

import dev.gafail.aws.Accelerator;
import dev.gafail.engine.StepContext;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Region;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The traffic dials of the topology's endpoint groups, read and turned the way the accelerator
 * needs: never while it is still deploying a change, and each change awaited until it is deployed
 * and reads back.
 */
final class Dials {

    static final Duration LIMIT = Duration.ofMinutes(10);

    private Dials() {
    }

    /** Region name to dial, in the topology's order. */
    static Map<String, Integer> read(Target target) throws StepFailure {
        Accelerator accelerator = target.accelerator();
        Map<String, Integer> dials = new LinkedHashMap<>();
        for (Region region : target.topology().regions().values()) {
            dials.put(region.name(), accelerator.group(region.endpointGroupArn()).dial());
        }
        return dials;
    }

    static String show(Map<String, Integer> dials) {
        StringJoiner out = new StringJoiner(", ");
        dials.forEach((region, dial) -> out.add(region + " " + dial + "%"));
        return out.toString();
    }

    /** Refuses a change that would leave every region at dial 0, unless the step says it means it. */
    static void guardDrain(Map<String, Integer> after, boolean allowFullDrain) throws StepFailure {
        if (!allowFullDrain && after.values().stream().allMatch(d -> d == 0)) {
            throw StepFailure.permanent("refusing to set " + show(after) + ": no region would take traffic;"
                    + " say allowFullDrain: true to mean it");
        }
    }

    /**
     * Turns the dials to {@code wanted}: those that rise first, then those that fall, so traffic
     * always has somewhere to go; each change awaited.
     */
    static void turn(Target target, StepContext context, Map<String, Integer> wanted)
            throws StepFailure, InterruptedException {
        Map<String, Integer> now = read(target);
        List<String> order = new ArrayList<>();
        wanted.forEach((region, dial) -> {
            if (dial > now.getOrDefault(region, 0)) {
                order.add(region);
            }
        });
        wanted.forEach((region, dial) -> {
            if (dial < now.getOrDefault(region, 0)) {
                order.add(region);
            }
        });
        for (String region : order) {
            set(target, context, target.region(region), wanted.get(region));
        }
    }

    /** Waits for the accelerator to be DEPLOYED, sets one dial, and waits until it reads back, deployed. */
    static void set(Target target, StepContext context, Region region, int dial)
            throws StepFailure, InterruptedException {
        Accelerator accelerator = target.accelerator();
        awaitDeployed(target, context, "the accelerator to finish deploying before changing " + region.name(),
                Optional::empty);
        if (accelerator.group(region.endpointGroupArn()).dial() != dial) {
            accelerator.setDial(region.endpointGroupArn(), dial);
        }
        awaitDeployed(target, context, region.name() + " dial " + dial + "% deployed", () -> {
            int read = accelerator.group(region.endpointGroupArn()).dial();
            return read == dial ? Optional.empty() : Optional.of("reads " + read + "%");
        });
    }

    private static void awaitDeployed(Target target, StepContext context, String what, Poll.Pending more)
            throws StepFailure, InterruptedException {
        Accelerator accelerator = target.accelerator();
        Poll.until(context, target.pollInterval(), LIMIT, what, () -> {
            String status = accelerator.status();
            return Accelerator.deployed(status) ? more.check() : Optional.of("accelerator " + status);
        });
    }
}
