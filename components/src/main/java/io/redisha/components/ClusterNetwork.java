package io.redisha.components;

import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.ec2.RouteTable;
import com.pulumi.aws.ec2.RouteTableArgs;
import com.pulumi.aws.ec2.RouteTableAssociation;
import com.pulumi.aws.ec2.RouteTableAssociationArgs;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2.Subnet;
import com.pulumi.aws.ec2.SubnetArgs;
import com.pulumi.aws.ec2.Vpc;
import com.pulumi.aws.ec2.VpcArgs;
import com.pulumi.aws.ec2.VpcEndpoint;
import com.pulumi.aws.ec2.VpcEndpointArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupIngressArgs;
import com.pulumi.aws.inputs.GetAvailabilityZonesArgs;
import com.pulumi.aws.inputs.GetAvailabilityZonesFilterArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The zones and the network the nodes run in: the given VPC and subnets, or a new VPC with one
 * private subnet per zone, a route table, the S3 gateway endpoint and the SSM interface endpoints.
 */
final class ClusterNetwork {
    /**
     * @param zoneNames    the real zone names, in plan zone order (known at deploy time when not given)
     * @param subnetIds    one private subnet per zone, in the same order
     * @param s3PrefixList the S3 gateway endpoint's prefix list, when there is one (for the node egress rule)
     * @param ready        what nodes must wait for (the endpoints they reach SSM and S3 through)
     */
    record Declared(List<Output<String>> zoneNames, Output<String> vpcId, List<Output<String>> subnetIds,
                    Optional<Output<String>> s3PrefixList, List<Resource> ready) {
    }

    private ClusterNetwork() {
    }

    static Declared declare(Resource parent, String name, RedisClusterArgs args, ClusterSettings settings, Map<String, String> baseTags) {
        List<Output<String>> zoneNames = zoneNames(name, settings);
        if (args.vpcId.isPresent()) {
            return new Declared(zoneNames, args.vpcId.get(), List.copyOf(args.subnetIds), args.s3PrefixListId, List.of());
        }
        Vpc vpc = new Vpc(name + "-vpc", VpcArgs.builder()
                .cidrBlock(args.vpcCidr)
                .enableDnsHostnames(true)
                .enableDnsSupport(true)
                .tags(Children.tags(baseTags, "Name", name + "-vpc"))
                .build(), Children.of(parent));
        Output<String> vpcId = vpc.id();
        RouteTable routes = new RouteTable(name + "-private-rt", RouteTableArgs.builder()
                .vpcId(vpcId)
                .tags(Children.tags(baseTags, "Name", name + "-private"))
                .build(), Children.of(parent));
        List<Output<String>> subnets = new ArrayList<>();
        for (int i = 0; i < zoneNames.size(); i++) {
            Subnet subnet = new Subnet(name + "-subnet-" + i, SubnetArgs.builder()
                    .vpcId(vpcId)
                    .cidrBlock(Cidrs.subnetOf(args.vpcCidr, i))
                    .availabilityZone(zoneNames.get(i))
                    .mapPublicIpOnLaunch(false)
                    .tags(Children.tags(baseTags, "Name", name + "-private-" + i))
                    .build(), Children.of(parent));
            new RouteTableAssociation(name + "-private-rt-" + i, RouteTableAssociationArgs.builder()
                    .subnetId(subnet.id())
                    .routeTableId(routes.id())
                    .build(), Children.of(parent));
            subnets.add(subnet.id());
        }
        Output<String> region = AwsFunctions.getRegion().applyValue(r -> r.name());
        List<Resource> ready = new ArrayList<>();
        VpcEndpoint s3 = new VpcEndpoint(name + "-s3-endpoint", VpcEndpointArgs.builder()
                .vpcId(vpcId)
                .serviceName(region.applyValue(r -> "com.amazonaws." + r + "." + NodeEndpoints.GATEWAY))
                .vpcEndpointType("Gateway")
                .routeTableIds(routes.id().applyValue(List::of))
                .tags(Children.tags(baseTags, "Name", name + "-s3"))
                .build(), Children.of(parent));
        ready.add(s3);
        // the endpoint SG admits HTTPS from the VPC's private subnets (the node SG is NodeSecurity's)
        SecurityGroup endpointSg = new SecurityGroup(name + "-endpoint-sg", SecurityGroupArgs.builder()
                .vpcId(vpcId)
                .description("redis-ha " + name + ": HTTPS to the SSM endpoints from the cluster's subnets")
                .ingress(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(443).toPort(443)
                        .cidrBlocks(List.of(args.vpcCidr)).description("HTTPS from the cluster VPC").build())
                .tags(Children.tags(baseTags, "Name", name + "-endpoint-sg"))
                .build(), Children.of(parent));
        for (String service : NodeEndpoints.INTERFACE) {
            ready.add(new VpcEndpoint(name + "-" + service + "-endpoint", VpcEndpointArgs.builder()
                    .vpcId(vpcId)
                    .serviceName(region.applyValue(r -> "com.amazonaws." + r + "." + service))
                    .vpcEndpointType("Interface")
                    .privateDnsEnabled(true)
                    .subnetIds(Output.all(subnets))
                    .securityGroupIds(endpointSg.id().applyValue(List::of))
                    .tags(Children.tags(baseTags, "Name", name + "-" + service))
                    .build(), Children.of(parent)));
        }
        return new Declared(zoneNames, vpcId, List.copyOf(subnets), Optional.of(s3.prefixListId()), List.copyOf(ready));
    }

    /** The given zone names, or the region's first available zones (as many as the plan's zone labels). */
    private static List<Output<String>> zoneNames(String name, ClusterSettings settings) {
        List<Output<String>> zoneNames = new ArrayList<>();
        if (settings.zonesGiven()) {
            settings.zoneLabels().forEach(zone -> zoneNames.add(Output.of(zone)));
            return zoneNames;
        }
        int count = settings.zoneLabels().size();
        Output<List<String>> available = AwsFunctions.getAvailabilityZones(GetAvailabilityZonesArgs.builder()
                        .state("available")
                        .filters(GetAvailabilityZonesFilterArgs.builder().name("opt-in-status").values("opt-in-not-required").build())
                        .build())
                .applyValue(result -> {
                    if (result.names().size() < count) {
                        throw new IllegalStateException("RedisCluster '" + name + "': the region has " + result.names().size()
                                + " available zones (" + result.names() + "), " + count + " are needed; set zones explicitly");
                    }
                    return result.names().subList(0, count);
                });
        for (int i = 0; i < count; i++) {
            int index = i;
            zoneNames.add(available.applyValue(list -> list.get(index)));
        }
        return zoneNames;
    }
}
