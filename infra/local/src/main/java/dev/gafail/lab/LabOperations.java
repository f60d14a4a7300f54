package dev.gafail.lab;

import dev.gafail.lab.net.Outage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A whole lab under its supervisor: the lab commands, each an operation of {@link Lab}. */
final class LabOperations implements Supervised {

    private final Lab lab;

    LabOperations(Lab lab) {
        this.lab = lab;
    }

    @Override
    public Object operate(String operation, Map<String, String> query) throws Exception {
        return switch (operation) {
            case "status" -> lab.status();
            case "fail" -> {
                Outage mode = Outage.of(query.getOrDefault("mode", Outage.HANG.label()));
                if (accelerator(query)) {
                    lab.failAccelerator(mode);
                } else {
                    lab.fail(region(query), mode);
                }
                yield lab.status();
            }
            case "stall" -> {
                lab.stall(region(query));
                yield lab.status();
            }
            case "degrade" -> {
                lab.degrade(region(query), Duration.ofMillis(Long.parseLong(required(query, "latencyMs"))));
                yield lab.status();
            }
            case "heal" -> {
                if (accelerator(query)) {
                    lab.healAccelerator();
                } else {
                    lab.heal(region(query));
                }
                yield lab.status();
            }
            case "scale" -> {
                lab.scale(region(query), Integer.parseInt(required(query, "count")));
                yield lab.status();
            }
            case "dial" -> {
                lab.dial(region(query), Integer.parseInt(required(query, "dial")));
                yield lab.status();
            }
            case "switchover" -> {
                lab.switchover(region(query));
                yield lab.status();
            }
            case "failover" -> Map.of("lost", lab.failover(region(query)));
            default -> throw new IllegalArgumentException("no lab operation " + operation);
        };
    }

    private static String region(Map<String, String> query) {
        String region = required(query, "region");
        if (!Lab.REGIONS.contains(region)) {
            throw new IllegalArgumentException("no region " + region + "; the lab's regions are " + Lab.REGIONS);
        }
        return region;
    }

    /** Whether {@code fail} or {@code heal} is meant for Global Accelerator's control plane alone. */
    private static boolean accelerator(Map<String, String> query) {
        return Lab.ACCELERATOR.equals(query.get("region"));
    }

    private static String required(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    @Override
    public List<Long> pids() {
        return lab.pids();
    }

    @Override
    public void close() throws InterruptedException {
        lab.close();
    }
}
