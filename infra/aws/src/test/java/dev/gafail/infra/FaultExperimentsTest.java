package dev.gafail.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gafail.topology.TopologyImport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/**
 * The FIS experiment templates of each region, through the CDK's assertions module: what each fault
 * hits and what it leaves alone, that it ends on its own, the safety alarm that stops it, the role FIS
 * acts with, and the outputs {@code topology import} reads.
 */
class FaultExperimentsTest {

    private static final Map<String, String> AWS_REGIONS = Map.of("region-a", "us-east-1", "region-b", "us-west-2");

    private static Template template(String region) {
        return region.equals("region-a") ? Synthesized.PRIMARY : Synthesized.SECONDARY;
    }

    /** The experiment templates of {@code region}, by scenario (their gafail:scenario tag). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> experiments(String region) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Map<String, Object> t : Synthesized.properties(template(region), "AWS::FIS::ExperimentTemplate")) {
            out.put(((Map<String, String>) t.get("Tags")).get("gafail:scenario"), t);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> children(Map<String, Object> experiment, String key) {
        return (Map<String, Map<String, Object>>) experiment.get(key);
    }

    /** The logical id of the only resource of {@code type} in {@code region}'s stack whose properties match. */
    private static String logicalId(String region, String type, String property, Object value) {
        List<String> ids = new ArrayList<>();
        template(region).findResources(type).forEach((id, resource) -> {
            if (value.equals(((Map<?, ?>) ((Map<?, ?>) resource).get("Properties")).get(property))) {
                ids.add(id);
            }
        });
        assertEquals(1, ids.size(), type + " " + property + "=" + value + ": " + ids);
        return ids.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"region-a", "region-b"})
    void eachRegionHasADrainAndADependencyTimeoutTaggedWithScenarioRegionAndName(String region) {
        Map<String, Map<String, Object>> experiments = experiments(region);
        assertEquals(Set.of("drain", "dependency-timeout"), experiments.keySet());
        experiments.forEach((scenario, experiment) -> assertEquals(Map.of("gafail:scenario", scenario,
                "gafail:region", region, "Name", "gafail-" + region + "-" + scenario), experiment.get("Tags")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"region-a", "region-b"})
    void theDrainStopsEveryTaskOfTheRegionsServiceThenRunsWhileEcsReplacesThem(String region) {
        Map<String, Object> drain = experiments(region).get("drain");
        assertEquals(Map.of("Tasks", Map.of("ResourceType", "aws:ecs:task",
                        "Parameters", Map.of("cluster", "gafail-" + region, "service", "gafail-api"),
                        "SelectionMode", "ALL")), drain.get("Targets"),
                "every task of the service, so that the region's /healthz fails");
        Map<String, Map<String, Object>> actions = children(drain, "Actions");
        assertEquals("aws:ecs:stop-task", actions.get("stop-tasks").get("ActionId"));
        assertEquals(Map.of("Tasks", "Tasks"), actions.get("stop-tasks").get("Targets"));
        assertEquals("aws:fis:wait", actions.get("recovery-window").get("ActionId"));
        assertEquals(List.of("stop-tasks"), actions.get("recovery-window").get("StartAfter"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"region-a", "region-b"})
    void theDependencyTimeoutCutsTheDatabaseSubnetsOffAndLeavesTheLoadBalancersPathAlone(String region) {
        Map<String, Object> timeout = experiments(region).get("dependency-timeout");
        Map<String, Object> target = children(timeout, "Targets").get("DatabaseSubnets");
        assertEquals("aws:ec2:subnet", target.get("ResourceType"));
        assertEquals("ALL", target.get("SelectionMode"));
        Set<String> cut = new TreeSet<>();
        for (Object arn : (List<?>) target.get("ResourceArns")) {
            cut.add(subnetRef(arn));
        }
        Map<String, Object> action = children(timeout, "Actions").get("cut-database-subnets");
        assertEquals("aws:network:disrupt-connectivity", action.get("ActionId"));
        assertEquals("all", ((Map<?, ?>) action.get("Parameters")).get("scope"));

        Set<String> databases = refs(Synthesized.properties(template(region), "AWS::RDS::DBSubnetGroup").get(0)
                .get("SubnetIds"));
        assertEquals(databases, cut, "the subnets of Aurora, RDS Proxy and Valkey");
        assertEquals(databases, refs(Synthesized.properties(template(region), "AWS::ElastiCache::ServerlessCache")
                .get(0).get("SubnetIds")));
        Map<?, ?> service = (Map<?, ?>) ((Map<?, ?>) Synthesized.properties(template(region), "AWS::ECS::Service")
                .get(0).get("NetworkConfiguration")).get("AwsvpcConfiguration");
        Set<String> tasksAndLoadBalancer = refs(service.get("Subnets"));
        tasksAndLoadBalancer.addAll(refs(Synthesized.properties(template(region),
                "AWS::ElasticLoadBalancingV2::LoadBalancer").get(0).get("Subnets")));
        assertEquals(4, tasksAndLoadBalancer.size(), tasksAndLoadBalancer.toString());
        tasksAndLoadBalancer.forEach(s -> assertFalse(cut.contains(s), s + " is on the ALB's path to the tasks"));
    }

    /** The subnet an ARN of the form {@code Fn::Join ["", ["arn:", partition, ":ec2:...:subnet/", {Ref}]]} names. */
    private static String subnetRef(Object arn) {
        List<?> parts = (List<?>) ((List<?>) ((Map<?, ?>) arn).get("Fn::Join")).get(1);
        assertTrue(String.valueOf(parts.get(2)).endsWith(":111122223333:subnet/"), parts.toString());
        return (String) ((Map<?, ?>) parts.get(3)).get("Ref");
    }

    private static Set<String> refs(Object list) {
        Set<String> out = new TreeSet<>();
        ((List<?>) list).forEach(r -> out.add((String) ((Map<?, ?>) r).get("Ref")));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"region-a", "region-b"})
    void everyFaultEndsOnItsOwnWithinMinutes(String region) {
        experiments(region).forEach((scenario, experiment) -> {
            Map<String, Duration> ends = new HashMap<>();
            children(experiment, "Actions").forEach((name, action) -> {
                Object duration = action.get("Parameters") instanceof Map<?, ?> p ? p.get("duration") : null;
                if (duration == null) {
                    assertEquals("aws:ecs:stop-task", action.get("ActionId"), scenario + "/" + name
                            + ": only an action that acts once and is done may go without a duration");
                } else {
                    Duration d = Duration.parse((String) duration);
                    assertTrue(d.compareTo(Duration.ofMinutes(1)) >= 0
                            && d.compareTo(Duration.ofMinutes(10)) <= 0, scenario + "/" + name + ": " + d);
                }
                ends.put(name, duration == null ? Duration.ZERO : Duration.parse((String) duration));
            });
            Duration longest = children(experiment, "Actions").entrySet().stream()
                    .map(e -> ends.get(e.getKey()).plus(after(e.getValue(), ends)))
                    .max(Duration::compareTo).orElseThrow();
            assertEquals(Duration.ofMinutes(5), longest, scenario + " runs " + longest);
        });
    }

    /** How long the actions that {@code action} starts after run (FIS runs them in parallel). */
    private static Duration after(Map<String, Object> action, Map<String, Duration> ends) {
        return action.get("StartAfter") instanceof List<?> before ? before.stream().map(ends::get)
                .max(Duration::compareTo).orElse(Duration.ZERO) : Duration.ZERO;
    }

    @ParameterizedTest
    @ValueSource(strings = {"region-a", "region-b"})
    void anExperimentStopsWhenTheRegionsSafetyAlarmFiresAnAlarmNoRunbookGatesOn(String region) {
        String safety = logicalId(region, "AWS::CloudWatch::Alarm", "AlarmName", "gafail-drill-safety");
        experiments(region).forEach((scenario, experiment) -> assertEquals(List.of(Map.of(
                "Source", "aws:cloudwatch:alarm", "Value", Map.of("Fn::GetAtt", List.of(safety, "Arn")))),
                experiment.get("StopConditions"), scenario));
        Map<String, Object> alarm = Synthesized.properties(template(region), "AWS::CloudWatch::Alarm").stream()
                .filter(a -> "gafail-drill-safety".equals(a.get("AlarmName"))).findFirst().orElseThrow();
        assertEquals(50, ((Number) alarm.get("Threshold")).intValue(), "well above the gating 5% a drill fires");
        assertEquals(3, alarm.get("EvaluationPeriods"));
        assertEquals(3, alarm.get("DatapointsToAlarm"));
        assertEquals("notBreaching", alarm.get("TreatMissingData"), "a region the accelerator routes around is quiet");
        assertFalse(InfraConfig.defaults().gatingAlarms().contains("gafail-drill-safety"));
        assertFalse(InfraConfig.defaults().rpoLagAlarm().equals("gafail-drill-safety"));
    }

    /** The statements of the FIS role's inline policies in {@code region}. */
    private static List<Map<?, ?>> fisStatements(String region) {
        Map<String, Object> role = Synthesized.properties(template(region), "AWS::IAM::Role").stream()
                .filter(r -> ("gafail-fis-" + region).equals(r.get("RoleName"))).findFirst().orElseThrow();
        List<Map<?, ?>> statements = new ArrayList<>();
        for (Object policy : (List<?>) role.get("Policies")) {
            ((List<?>) ((Map<?, ?>) ((Map<?, ?>) policy).get("PolicyDocument")).get("Statement"))
                    .forEach(s -> statements.add((Map<?, ?>) s));
        }
        return statements;
    }

    private static List<String> actions(Map<?, ?> statement) {
        return statement.get("Action") instanceof List<?> list ? list.stream().map(String.class::cast).toList()
                : List.of((String) statement.get("Action"));
    }

    private static List<String> resources(Map<?, ?> statement) {
        List<?> resources = statement.get("Resource") instanceof List<?> list ? list : List.of(statement.get("Resource"));
        return resources.stream().map(r -> Synthesized.literal(r).orElseGet(() -> joined(r))).toList();
    }

    /** An ARN the stack joins from its own resources: its text, each resource as {@code {LogicalId}}. */
    private static String joined(Object arn) {
        StringBuilder out = new StringBuilder();
        for (Object part : (List<?>) ((List<?>) ((Map<?, ?>) arn).get("Fn::Join")).get(1)) {
            out.append(part instanceof Map<?, ?> ref ? ("AWS::Partition".equals(ref.get("Ref")) ? "aws"
                    : "{" + ref.get("Ref") + "}") : part);
        }
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"region-a", "region-b"})
    void fisAssumesTheRoleOnlyForAnExperimentOfThisAccountInThisRegion(String region) {
        Map<String, Object> role = Synthesized.properties(template(region), "AWS::IAM::Role").stream()
                .filter(r -> ("gafail-fis-" + region).equals(r.get("RoleName"))).findFirst().orElseThrow();
        List<?> trust = (List<?>) ((Map<?, ?>) role.get("AssumeRolePolicyDocument")).get("Statement");
        assertEquals(1, trust.size());
        Map<?, ?> statement = (Map<?, ?>) trust.get(0);
        assertEquals(Map.of("Service", "fis.amazonaws.com"), statement.get("Principal"));
        Map<?, ?> condition = (Map<?, ?>) statement.get("Condition");
        assertEquals(Map.of("aws:SourceAccount", "111122223333"), condition.get("StringEquals"));
        assertEquals("arn:aws:fis:" + AWS_REGIONS.get(region) + ":111122223333:experiment/*",
                Synthesized.literal(((Map<?, ?>) condition.get("ArnLike")).get("aws:SourceArn")).orElseThrow());
        String roleId = logicalId(region, "AWS::IAM::Role", "RoleName", "gafail-fis-" + region);
        experiments(region).forEach((scenario, experiment) -> assertEquals(
                Map.of("Fn::GetAtt", List.of(roleId, "Arn")), experiment.get("RoleArn"), scenario));
    }

    /** The one statement of {@code region}'s FIS role that grants {@code action} (with {@code condition}, if any). */
    private static Map<?, ?> granting(String region, String action, boolean conditioned) {
        List<Map<?, ?>> found = fisStatements(region).stream().filter(st -> actions(st).contains(action))
                .filter(st -> st.containsKey("Condition") == conditioned).toList();
        assertEquals(1, found.size(), action + ": " + found);
        return found.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"region-a", "region-b"})
    void theRoleMayStopOnlyThisServicesTasksAndChangeOnlyTheAclsFisCreates(String region) {
        String here = ":" + AWS_REGIONS.get(region) + ":111122223333:";
        Set<String> all = new TreeSet<>();
        for (Map<?, ?> statement : fisStatements(region)) {
            assertEquals("Allow", statement.get("Effect"));
            all.addAll(actions(statement));
        }
        assertEquals(Set.of("ecs:DescribeTasks", "ecs:StopTask", "ecs:ListTasks", "tag:GetResources",
                "ec2:CreateNetworkAcl", "ec2:CreateTags", "ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl",
                "ec2:ReplaceNetworkAclAssociation", "ec2:DescribeManagedPrefixLists", "ec2:DescribeNetworkAcls",
                "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:GetManagedPrefixListEntries"), all,
                "exactly what aws:ecs:stop-task and aws:network:disrupt-connectivity need");
        all.forEach(a -> assertFalse(a.contains("*"), "never an action wildcard: " + a));

        String tasks = "arn:aws:ecs" + here + "task/gafail-" + region + "/*";
        assertEquals(List.of(tasks), resources(granting(region, "ecs:StopTask", false)));
        assertEquals(List.of(tasks), resources(granting(region, "ecs:DescribeTasks", false)));
        Map<?, ?> list = granting(region, "ecs:ListTasks", true);
        assertEquals("arn:aws:ecs" + here + "cluster/gafail-" + region, Synthesized.literal(
                ((Map<?, ?>) ((Map<?, ?>) list.get("Condition")).get("ArnEquals")).get("ecs:cluster")).orElseThrow(),
                "listing the tasks of this region's cluster only");

        Map<?, ?> onlyFisAcls = Map.of("StringEquals", Map.of("ec2:ResourceTag/managedByFIS", "true"));
        assertEquals(onlyFisAcls, granting(region, "ec2:DeleteNetworkAcl", true).get("Condition"),
                "only the ACL FIS made, never the subnets' own");
        assertEquals(onlyFisAcls, granting(region, "ec2:CreateNetworkAclEntry", true).get("Condition"));
        assertEquals(Map.of("StringEquals", Map.of("aws:RequestTag/managedByFIS", "true")),
                granting(region, "ec2:CreateNetworkAcl", true).get("Condition"));
        String vpc = template(region).findResources("AWS::EC2::VPC").keySet().iterator().next();
        assertEquals(List.of("arn:aws:ec2" + here + "vpc/{" + vpc + "}"),
                resources(granting(region, "ec2:CreateNetworkAcl", false)), "in this VPC only");
        List<String> swapped = new ArrayList<>();
        refs(Synthesized.properties(template(region), "AWS::RDS::DBSubnetGroup").get(0).get("SubnetIds"))
                .forEach(subnet -> swapped.add("arn:aws:ec2" + here + "subnet/{" + subnet + "}"));
        swapped.add("arn:aws:ec2" + here + "network-acl/*");
        assertEquals(swapped, resources(granting(region, "ec2:ReplaceNetworkAclAssociation", false)),
                "the database subnets only");
        for (Map<?, ?> statement : fisStatements(region)) {
            if (resources(statement).contains("*")) {
                actions(statement).forEach(a -> assertTrue(a.startsWith("ec2:Describe") || a.equals("tag:GetResources")
                        || a.equals("ecs:ListTasks"), a + " on every resource"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"region-a", "region-b"})
    void theStackOutputsEachTemplatesIdUnderTheKeyTopologyImportReads(String region) {
        Map<String, ?> outputs = template(region).findOutputs("*");
        for (String scenario : List.of("drain", "dependency-timeout")) {
            Map<?, ?> output = (Map<?, ?>) outputs.get(TopologyImport.experimentKey(scenario));
            String id = logicalId(region, "AWS::FIS::ExperimentTemplate", "Description",
                    experiments(region).get(scenario).get("Description"));
            assertEquals(Map.of("Fn::GetAtt", List.of(id, "Id")), output.get("Value"), scenario);
        }
    }
}
