package dev.gafail.check;

import dev.gafail.actions.BoundedReads;
import dev.gafail.aws.AuroraCluster;
import dev.gafail.engine.StepFailure;
import dev.gafail.topology.Targets;
import dev.gafail.topology.Topology;
import dev.gafail.yaml.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * The checklist items that stand on what a team wrote down and did, not on live state: targets with an owner
 * in the topology, and the drills on record (failover, its user load, restore), each dated.
 */
final class Evidence {

    private final Topology topology;
    private final Duration maxDrillAge;
    private final String where;

    /** @param where where the drills are recorded, for a message that finds none */
    Evidence(Topology topology, Duration maxDrillAge, String where) {
        this.topology = topology;
        this.maxDrillAge = maxDrillAge;
        this.where = where;
    }

    /** An SLO for every region, and recovery targets (RTO, RPO) with an owner; dated by the topology file. */
    Finding.Outcome targets() {
        Instant written = modified(topology.file());
        List<String> missing = new ArrayList<>();
        topology.regions().keySet().stream().filter(r -> !topology.slo().containsKey(r))
                .forEach(r -> missing.add("SLO for " + r + " (slo:)"));
        Targets.Recovery recovery = topology.recovery();
        if (recovery == null) {
            missing.add("recovery targets with an owner (recovery: {rto, rpo, owner})");
        }
        if (!missing.isEmpty()) {
            return Finding.Outcome.fail(topology.file() + " sets no " + String.join(", no ", missing), written);
        }
        return Finding.Outcome.pass("SLO for " + String.join(", ", topology.slo().keySet()) + "; RTO "
                + Durations.format(recovery.rto()) + ", RPO " + Durations.format(recovery.rpo()) + ", owner "
                + recovery.owner(), written);
    }

    /** The latest failover drill that passed, no older than the threshold ({@link DrillRecords} reads no older). */
    Finding.Outcome failoverDrill(DrillRecords records, Clock clock) {
        if (records.passedFailover().isEmpty()) {
            return Finding.Outcome.fail("no passing failover drill in the last " + maxDrillAge.toDays()
                    + " days on record in " + where + "; run gafail drill", null);
        }
        DrillRecords.Drill drill = records.passedFailover().get();
        Instant started = drill.summary().startedAt();
        return Finding.Outcome.pass("drill " + drill.summary().id() + " (" + drill.scenario() + ") passed "
                + ago(Duration.between(started, clock.instant())) + " (gafail report " + drill.summary().id() + ")",
                started);
    }

    /** What users saw in the latest drill that put load through the regions. */
    Finding.Outcome load(DrillRecords records) {
        if (records.withLoad().isEmpty()) {
            return Finding.Outcome.fail("no drill with user load in the last " + maxDrillAge.toDays() + " days on"
                    + " record in " + where + "; run gafail drill", null);
        }
        DrillRecords.Drill drill = records.withLoad().get();
        Map<?, ?> stop = drill.output("load.stop").orElseThrow();
        Map<?, ?> total = stop.get("total") instanceof Map<?, ?> t ? t : Map.of();
        String said = "drill " + drill.summary().id() + ": " + total.get("requests") + " requests, "
                + total.get("errorRate") + "% failed, p95 " + total.get("p95") + " ms, p99 " + total.get("p99")
                + " ms; " + stop.get("lost") + " of " + stop.get("writes") + " acknowledged writes lost";
        Instant started = drill.summary().startedAt();
        return drill.passed() ? Finding.Outcome.pass(said, started)
                : Finding.Outcome.warn(said + " (the drill " + drill.summary().status().wire() + ")", started);
    }

    /** The latest restore drill that passed, beside how long each region's cluster keeps its backups. */
    Finding.Outcome restore(DrillRecords records, Map<String, Future<AuroraCluster>> clusters)
            throws InterruptedException {
        List<String> kept = new ArrayList<>();
        boolean unread = false;
        for (Map.Entry<String, Future<AuroraCluster>> cluster : clusters.entrySet()) {
            try {
                int days = BoundedReads.value(cluster.getValue()).backupRetentionDays();
                kept.add(cluster.getKey() + " keeps " + days + " day(s) of backups");
            } catch (StepFailure e) {
                unread = true;
                kept.add(cluster.getKey() + ": " + e.getMessage());
            }
        }
        String backups = String.join(", ", kept);
        if (records.passedRestore().isEmpty()) {
            return Finding.Outcome.fail("no passing restore drill in the last " + maxDrillAge.toDays() + " days on"
                    + " record in " + where + " (gafail drill --scenario restore); " + backups, null);
        }
        DrillRecords.Drill drill = records.passedRestore().get();
        Map<?, ?> restore = drill.output("aurora.restore").orElse(Map.of());
        String said = "restore drill " + drill.summary().id() + " passed (gafail report " + drill.summary().id()
                + ")" + (restore.get("restoreMs") instanceof Number ms ? ": " + restore.get("region") + " restored to "
                + restore.get("restoredTo") + " in " + Durations.human(Duration.ofMillis(ms.longValue())) : "")
                + "; " + backups;
        Instant started = drill.summary().startedAt();
        return unread ? Finding.Outcome.fail(said, started) : Finding.Outcome.pass(said, started);
    }

    private static String ago(Duration age) {
        long days = age.toDays();
        return days == 0 ? "today" : days + " day(s) ago";
    }

    private static Instant modified(String file) {
        try {
            return Files.getLastModifiedTime(Path.of(file)).toInstant();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
