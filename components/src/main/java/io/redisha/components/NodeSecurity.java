package io.redisha.components;

import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupEgressArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupIngressArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import io.redisha.components.node.NodeRedisConf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The security groups: clients attach the client group; nodes accept 6379 from it and the allowed
 * sources, 6379/16379 (cluster bus) only from each other, and reach only each other and HTTPS to
 * the AWS endpoints (SSM in the VPC, S3 through the gateway's prefix list).
 */
final class NodeSecurity {
    record Declared(SecurityGroup clientGroup, SecurityGroup nodeGroup) {
    }

    private NodeSecurity() {
    }

    static Declared declare(Resource parent, String name, RedisClusterArgs args, ClusterNetwork.Declared network,
                            Map<String, String> baseTags) {
        SecurityGroup clientSg = new SecurityGroup(name + "-client-sg", SecurityGroupArgs.builder()
                .vpcId(network.vpcId())
                .description("redis-ha " + name + ": attach to clients of the cluster")
                .egress(SecurityGroupEgressArgs.builder().protocol("tcp").fromPort(NodeRedisConf.CLIENT_PORT).toPort(NodeRedisConf.CLIENT_PORT)
                        .cidrBlocks(List.of(args.vpcCidr)).description("Redis in the cluster VPC").build())
                .tags(Children.tags(baseTags, "Name", name + "-client-sg"))
                .build(), Children.of(parent));
        List<Output<String>> clientGroups = new ArrayList<>();
        clientGroups.add(clientSg.id());
        clientGroups.addAll(args.allowedClientSecurityGroupIds);
        SecurityGroup nodeSg = new SecurityGroup(name + "-node-sg", SecurityGroupArgs.builder()
                .vpcId(network.vpcId())
                .description("redis-ha " + name + ": Redis nodes")
                .ingress(ingress(clientGroups, args.allowedClientCidrs))
                .egress(egress(args.vpcCidr, network))
                .tags(Children.tags(baseTags, "Name", name + "-node-sg"))
                .build(), Children.of(parent));
        return new Declared(clientSg, nodeSg);
    }

    static List<SecurityGroupIngressArgs> ingress(List<Output<String>> clientGroups, List<String> allowedClientCidrs) {
        List<SecurityGroupIngressArgs> ingress = new ArrayList<>();
        ingress.add(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(NodeRedisConf.CLIENT_PORT).toPort(NodeRedisConf.CLIENT_PORT)
                .self(true).description("Redis between nodes (replication, converge)").build());
        ingress.add(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(NodeRedisConf.BUS_PORT).toPort(NodeRedisConf.BUS_PORT)
                .self(true).description("Cluster bus between nodes only").build());
        ingress.add(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(NodeRedisConf.CLIENT_PORT).toPort(NodeRedisConf.CLIENT_PORT)
                .securityGroups(Output.all(clientGroups)).description("Redis from client security groups").build());
        List<String> v4 = allowedClientCidrs.stream().filter(c -> !c.contains(":")).toList();
        List<String> v6 = allowedClientCidrs.stream().filter(c -> c.contains(":")).toList();
        if (!v4.isEmpty() || !v6.isEmpty()) {
            ingress.add(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(NodeRedisConf.CLIENT_PORT).toPort(NodeRedisConf.CLIENT_PORT)
                    .cidrBlocks(v4).ipv6CidrBlocks(v6).description("Redis from allowed client CIDRs").build());
        }
        return ingress;
    }

    private static Output<List<SecurityGroupEgressArgs>> egress(String vpcCidr, ClusterNetwork.Declared network) {
        List<SecurityGroupEgressArgs> egress = new ArrayList<>();
        egress.add(SecurityGroupEgressArgs.builder().protocol("tcp").fromPort(NodeRedisConf.CLIENT_PORT).toPort(NodeRedisConf.BUS_PORT)
                .self(true).description("Redis and cluster bus to other nodes").build());
        egress.add(SecurityGroupEgressArgs.builder().protocol("tcp").fromPort(443).toPort(443)
                .cidrBlocks(List.of(vpcCidr)).description("HTTPS to AWS endpoints in the VPC (SSM)").build());
        // the S3 rule needs the gateway endpoint's prefix list; a provider that returns none gets no rule
        // (and no NullPointerException in the middle of pulumi up)
        return network.s3PrefixList()
                .map(pl -> ProviderOutputs.listOfPresent(pl).applyValue(ids -> {
                    List<SecurityGroupEgressArgs> rules = new ArrayList<>(egress);
                    if (!ids.isEmpty()) {
                        rules.add(SecurityGroupEgressArgs.builder().protocol("tcp").fromPort(443).toPort(443)
                                .prefixListIds(ids).description("HTTPS to S3 (bootstrap jar)").build());
                    }
                    return rules;
                }))
                .orElse(Output.of(egress));
    }
}
