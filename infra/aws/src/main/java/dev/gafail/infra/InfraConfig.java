package dev.gafail.infra;

import java.util.List;

/**
 * What the stacks deploy, from {@code infra/aws/gafail-infra.yaml}.
 *
 * @param regions region-a (the primary, where the global database starts) and region-b, in that order
 */
public record InfraConfig(String name, String account, Mode mode, List<RegionConfig> regions, Service service,
                          Database database, Alarms alarms, State state) {

    /** Global Accelerator's control plane, where its stack lives, is in us-west-2. */
    public static final String ACCELERATOR_REGION = "us-west-2";

    public enum Mode { ACTIVE_PASSIVE, ACTIVE_ACTIVE }

    /** @param dial the traffic dial in active-active mode (active-passive is 100/0) */
    public record RegionConfig(String name, String awsRegion, String cidr, int dial) {
    }

    /** @param image a full image URI, or null for {@code ecrRepository:tag} in each region */
    public record Service(String image, String ecrRepository, String tag, int cpu, int memoryMiB, int activeCount,
                          int warmCount) {
    }

    /**
     * @param engineVersion  the Aurora PostgreSQL version, MAJOR.MINOR, of both regions
     * @param writerEndpoint whether both regions write, through the global database's writer endpoint; if not,
     *                       only the writer region does, and the other answers writes 503
     */
    public record Database(String engineVersion, String instanceClass, boolean writerEndpoint) {

        public int majorVersion() {
            return Integer.parseInt(engineVersion.substring(0, engineVersion.indexOf('.')));
        }

        public int minorVersion() {
            return Integer.parseInt(engineVersion.substring(engineVersion.indexOf('.') + 1));
        }

        /** The family of the clusters' parameter group: {@code aurora-postgresql16} for 16.6. */
        public String parameterGroupFamily() {
            return "aurora-postgresql" + majorVersion();
        }
    }

    /** @param notifyEmails the e-mail addresses subscribed to each region's alarm topic ({@code alarms.notify}) */
    public record Alarms(double fiveXxPercent, double p95Seconds, double rpoLagSeconds, List<String> notifyEmails) {

        public Alarms {
            notifyEmails = List.copyOf(notifyEmails);
        }
    }

    /**
     * The bucket of the team's lock, journals and audit trail.
     *
     * @param awsRegion a third region, neither region-a's nor region-b's, so the state outlives the loss of either
     * @param bucket    the bucket's name, or null for {@code NAME-state-ACCOUNT-AWSREGION}
     * @param prefix    the key prefix, ending in '/', or null for {@code NAME/}
     */
    public record State(String awsRegion, String bucket, String prefix) {
    }

    public InfraConfig {
        regions = List.copyOf(regions);
    }

    /** The defaults, as infra/aws/gafail-infra.yaml documents them. */
    public static InfraConfig defaults() {
        return new InfraConfig("gafail", "111122223333", Mode.ACTIVE_PASSIVE,
                List.of(new RegionConfig("region-a", "us-east-1", "10.10.0.0/16", 100),
                        new RegionConfig("region-b", "us-west-2", "10.20.0.0/16", 100)),
                new Service(null, "sample-api", "latest", 512, 1024, 2, 1),
                new Database("16.6", "db.r6g.large", true), new Alarms(5, 1, 5, List.of()),
                new State("us-east-2", null, null));
    }

    public RegionConfig primary() {
        return regions.get(0);
    }

    public RegionConfig secondary() {
        return regions.get(1);
    }

    /** The tasks {@code region} runs: active where traffic goes, warm in the passive region. */
    public int desiredCount(RegionConfig region) {
        return mode == Mode.ACTIVE_ACTIVE || region.equals(primary()) ? service.activeCount() : service.warmCount();
    }

    /** The accelerator's dial for {@code region}: 100/0 active-passive, the configured dials active-active. */
    public int dial(RegionConfig region) {
        if (mode == Mode.ACTIVE_ACTIVE) {
            return region.dial();
        }
        return region.equals(primary()) ? 100 : 0;
    }

    public String globalDatabase() {
        return name + "-global";
    }

    public String clusterId(RegionConfig region) {
        return name + "-" + region.name();
    }

    public String ecsCluster(RegionConfig region) {
        return name + "-" + region.name();
    }

    public String ecsService() {
        return name + "-api";
    }

    /** The alarms that gate gafail's changes, by name in each region (the topology's {@code alarms}). */
    public List<String> gatingAlarms() {
        return List.of(name + "-5xx-rate", name + "-p95-latency", name + "-capacity");
    }

    public String rpoLagAlarm() {
        return name + "-rpo-lag";
    }

    /** The SNS topic, in each region, that the user-impact alarms notify. */
    public String alarmTopic() {
        return name + "-alarms";
    }

    /** The alarm that stops a drill's FIS experiment in a region: not one that gates changes, which a drill fires. */
    public String drillSafetyAlarm() {
        return name + "-drill-safety";
    }

    public String stackName(RegionConfig region) {
        return name + "-" + region.name();
    }

    /** Region-a's routes to region-b through the peering connection of the writer endpoint's path. */
    public String peeringStackName() {
        return name + "-peering";
    }

    public String globalStackName() {
        return name + "-global";
    }

    public String stateStackName() {
        return name + "-state";
    }

    /** The state bucket's name: as configured, else one unique to the account and region, as S3 names must be. */
    public String stateBucket() {
        return state.bucket() != null ? state.bucket() : name + "-state-" + account + "-" + state.awsRegion();
    }

    /** The key prefix under which gafail keeps this topology's state: as configured, else {@code NAME/}. */
    public String statePrefix() {
        return state.prefix() != null ? state.prefix() : name + "/";
    }
}
