package dev.gafail.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.fis.CfnExperimentTemplate;
import software.amazon.awscdk.services.fis.CfnExperimentTemplate.ExperimentTemplateActionProperty;
import software.amazon.awscdk.services.fis.CfnExperimentTemplate.ExperimentTemplateStopConditionProperty;
import software.amazon.awscdk.services.fis.CfnExperimentTemplate.ExperimentTemplateTargetProperty;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The faults a drill injects into one region, as AWS FIS experiment templates in the region's own FIS:
 * {@code drain} stops every task of the region's service, {@code dependency-timeout} cuts the database
 * subnets off (RDS Proxy, Aurora and Valkey stop answering, the ALB still reaches the tasks). Each
 * fault ends on its own within {@link #FAULT_DURATION}; FIS stops either one when the region's safety
 * alarm fires; FIS acts through a role of this region that may do exactly these two faults here.
 */
final class FaultExperiments extends Construct {

    private static final String DRAIN = "drain";
    private static final String DEPENDENCY_TIMEOUT = "dependency-timeout";
    /** How long a fault lasts (the network cut), or the experiment around it runs (the drain): ISO 8601. */
    private static final String FAULT_DURATION = "PT5M";
    /**
     * The safety alarm: 5xx on half the answers for three minutes running. A drill's fault makes the
     * accelerator route around the region within about 30 s (two failed /healthz checks of the ALB's
     * target group 10 s apart, and the accelerator follows the ALB's target health), after which the
     * region's ALB sees little traffic; users failing that long means they have nowhere else to go, and
     * the fault must end. Well above the gating 5xx alarm (5% for two minutes), which a drill expects
     * to fire and so must not stop it.
     */
    private static final int SAFETY_FIVE_XX_PERCENT = 50;
    private static final int SAFETY_MINUTES = 3;

    private final Map<String, CfnExperimentTemplate> templates = new LinkedHashMap<>();
    private final Alarm safety;
    private final Role role;

    /** @param databaseSubnets the private-db subnets: RDS Proxy, Aurora and Valkey, nothing the ALB needs */
    FaultExperiments(Construct scope, InfraConfig config, InfraConfig.RegionConfig region, ApiService api,
                     String vpcId, List<ISubnet> databaseSubnets) {
        super(scope, "Faults");
        Stack stack = Stack.of(this);
        String arn = "arn:" + stack.getPartition() + ":";
        String here = ":" + region.awsRegion() + ":" + config.account() + ":";
        String cluster = config.ecsCluster(region);
        List<String> subnets = new ArrayList<>();
        databaseSubnets.forEach(s -> subnets.add(arn + "ec2" + here + "subnet/" + s.getSubnetId()));
        String networkAcls = arn + "ec2" + here + "network-acl/*";

        safety = Alarm.Builder.create(this, "Safety").alarmName(config.drillSafetyAlarm())
                .alarmDescription("stops a drill's FIS experiment in " + region.name() + ": 5xx on "
                        + SAFETY_FIVE_XX_PERCENT + "% of its ALB's answers for " + SAFETY_MINUTES + " minutes")
                .metric(UserImpactAlarms.fiveXxRate(api)).threshold(SAFETY_FIVE_XX_PERCENT)
                .evaluationPeriods(SAFETY_MINUTES).datapointsToAlarm(SAFETY_MINUTES)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build();

        // Written out rather than AWS's managed policies (AWSFaultInjectionSimulatorECSAccess and
        // ...NetworkAccess), which allow these actions on every cluster and subnet of the account.
        role = Role.Builder.create(this, "Role").roleName(config.name() + "-fis-" + region.name())
                .description("What AWS FIS may do in " + region.name() + " for gafail's drills: stop the tasks of "
                        + config.ecsService() + ", cut its database subnets off for a while")
                // Only FIS, on behalf of an experiment of this account in this region (no confused deputy).
                .assumedBy(new ServicePrincipal("fis.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", config.account()),
                        "ArnLike", Map.of("aws:SourceArn", arn + "fis" + here + "experiment/*"))))
                .inlinePolicies(Map.of("faults", PolicyDocument.Builder.create().statements(List.of(
                        // aws:ecs:stop-task
                        statement("StopTheServicesTasks", List.of("ecs:DescribeTasks", "ecs:StopTask"),
                                List.of(arn + "ecs" + here + "task/" + cluster + "/*"), Map.of()),
                        statement("ListTheClustersTasks", List.of("ecs:ListTasks"), List.of("*"),
                                Map.of("ArnEquals", Map.of("ecs:cluster", arn + "ecs" + here + "cluster/" + cluster))),
                        statement("ResolveTargets", List.of("tag:GetResources"), List.of("*"), Map.of()),
                        // aws:network:disrupt-connectivity: FIS clones the subnets' network ACL (tagged
                        // managedByFIS=true), adds deny entries, swaps it in, and swaps back and deletes it.
                        statement("CreateTheCutsAcl", List.of("ec2:CreateNetworkAcl"), List.of(networkAcls),
                                Map.of("StringEquals", Map.of("aws:RequestTag/managedByFIS", "true"))),
                        statement("InThisVpc", List.of("ec2:CreateNetworkAcl"),
                                List.of(arn + "ec2" + here + "vpc/" + vpcId), Map.of()),
                        statement("TagTheCutsAcl", List.of("ec2:CreateTags"), List.of(networkAcls),
                                Map.of("StringEquals", Map.of("ec2:CreateAction", "CreateNetworkAcl",
                                        "aws:RequestTag/managedByFIS", "true"))),
                        statement("EditAndDeleteTheCutsAclOnly", List.of("ec2:CreateNetworkAclEntry",
                                        "ec2:DeleteNetworkAcl"), List.of(networkAcls),
                                Map.of("StringEquals", Map.of("ec2:ResourceTag/managedByFIS", "true"))),
                        statement("SwapTheDatabaseSubnetsAcl", List.of("ec2:ReplaceNetworkAclAssociation"),
                                concat(subnets, networkAcls), Map.of()),
                        statement("ReadTheNetwork", List.of("ec2:DescribeManagedPrefixLists",
                                "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs"),
                                List.of("*"), Map.of()),
                        statement("ReadPrefixLists", List.of("ec2:GetManagedPrefixListEntries"),
                                List.of(arn + "ec2" + here + "prefix-list/*"), Map.of())))
                        .build()))
                .build();

        // ALL, not PERCENT(n): a drill rehearses losing the region's service, so that its /healthz fails
        // and the accelerator routes around it; stopping some tasks tests redundancy inside the region.
        // stop-task has no duration: it stops the tasks once and ECS starts replacements at once (the
        // desired count is unchanged), so the fault ends on its own. The wait after it keeps the
        // experiment running through that recovery, so a fis.experiment step watches the alarms while
        // it runs, as against the lab's drain.
        template(config, region, DRAIN, "stop every task of " + config.ecsService() + " in " + region.name()
                        + " (ECS replaces them); the experiment runs " + FAULT_DURATION,
                Map.of("Tasks", ExperimentTemplateTargetProperty.builder().resourceType("aws:ecs:task")
                        .parameters(Map.of("cluster", cluster, "service", config.ecsService()))
                        .selectionMode("ALL").build()),
                Map.of("stop-tasks", ExperimentTemplateActionProperty.builder().actionId("aws:ecs:stop-task")
                                .description("stop the service's tasks").targets(Map.of("Tasks", "Tasks")).build(),
                        "recovery-window", ExperimentTemplateActionProperty.builder().actionId("aws:fis:wait")
                                .description("while ECS replaces them").startAfter(List.of("stop-tasks"))
                                .parameters(Map.of("duration", FAULT_DURATION)).build()));
        // Scope all on the database subnets only: connections from the tasks to RDS Proxy and Valkey go
        // unanswered until they time out; the ALB's path (public subnets -> app subnets) is untouched.
        template(config, region, DEPENDENCY_TIMEOUT, "cut " + region.name() + "'s database subnets off for "
                        + FAULT_DURATION + ": RDS Proxy, Aurora and Valkey stop answering the tasks",
                Map.of("DatabaseSubnets", ExperimentTemplateTargetProperty.builder().resourceType("aws:ec2:subnet")
                        .resourceArns(subnets).selectionMode("ALL").build()),
                Map.of("cut-database-subnets", ExperimentTemplateActionProperty.builder()
                        .actionId("aws:network:disrupt-connectivity").description("deny all traffic in and out")
                        .targets(Map.of("Subnets", "DatabaseSubnets"))
                        .parameters(Map.of("scope", "all", "duration", FAULT_DURATION)).build()));
    }

    private void template(InfraConfig config, InfraConfig.RegionConfig region, String scenario, String description,
                          Map<String, Object> targets, Map<String, Object> actions) {
        templates.put(scenario, CfnExperimentTemplate.Builder.create(this, scenario).description(description)
                .roleArn(role.getRoleArn()).targets(targets).actions(actions)
                .stopConditions(List.of(ExperimentTemplateStopConditionProperty.builder()
                        .source("aws:cloudwatch:alarm").value(safety.getAlarmArn()).build()))
                .tags(Map.of("Name", config.name() + "-" + region.name() + "-" + scenario,
                        "gafail:scenario", scenario, "gafail:region", region.name()))
                .build());
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources,
                                             Map<String, Object> conditions) {
        PolicyStatement.Builder builder = PolicyStatement.Builder.create().sid(sid).actions(actions).resources(resources);
        if (!conditions.isEmpty()) {
            builder.conditions(conditions);
        }
        return builder.build();
    }

    private static List<String> concat(List<String> list, String more) {
        List<String> out = new ArrayList<>(list);
        out.add(more);
        return out;
    }

    /** The experiment templates, by scenario. */
    Map<String, CfnExperimentTemplate> templates() {
        return templates;
    }
}
