package dev.gafail.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnTag;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.CfnRoute;
import software.amazon.awscdk.services.ec2.CfnVPCPeeringConnection;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.constructs.Construct;

/**
 * The network path of writes through the global writer endpoint, which leads to the writer instance's private
 * address in whichever region holds it: a VPC peering connection between the two regions' VPCs, routes from
 * each region's app and db subnets to the other's address block, and each database admitting the other region's
 * app subnets on PostgreSQL's port only (a security group cannot name a group of another region's VPC).
 * Region-b's stack requests the peering, since region-a's is deployed before region-b's VPC exists; region-a's
 * routes need the connection's id, so they live in a stack of their own in region-a's AWS region, deployed after
 * region-b's.
 */
final class WriterPeering {

    private WriterPeering() {
    }

    /** Connects the two regions; returns the stack of region-a's routes. */
    static Stack connect(App app, InfraConfig config, RegionalStack primary, RegionalStack secondary) {
        String peering = CfnVPCPeeringConnection.Builder.create(secondary, "WriterPeering")
                .vpcId(secondary.vpc().getVpcId()).peerVpcId(primary.vpc().getVpcId())
                .peerRegion(config.primary().awsRegion()).peerOwnerId(config.account())
                .tags(List.of(CfnTag.builder().key("Name").value(config.name() + "-writer-path").build()))
                .build().getRef();
        route(secondary, secondary, config.primary(), peering);
        Stack routes = new Stack(app, config.peeringStackName(), StackProps.builder()
                .env(Environment.builder().account(config.account()).region(config.primary().awsRegion()).build())
                .crossRegionReferences(true)
                .description("gafail region-a's routes to region-b's VPC, through the VPC peering connection that"
                        + " region-b's stack requests: the path of writes through the global writer endpoint")
                .build());
        route(routes, primary, config.secondary(), peering);
        routes.addStackDependency(secondary);
        admit(primary, secondary, config.secondary());
        admit(secondary, primary, config.primary());
        return routes;
    }

    /** Routes the app and db subnets of {@code from} to {@code to}'s address block, through the peering. */
    private static void route(Construct scope, RegionalStack from, InfraConfig.RegionConfig to, String peering) {
        Construct path = new Construct(scope, "WriterRoutes");
        List<ISubnet> subnets = new ArrayList<>(from.vpc().getPrivateSubnets());
        subnets.addAll(from.vpc().getIsolatedSubnets());
        for (ISubnet subnet : subnets) {
            CfnRoute.Builder.create(path, subnet.getNode().getId())
                    .routeTableId(subnet.getRouteTable().getRouteTableId())
                    .destinationCidrBlock(to.cidr()).vpcPeeringConnectionId(peering).build();
        }
    }

    /** {@code writer}'s database admits {@code peer}'s tasks, which run in its app subnets. */
    private static void admit(RegionalStack writer, RegionalStack peer, InfraConfig.RegionConfig region) {
        for (ISubnet subnet : peer.vpc().getPrivateSubnets()) {
            writer.databaseGroup().addIngressRule(Peer.ipv4(subnet.getIpv4CidrBlock()), Port.tcp(5432),
                    "sample-api in " + region.name() + ", through the writer endpoint");
        }
    }
}
