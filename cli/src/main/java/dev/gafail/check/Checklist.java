package dev.gafail.check;

import dev.gafail.actions.BoundedReads;
import dev.gafail.actions.HttpProbe;
import dev.gafail.actions.Target;
import dev.gafail.aws.AuroraCluster;
import dev.gafail.aws.AwsClients;
import dev.gafail.engine.ExecutionStore;
import dev.gafail.engine.StepFailure;
import dev.gafail.engine.Unreachable;
import dev.gafail.topology.Region;
import dev.gafail.yaml.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * {@code gafail check}: the resilience checklist (targets, drills, load results, restores, alerting) and a
 * failover-readiness evaluation (permissions, capacity, database, accelerator, deployments, health), one
 * {@link Finding} per item and region, every read at once. Each read goes to the region it concerns; a
 * region that does not answer fails its rows, and the other rows still stand.
 */
public final class Checklist {

    /**
     * What {@code gafail check} reads beyond what the bundled runbooks call, for the operator role to be
     * allowed (infra/aws grants them): the role and its simulation, the Fargate quota, subnets, task
     * definitions, the clusters' instances, and the alarms' topics' subscriptions.
     */
    public static final List<String> IAM_ACTIONS = List.of("ec2:DescribeSubnets", "ecs:DescribeTaskDefinition",
            "iam:GetRole", "iam:SimulatePrincipalPolicy", "rds:DescribeDBClusters", "rds:DescribeDBInstances",
            "servicequotas:GetAWSDefaultServiceQuota", "servicequotas:GetServiceQuota", "sns:ListSubscriptionsByTopic");

    /** How old the latest passing failover drill may be (a quarterly drill, and some slack). */
    public static final Duration DEFAULT_MAX_DRILL_AGE = Duration.ofDays(90);
    /** How long {@code /healthz} may take to answer. */
    static final Duration HEALTHZ_WITHIN = Duration.ofSeconds(2);
    /** How long a check may take, whatever the endpoints do. */
    private static final Duration BUDGET = Duration.ofSeconds(30);

    /**
     * @param maxDrillAge     how old the latest passing failover drill may be
     * @param operatorActions the IAM actions of the bundled runbooks, which the operator must be allowed
     * @param maxLag          the replication lag at which the bundled failover starts its switch
     */
    public record Settings(Duration maxDrillAge, Set<String> operatorActions, Duration maxLag) {
    }

    @FunctionalInterface
    private interface Evaluation {
        Finding.Outcome evaluate() throws StepFailure, InterruptedException;
    }

    /** An item for a region (null: for the topology) and how it is evaluated. */
    private record Item(String name, String region, Evaluation evaluation) {
    }

    private final Target target;
    private final ExecutionStore store;
    private final Settings settings;

    public Checklist(Target target, ExecutionStore store, Settings settings) {
        this.target = target;
        this.store = store;
        this.settings = settings;
    }

    /**
     * Every item, evaluated at once within {@link #BUDGET}, over probing clients: each location is tried once
     * with short limits, and one that does not answer is lost for the rest of the check, so that a region that
     * hangs costs its rows one timeout, not one per call and retry.
     */
    public List<Finding> run() throws InterruptedException {
        try (AwsClients quick = target.aws().probing()) {
            return new Checklist(target.with(quick), store, settings).run(BUDGET);
        }
    }

    private List<Finding> run(Duration budget) throws InterruptedException {
        try (BoundedReads reads = new BoundedReads("gafail-check", budget)) {
            List<Item> items = items(reads);
            List<Future<Finding.Outcome>> pending = new ArrayList<>();
            for (Item item : items) {
                pending.add(reads.submit(() -> safely(item.evaluation())));
            }
            List<Finding> findings = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                Finding.Outcome outcome = reads.await(pending.get(i),
                        e -> Finding.Outcome.fail("could not read: " + e, target.clock().instant()),
                        () -> Finding.Outcome.fail("no answer within " + Durations.format(budget),
                                target.clock().instant()));
                findings.add(new Finding(item.name(), item.region(), outcome.status(), outcome.evidence(),
                        outcome.date()));
            }
            return findings;
        }
    }

    private List<Item> items(BoundedReads reads) {
        Clock clock = target.clock();
        Evidence evidence = new Evidence(target.topology(), settings.maxDrillAge(), store.backend().location());
        Future<DrillRecords> drills = reads.submit(() -> DrillRecords.read(store, clock, settings.maxDrillAge()));
        Map<String, Future<AuroraCluster>> clusters = new LinkedHashMap<>();
        Map<String, Future<Service>> services = new LinkedHashMap<>();
        for (Region region : target.topology().regions().values()) {
            clusters.put(region.name(), reads.submit(() -> AuroraCluster.read(target.aws(), region.awsRegion(),
                    region.dbClusterArn())));
            services.put(region.name(), reads.submit(() -> target.ecs().service(region)));
        }
        Alerting alerting = new Alerting(target);
        Capacity capacity = new Capacity(target);
        Configuration configuration = new Configuration(target);
        List<Region> regions = List.copyOf(target.topology().regions().values());
        List<Item> items = new ArrayList<>();
        items.add(new Item("targets", null, evidence::targets));
        items.add(new Item("failover-drill", null, () -> evidence.failoverDrill(BoundedReads.value(drills), clock)));
        items.add(new Item("load", null, () -> evidence.load(BoundedReads.value(drills))));
        items.add(new Item("restore", null, () -> evidence.restore(BoundedReads.value(drills), clusters)));
        regions.forEach(r -> items.add(new Item("alerting", r.name(), () -> alerting.evaluate(r, clock))));
        items.add(new Item("permissions", null, () -> new Permissions(target, settings.operatorActions())
                .evaluate(clock)));
        regions.forEach(r -> items.add(new Item("capacity", r.name(),
                () -> capacity.evaluate(r, BoundedReads.value(services.get(r.name())), clock))));
        items.add(new Item("database", null, () -> new DatabaseReadiness(target, settings.maxLag())
                .evaluate(clusters, clock)));
        regions.forEach(r -> items.add(new Item("accelerator", r.name(), () -> configuration.accelerator(r, clock))));
        regions.forEach(r -> items.add(new Item("deployments", r.name(),
                () -> Configuration.deployments(r, BoundedReads.value(services.get(r.name())), clock))));
        regions.forEach(r -> items.add(new Item("healthz", r.name(), () -> healthz(r, clock))));
        return items;
    }

    /**
     * The region's {@code /healthz} answers 200 within {@link #HEALTHZ_WITHIN}, and says it writes through the
     * writer endpoint when the topology says so: the planned failover would stop at that precondition.
     */
    private Finding.Outcome healthz(Region region, Clock clock) throws StepFailure, InterruptedException {
        long start = System.nanoTime();
        HttpProbe.Probe probe = new HttpProbe(() -> target).once(region.name(), target.topology().writerEndpoint()
                ? Map.of("writes", "writer-endpoint") : Map.of(), HEALTHZ_WITHIN);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String said = region.healthz() + ": " + probe.detail() + " in " + ms + " ms";
        return probe.holds() ? Finding.Outcome.pass(said, clock.instant()) : Finding.Outcome.fail(said, clock.instant());
    }

    /** An item's outcome; a read that failed is the item's failure, naming what did not answer. */
    private Finding.Outcome safely(Evaluation evaluation) throws InterruptedException {
        try {
            return evaluation.evaluate();
        } catch (StepFailure e) {
            return Finding.Outcome.fail((e instanceof Unreachable ? "did not answer: " : "could not read: ")
                    + e.getMessage(), target.clock().instant());
        } catch (RuntimeException e) {
            return Finding.Outcome.fail("could not read: " + e, target.clock().instant());
        }
    }
}
