package dev.gafail.infra;

import dev.gafail.topology.TopologyImport;
import java.util.List;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.elasticache.CfnServerlessCache;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.constructs.Construct;

/**
 * One region: a VPC over two AZs (public, private-app and private-db subnets), security groups that
 * chain ALB -> tasks -> RDS Proxy -> Aurora, and tasks -> Aurora for writes through the global writer endpoint
 * (nothing but the ALB reachable from the internet; {@link WriterPeering} admits the other region's tasks), the
 * {@link DatabaseMember}, ElastiCache Serverless Valkey, the {@link ApiService}, its
 * {@link UserImpactAlarms} and the {@link FaultExperiments} a drill injects; its outputs are what
 * {@code gafail topology import} reads.
 */
public final class RegionalStack extends Stack {

    private final Vpc vpc;
    private final SecurityGroup databaseGroup;
    private final DatabaseMember database;
    private final ApiService api;

    /** @param primary region-a's stack, whose global database this one (region-b) joins; null for region-a */
    public RegionalStack(Construct scope, InfraConfig config, InfraConfig.RegionConfig region, RegionalStack primary) {
        super(scope, config.stackName(region), StackProps.builder()
                .env(Environment.builder().account(config.account()).region(region.awsRegion()).build())
                .crossRegionReferences(true)
                .description("gafail " + region.name() + " (" + (primary == null ? "primary" : "secondary")
                        + "): VPC, ALB, ECS Fargate, Aurora global database member with RDS Proxy, Valkey, alarms,"
                        + " FIS experiment templates")
                .build());
        vpc = Vpc.Builder.create(this, "Vpc").ipAddresses(IpAddresses.cidr(region.cidr()))
                .availabilityZones(List.of(region.awsRegion() + "a", region.awsRegion() + "b"))
                .natGateways(1)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("app").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(22).build(),
                        SubnetConfiguration.builder().name("db").subnetType(SubnetType.PRIVATE_ISOLATED)
                                .cidrMask(24).build()))
                .build();
        // Named zones, so that synth needs no lookup and runs offline.
        Validations.of(vpc).acknowledge(Acknowledgment.builder().id("CloudFormation-Validate::W3010")
                .reason("the zones are named so that synth runs offline").build());
        List<String> isolated = vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED)
                .build()).getSubnetIds();

        SecurityGroup albGroup = group(vpc, "LoadBalancer", "the ALB: HTTP from the accelerator");
        albGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), "HTTP through Global Accelerator (client IP preserved)");
        SecurityGroup serviceGroup = group(vpc, "Service", "sample-api tasks: from the ALB only");
        serviceGroup.addIngressRule(albGroup, Port.tcp(ApiService.PORT), "the ALB");
        SecurityGroup proxyGroup = group(vpc, "Proxy", "RDS Proxy: from the tasks only");
        proxyGroup.addIngressRule(serviceGroup, Port.tcp(5432), "sample-api");
        // Its description stays as first deployed: changing a group's description replaces the group.
        databaseGroup = group(vpc, "Database", "Aurora: from RDS Proxy only");
        databaseGroup.addIngressRule(proxyGroup, Port.tcp(5432), "RDS Proxy");
        if (config.database().writerEndpoint()) {
            // The writer endpoint leads to the writer instance itself, past the proxy.
            databaseGroup.addIngressRule(serviceGroup, Port.tcp(5432), "sample-api, through the writer endpoint");
        }
        SecurityGroup cacheGroup = group(vpc, "Cache", "Valkey: from the tasks only");
        cacheGroup.addIngressRule(serviceGroup, Port.tcp(6379), "sample-api");

        database = new DatabaseMember(this, config, region, isolated, databaseGroup, proxyGroup,
                primary == null ? null : primary.database);
        CfnServerlessCache cache = CfnServerlessCache.Builder.create(this, "Cache")
                .serverlessCacheName(config.name() + "-" + region.name()).engine("valkey").majorEngineVersion("8")
                .subnetIds(isolated).securityGroupIds(List.of(cacheGroup.getSecurityGroupId())).build();
        api = new ApiService(this, config, region, vpc, albGroup, serviceGroup, database,
                "rediss://" + cache.getAttrEndpointAddress() + ":" + cache.getAttrEndpointPort());
        new UserImpactAlarms(this, config, region, api, database);
        FaultExperiments faults = new FaultExperiments(this, config, region, api, vpc.getVpcId(),
                vpc.getIsolatedSubnets());

        StackOutputs.add(this, TopologyImport.TOPOLOGY, config.name());
        StackOutputs.add(this, TopologyImport.REGION, region.name());
        StackOutputs.add(this, TopologyImport.AWS_REGION, region.awsRegion());
        StackOutputs.add(this, TopologyImport.DB_CLUSTER_ARN, "arn:" + getPartition() + ":rds:" + region.awsRegion() + ":"
                + config.account() + ":cluster:" + config.clusterId(region));
        StackOutputs.add(this, TopologyImport.ECS_CLUSTER, config.ecsCluster(region));
        StackOutputs.add(this, TopologyImport.ECS_SERVICE, config.ecsService());
        StackOutputs.add(this, TopologyImport.ACTIVE_COUNT, String.valueOf(config.service().activeCount()));
        StackOutputs.add(this, TopologyImport.WARM_COUNT, String.valueOf(config.mode() == InfraConfig.Mode.ACTIVE_ACTIVE
                ? config.service().activeCount() : config.service().warmCount()));
        StackOutputs.add(this, TopologyImport.HEALTHZ, "http://" + api.loadBalancer().getLoadBalancerDnsName() + "/healthz");
        StackOutputs.add(this, TopologyImport.DATA_API_SECRET_ARN, databaseSecretArn());
        StackOutputs.add(this, TopologyImport.DATA_API_DATABASE, DatabaseMember.DATABASE);
        faults.templates().forEach((scenario, template) ->
                StackOutputs.add(this, TopologyImport.experimentKey(scenario), template.getAttrId()));
    }

    public ApplicationLoadBalancer loadBalancer() {
        return api.loadBalancer();
    }

    /** The ARN of the database's credentials in this region: region-a's secret, or region-b's replica of it. */
    public String databaseSecretArn() {
        return database.secret().getSecretArn();
    }

    Vpc vpc() {
        return vpc;
    }

    SecurityGroup databaseGroup() {
        return databaseGroup;
    }

    private SecurityGroup group(Vpc vpc, String id, String description) {
        return SecurityGroup.Builder.create(this, id + "Group").vpc(vpc).description(description)
                .allowAllOutbound(true).build();
    }
}
