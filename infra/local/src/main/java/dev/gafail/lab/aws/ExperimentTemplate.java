package dev.gafail.lab.aws;

import dev.gafail.lab.fault.Fault;
import dev.gafail.lab.net.Outage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One of the lab's FIS experiment templates, as GetExperimentTemplate shows it, and the faults the
 * lab injects for it. Each has one action, with FIS's own action id where one means the same thing
 * (aws:ecs:stop-task, aws:ecs:task-network-latency) and a {@code lab:} one otherwise, and a {@code
 * duration} after which the lab reverts it, as FIS reverts its actions. Its stop condition is {@code
 * none}: a drain is meant to fire the region's lab-5xx alarm, so that alarm cannot stop it, and every
 * action ends on its own.
 *
 * @param awsRegion the AWS region whose FIS holds it
 * @param region    the lab region its faults hit (its tag gafail:region)
 */
record ExperimentTemplate(String id, String awsRegion, String scenario, String region, String description,
                          ObjectNode targets, Action action, Duration duration, List<Fault> faults, Instant created) {

    /** Its one action: its name in the template, FIS's id for it, its parameters, and its target's name if it has one. */
    record Action(String name, String actionId, ObjectNode parameters, String target) {
    }

    /** The role FIS acts as, in the lab's pretend account. */
    static final String ROLE = "arn:aws:iam::" + LabResources.ACCOUNT + ":role/gafail-lab-fis";
    private static final Duration LATENCY = Duration.ofSeconds(2);

    ExperimentTemplate {
        faults = List.copyOf(faults);
    }

    /** The four templates of {@code home}'s FIS, {@code other} being the lab's other region, each action lasting {@code duration}. */
    static List<ExperimentTemplate> of(String home, String other, Duration duration, Instant created) {
        String lasting = duration.toString();
        ObjectNode tasks = targets("Tasks", JsonNodeFactory.instance.objectNode().put("resourceType", "aws:ecs:task")
                .put("selectionMode", "ALL"));
        ((ObjectNode) tasks.path("Tasks")).putObject("parameters").put("cluster", LabResources.ECS_CLUSTER).put("service", LabResources.ECS_SERVICE);
        ObjectNode cluster = JsonNodeFactory.instance.objectNode().put("resourceType", "aws:rds:cluster")
                .put("selectionMode", "ALL");
        cluster.putArray("resourceArns").add(LabResources.clusterArn(home));
        String awsHome = LabResources.AWS_REGIONS.get(home);
        String awsOther = LabResources.AWS_REGIONS.get(other);
        return List.of(
                new ExperimentTemplate(LabResources.experimentTemplateId(home, "drain"), awsHome, "drain", home,
                        "Drain " + home + "'s service: stop its tasks (api in cluster lab) for " + lasting
                                + "; ECS reports fewer running than desired until they are back",
                        tasks, action("StopTasks", "aws:ecs:stop-task", lasting, "Tasks"), duration,
                        List.of(new Fault.Drain(home)), created),
                new ExperimentTemplate(LabResources.experimentTemplateId(home, "dependency-timeout"), awsHome,
                        "dependency-timeout", home, "A dependency timing out in " + home + ": "
                        + LATENCY.toMillis() + " ms on its tasks' path to their database (lab-" + home + ") for "
                        + lasting + "; the path from the load balancer is left alone",
                        tasks, action("DatabaseLatency", "aws:ecs:task-network-latency", lasting, "Tasks",
                                "delayMilliseconds", Long.toString(LATENCY.toMillis()), "jitterMilliseconds", "0",
                                "sources", "lab-" + home),
                        duration, List.of(new Fault.DatabaseLatency(home, LATENCY)), created),
                new ExperimentTemplate(LabResources.experimentTemplateId(home, "replication-stall"), awsHome,
                        "replication-stall", home, "Replication from " + home + "'s database held back for "
                        + lasting + ": its replica falls behind", targets("Clusters", cluster),
                        action("PauseReplication", "lab:rds:pause-replication", lasting, "Clusters"), duration,
                        List.of(new Fault.ReplicationStall(home)), created),
                new ExperimentTemplate(LabResources.experimentTemplateId(home, "peer-loss"), awsHome, "peer-loss",
                        other, "Lose " + other + " (" + awsOther + ") with its AWS APIs for " + lasting
                        + ", from " + home + "'s FIS, which survives it", JsonNodeFactory.instance.objectNode(),
                        action("LoseRegion", "lab:region:lose", lasting, null, "region", awsOther, "mode",
                                Outage.HANG.label()), duration,
                        List.of(new Fault.RegionLoss(other, Outage.HANG)), created));
    }

    private static ObjectNode targets(String name, ObjectNode target) {
        ObjectNode targets = JsonNodeFactory.instance.objectNode();
        targets.set(name, target);
        return targets;
    }

    /** An action whose parameters are {@code duration} and then {@code more}'s pairs; {@code target} may be null. */
    private static Action action(String name, String actionId, String duration, String target, String... more) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode().put("duration", duration);
        for (int i = 0; i < more.length; i += 2) {
            parameters.put(more[i], more[i + 1]);
        }
        return new Action(name, actionId, parameters, target);
    }

    String arn() {
        return "arn:aws:fis:" + awsRegion + ":" + LabResources.ACCOUNT + ":experiment-template/" + id;
    }

    Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Name", "lab " + scenario + " (" + region + ")");
        tags.put("gafail:scenario", scenario);
        tags.put("gafail:region", region);
        return tags;
    }

    /** Whether its faults hit {@code labRegion}. */
    boolean hits(String labRegion) {
        return faults.stream().anyMatch(f -> f.region().equals(labRegion));
    }

    /** Its action as FIS shows it: id, description, parameters, targets (the action's target key is its target's name). */
    ObjectNode actionJson() {
        ObjectNode shown = JsonNodeFactory.instance.objectNode().put("actionId", action.actionId())
                .put("description", description);
        shown.set("parameters", action.parameters().deepCopy());
        if (action.target() != null) {
            shown.putObject("targets").put(action.target(), action.target());
        }
        return shown;
    }

    /** What ListExperimentTemplates shows of it. */
    ObjectNode summary(Map<String, String> tags) {
        ObjectNode summary = JsonNodeFactory.instance.objectNode().put("id", id).put("arn", arn())
                .put("description", description).putPOJO("creationTime", created).putPOJO("lastUpdateTime", created);
        tags.forEach(summary.putObject("tags")::put);
        return summary;
    }

    /** What GetExperimentTemplate shows of it. */
    ObjectNode json(Map<String, String> tags) {
        ObjectNode template = summary(tags).put("roleArn", ROLE);
        template.set("targets", targets.deepCopy());
        template.putObject("actions").set(action.name(), actionJson());
        template.putArray("stopConditions").addObject().put("source", "none");
        template.putObject("experimentOptions").put("accountTargeting", "single-account")
                .put("emptyTargetResolutionMode", "fail");
        return template;
    }
}
