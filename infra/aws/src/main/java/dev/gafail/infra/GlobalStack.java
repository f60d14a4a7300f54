package dev.gafail.infra;

import dev.gafail.app.BundledRunbooks;
import dev.gafail.aws.IamPolicy;
import dev.gafail.check.Checklist;
import dev.gafail.topology.TopologyImport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.globalaccelerator.Accelerator;
import software.amazon.awscdk.services.globalaccelerator.ClientAffinity;
import software.amazon.awscdk.services.globalaccelerator.ConnectionProtocol;
import software.amazon.awscdk.services.globalaccelerator.EndpointGroup;
import software.amazon.awscdk.services.globalaccelerator.EndpointGroupOptions;
import software.amazon.awscdk.services.globalaccelerator.Listener;
import software.amazon.awscdk.services.globalaccelerator.ListenerOptions;
import software.amazon.awscdk.services.globalaccelerator.PortRange;
import software.amazon.awscdk.services.globalaccelerator.endpoints.ApplicationLoadBalancerEndpoint;
import software.amazon.awscdk.services.globalaccelerator.endpoints.ApplicationLoadBalancerEndpointOptions;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * What spans the regions, in us-west-2 (Global Accelerator's home): the accelerator, a TCP listener,
 * one endpoint group per region in front of its ALB with traffic dials, and the operator role gafail
 * runs as, whose policy is generated here by gafail's own code from the bundled runbooks (with the FIS
 * experiments of the regional stacks and what {@code gafail check} reads) and these resources, the
 * state bucket's prefix included.
 */
public final class GlobalStack extends Stack {

    private final Role operatorRole;

    /** @param state the stack of the state bucket, whose objects under the prefix the operator role may use */
    public GlobalStack(Construct scope, InfraConfig config, List<RegionalStack> regions, StateStack state) {
        super(scope, config.globalStackName(), StackProps.builder()
                .env(Environment.builder().account(config.account()).region(InfraConfig.ACCELERATOR_REGION).build())
                .crossRegionReferences(true)
                .description("gafail global: Global Accelerator with an endpoint group per region, gafail's operator"
                        + " role")
                .build());
        Accelerator accelerator = Accelerator.Builder.create(this, "Accelerator").acceleratorName(config.name())
                .build();
        Listener listener = accelerator.addListener("Http", ListenerOptions.builder()
                .portRanges(List.of(PortRange.builder().fromPort(80).build()))
                .protocol(ConnectionProtocol.TCP).clientAffinity(ClientAffinity.NONE).build());

        List<IamPolicy.RegionScope> scopes = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            InfraConfig.RegionConfig region = config.regions().get(i);
            EndpointGroup group = listener.addEndpointGroup(region.name(), EndpointGroupOptions.builder()
                    .endpointGroupName(region.name()).region(region.awsRegion())
                    .trafficDialPercentage(config.dial(region))
                    // No health-check settings: for an ALB endpoint the accelerator ignores them and follows
                    // the ALB's target health, the /healthz check of ApiService's target group.
                    .endpoints(List.of(new ApplicationLoadBalancerEndpoint(regions.get(i).loadBalancer(),
                            ApplicationLoadBalancerEndpointOptions.builder().preserveClientIp(true).weight(128)
                                    .build())))
                    .build());
            StackOutputs.add(this, TopologyImport.endpointGroupKey(region.name()), group.getEndpointGroupArn());
            scopes.add(new IamPolicy.RegionScope(region.awsRegion(), group.getEndpointGroupArn(),
                    "arn:" + getPartition() + ":rds:" + region.awsRegion() + ":" + config.account() + ":cluster:"
                            + config.clusterId(region), config.ecsCluster(region), config.ecsService(),
                    regions.get(i).databaseSecretArn()));
        }

        IamPolicy.Scope resources = new IamPolicy.Scope(getPartition(), config.account(),
                accelerator.getAcceleratorArn(), config.globalDatabase(), scopes, config.gatingAlarms(), state.state());
        // The bucket is named, not referenced across regions; deploying it first keeps the role from
        // naming a bucket that someone else could still create.
        addStackDependency(state);
        Map<String, Object> policy = IamPolicy.document(operatorActions(), resources);
        operatorRole = Role.Builder.create(this, "OperatorRole").roleName(config.name() + "-gafail-operator")
                .description("Who runs gafail's runbooks against " + config.name() + ": what"
                        + " `gafail iam-policy runbooks/*.yaml` lists, running the regions' FIS experiments, and"
                        + " what `gafail check` reads")
                .assumedBy(new AccountPrincipal(config.account())).maxSessionDuration(Duration.hours(4))
                .inlinePolicies(Map.of("gafail", PolicyDocument.fromJson(policy)))
                .build();

        StackOutputs.add(this, TopologyImport.TOPOLOGY, config.name());
        StackOutputs.add(this, TopologyImport.ACCELERATOR_ARN, accelerator.getAcceleratorArn());
        StackOutputs.add(this, TopologyImport.ACCELERATOR_DNS, accelerator.getDnsName());
        StackOutputs.add(this, TopologyImport.GLOBAL_DATABASE, config.globalDatabase());
        StackOutputs.add(this, TopologyImport.WRITER_ENDPOINT, String.valueOf(config.database().writerEndpoint()));
        StackOutputs.add(this, TopologyImport.ALARMS, String.join(",", config.gatingAlarms()));
        StackOutputs.add(this, "OperatorRoleArn", operatorRole.getRoleArn());
    }

    /**
     * The bundled runbooks' actions, a fis.experiment step's, and {@code gafail check}'s reads: the
     * regional stacks deploy experiment templates for drills, so whoever operates the topology may run
     * them, with a bundled runbook or their own, and check that it is ready for a failover.
     */
    public static SortedSet<String> operatorActions() {
        SortedSet<String> actions = BundledRunbooks.iamActions();
        actions.addAll(IamPolicy.FIS_EXPERIMENT_ACTIONS);
        actions.addAll(Checklist.IAM_ACTIONS);
        return actions;
    }

    public Role operatorRole() {
        return operatorRole;
    }
}
