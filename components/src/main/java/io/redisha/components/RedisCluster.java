package io.redisha.components;

import com.pulumi.asset.FileAsset;
import com.pulumi.aws.AwsFunctions;
import com.pulumi.aws.ec2.Instance;
import com.pulumi.aws.ec2.InstanceArgs;
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
import com.pulumi.aws.ec2.inputs.InstanceEbsBlockDeviceArgs;
import com.pulumi.aws.ec2.inputs.InstanceMetadataOptionsArgs;
import com.pulumi.aws.ec2.inputs.InstanceRootBlockDeviceArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupEgressArgs;
import com.pulumi.aws.ec2.inputs.SecurityGroupIngressArgs;
import com.pulumi.aws.iam.InstanceProfile;
import com.pulumi.aws.iam.InstanceProfileArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.aws.inputs.GetAvailabilityZonesArgs;
import com.pulumi.aws.inputs.GetAvailabilityZonesFilterArgs;
import com.pulumi.aws.s3.BucketObjectv2;
import com.pulumi.aws.s3.BucketObjectv2Args;
import com.pulumi.aws.s3.BucketPublicAccessBlock;
import com.pulumi.aws.s3.BucketPublicAccessBlockArgs;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2;
import com.pulumi.aws.s3.BucketServerSideEncryptionConfigurationV2Args;
import com.pulumi.aws.s3.BucketV2;
import com.pulumi.aws.s3.BucketV2Args;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs;
import com.pulumi.aws.s3.inputs.BucketServerSideEncryptionConfigurationV2RuleArgs;
import com.pulumi.aws.ssm.Association;
import com.pulumi.aws.ssm.AssociationArgs;
import com.pulumi.aws.ssm.Document;
import com.pulumi.aws.ssm.DocumentArgs;
import com.pulumi.aws.ssm.Parameter;
import com.pulumi.aws.ssm.ParameterArgs;
import com.pulumi.aws.ssm.inputs.AssociationTargetArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.redisha.image.NodeTunings;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.Planner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A zone-aware Redis Cluster on EC2: one instance per planned node in the subnet of its planned
 * zone, the placement published in SSM, and an SSM association that runs {@code redis-ha converge}
 * on node-0-0 so {@code pulumi up} returns once the cluster matches the plan.
 *
 * <p>A thin declarer: which node runs where comes from {@link Planner}; redis.conf, user data and IAM
 * policies from {@link RedisConf}, {@link UserData} and {@link Policies}. Every input is validated
 * ({@link ClusterSettings}) before the component or any child is registered. Children are named
 * {@code <name>-<suffix>}, nodes {@code <name>-node-<shard>-<member>}, so scaling only adds resources.
 */
public class RedisCluster extends ComponentResource {
    public static final String TYPE = "redis-ha:index:RedisCluster";
    private static final String DATA_DEVICE = UserData.DATA_DEVICE;

    private final ClusterSettings settings;
    private final Output<List<Map<String, String>>> nodes;
    private final Output<List<String>> seedEndpoints;
    private final Output<String> clientSecurityGroupId;
    private final Output<String> planSummary;
    private final Output<Boolean> survivesZoneLoss;
    private final Output<String> placementParameterName;
    private final Output<String> authParameterName;
    private final Output<String> vpcId;
    private final Output<List<String>> subnetIds;
    private final Output<String> plan;
    private final Output<List<Map<String, String>>> retiringNodes;
    private final Output<String> scalingPlan;
    private final Output<Map<String, Object>> scalingMoves;
    private final Output<List<Integer>> nodeGenerations;
    private final Output<String> rollPlan;
    private final Output<String> scalingBase;

    public RedisCluster(String name, RedisClusterArgs args) {
        this(name, args, null);
    }

    public RedisCluster(String name, RedisClusterArgs args, ComponentResourceOptions options) {
        super(TYPE, name, JudgedInputs.of(args), validateFirst(name, args, options));
        this.settings = args.validate(name);
        Plan plan = settings.plan(); // over zone labels; the real names are known at deploy time
        Map<String, String> baseTags = new LinkedHashMap<>(settings.tags());
        baseTags.put("redis-ha:cluster", name);

        // zones: the given names, or the region's first three available zones (known at deploy time)
        List<Output<String>> zoneNames = new ArrayList<>();
        if (settings.zonesGiven()) {
            settings.zoneLabels().forEach(zone -> zoneNames.add(Output.of(zone)));
        } else {
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
        }
        Output<List<String>> allZoneNames = Output.all(zoneNames);

        // network
        Output<String> theVpcId;
        List<Output<String>> subnets = new ArrayList<>();
        Optional<Output<String>> s3PrefixList = args.s3PrefixListId;
        List<Resource> networkReady = new ArrayList<>();
        Vpc vpc = null;
        if (args.vpcId.isPresent()) {
            theVpcId = args.vpcId.get();
            subnets.addAll(args.subnetIds);
        } else {
            vpc = new Vpc(name + "-vpc", VpcArgs.builder()
                    .cidrBlock(args.vpcCidr)
                    .enableDnsHostnames(true)
                    .enableDnsSupport(true)
                    .tags(tags(baseTags, "Name", name + "-vpc"))
                    .build(), child());
            theVpcId = vpc.id();
            RouteTable routes = new RouteTable(name + "-private-rt", RouteTableArgs.builder()
                    .vpcId(theVpcId)
                    .tags(tags(baseTags, "Name", name + "-private"))
                    .build(), child());
            List<Output<String>> subnetIdList = new ArrayList<>();
            for (int i = 0; i < zoneNames.size(); i++) {
                Subnet subnet = new Subnet(name + "-subnet-" + i, SubnetArgs.builder()
                        .vpcId(theVpcId)
                        .cidrBlock(Cidrs.subnetOf(args.vpcCidr, i))
                        .availabilityZone(zoneNames.get(i))
                        .mapPublicIpOnLaunch(false)
                        .tags(tags(baseTags, "Name", name + "-private-" + i))
                        .build(), child());
                new RouteTableAssociation(name + "-private-rt-" + i, RouteTableAssociationArgs.builder()
                        .subnetId(subnet.id())
                        .routeTableId(routes.id())
                        .build(), child());
                subnets.add(subnet.id());
                subnetIdList.add(subnet.id());
            }
            Output<String> region = AwsFunctions.getRegion().applyValue(r -> r.name());
            VpcEndpoint s3 = new VpcEndpoint(name + "-s3-endpoint", VpcEndpointArgs.builder()
                    .vpcId(theVpcId)
                    .serviceName(region.applyValue(r -> "com.amazonaws." + r + "." + NodeEndpoints.GATEWAY))
                    .vpcEndpointType("Gateway")
                    .routeTableIds(routes.id().applyValue(List::of))
                    .tags(tags(baseTags, "Name", name + "-s3"))
                    .build(), child());
            s3PrefixList = Optional.of(s3.prefixListId());
            networkReady.add(s3);
            // The node SG is declared below; the endpoint SG admits HTTPS from the VPC's private subnets.
            SecurityGroup endpointSg = new SecurityGroup(name + "-endpoint-sg", SecurityGroupArgs.builder()
                    .vpcId(theVpcId)
                    .description("redis-ha " + name + ": HTTPS to the SSM endpoints from the cluster's subnets")
                    .ingress(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(443).toPort(443)
                            .cidrBlocks(List.of(args.vpcCidr)).description("HTTPS from the cluster VPC").build())
                    .tags(tags(baseTags, "Name", name + "-endpoint-sg"))
                    .build(), child());
            for (String service : NodeEndpoints.INTERFACE) {
                networkReady.add(new VpcEndpoint(name + "-" + service + "-endpoint", VpcEndpointArgs.builder()
                        .vpcId(theVpcId)
                        .serviceName(region.applyValue(r -> "com.amazonaws." + r + "." + service))
                        .vpcEndpointType("Interface")
                        .privateDnsEnabled(true)
                        .subnetIds(Output.all(subnetIdList))
                        .securityGroupIds(endpointSg.id().applyValue(List::of))
                        .tags(tags(baseTags, "Name", name + "-" + service))
                        .build(), child()));
            }
        }

        // security groups: clients attach the client group; nodes accept 6379 from it and the allowed
        // sources, and 6379/16379 (cluster bus) only from each other
        SecurityGroup clientSg = new SecurityGroup(name + "-client-sg", SecurityGroupArgs.builder()
                .vpcId(theVpcId)
                .description("redis-ha " + name + ": attach to clients of the cluster")
                .egress(SecurityGroupEgressArgs.builder().protocol("tcp").fromPort(RedisConf.CLIENT_PORT).toPort(RedisConf.CLIENT_PORT)
                        .cidrBlocks(List.of(args.vpcCidr)).description("Redis in the cluster VPC").build())
                .tags(tags(baseTags, "Name", name + "-client-sg"))
                .build(), child());
        List<Output<String>> clientGroups = new ArrayList<>();
        clientGroups.add(clientSg.id());
        clientGroups.addAll(args.allowedClientSecurityGroupIds);
        List<SecurityGroupIngressArgs> ingress = new ArrayList<>();
        ingress.add(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(RedisConf.CLIENT_PORT).toPort(RedisConf.CLIENT_PORT)
                .self(true).description("Redis between nodes (replication, converge)").build());
        ingress.add(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(RedisConf.BUS_PORT).toPort(RedisConf.BUS_PORT)
                .self(true).description("Cluster bus between nodes only").build());
        ingress.add(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(RedisConf.CLIENT_PORT).toPort(RedisConf.CLIENT_PORT)
                .securityGroups(Output.all(clientGroups)).description("Redis from client security groups").build());
        List<String> v4 = args.allowedClientCidrs.stream().filter(c -> !c.contains(":")).toList();
        List<String> v6 = args.allowedClientCidrs.stream().filter(c -> c.contains(":")).toList();
        if (!v4.isEmpty() || !v6.isEmpty()) {
            ingress.add(SecurityGroupIngressArgs.builder().protocol("tcp").fromPort(RedisConf.CLIENT_PORT).toPort(RedisConf.CLIENT_PORT)
                    .cidrBlocks(v4).ipv6CidrBlocks(v6).description("Redis from allowed client CIDRs").build());
        }
        List<SecurityGroupEgressArgs> egress = new ArrayList<>();
        egress.add(SecurityGroupEgressArgs.builder().protocol("tcp").fromPort(RedisConf.CLIENT_PORT).toPort(RedisConf.BUS_PORT)
                .self(true).description("Redis and cluster bus to other nodes").build());
        egress.add(SecurityGroupEgressArgs.builder().protocol("tcp").fromPort(443).toPort(443)
                .cidrBlocks(List.of(args.vpcCidr)).description("HTTPS to AWS endpoints in the VPC (SSM)").build());
        // the S3 rule needs the gateway endpoint's prefix list; a provider that returns none gets no rule
        // (and no NullPointerException in the middle of pulumi up)
        Output<List<SecurityGroupEgressArgs>> nodeEgress = s3PrefixList
                .map(pl -> ProviderOutputs.listOfPresent(pl).applyValue(ids -> {
                    List<SecurityGroupEgressArgs> rules = new ArrayList<>(egress);
                    if (!ids.isEmpty()) {
                        rules.add(SecurityGroupEgressArgs.builder().protocol("tcp").fromPort(443).toPort(443)
                                .prefixListIds(ids).description("HTTPS to S3 (bootstrap jar)").build());
                    }
                    return rules;
                }))
                .orElse(Output.of(egress));
        SecurityGroup nodeSg = new SecurityGroup(name + "-node-sg", SecurityGroupArgs.builder()
                .vpcId(theVpcId)
                .description("redis-ha " + name + ": Redis nodes")
                .ingress(ingress)
                .egress(nodeEgress)
                .tags(tags(baseTags, "Name", name + "-node-sg"))
                .build(), child());

        // parameters: the password as SecureString (a secret in state), the placement as String
        Parameter auth = new Parameter(name + "-auth", ParameterArgs.builder()
                .name(settings.authParameter())
                .type("SecureString")
                .value(args.authPassword.get().asSecret())
                .description("redis-ha " + name + ": AUTH password (requirepass/masterauth)")
                .tags(baseTags)
                .build(), child());
        List<Parameter> secretParameters = new ArrayList<>(List.of(auth));
        if (settings.redis().tls()) {
            String prefix = settings.tlsParameterPrefix();
            secretParameters.add(new Parameter(name + "-tls-ca", ParameterArgs.builder().name(prefix + "/ca").type("SecureString")
                    .value(args.tlsCaCertificate.get()).tags(baseTags).build(), child()));
            secretParameters.add(new Parameter(name + "-tls-cert", ParameterArgs.builder().name(prefix + "/cert").type("SecureString")
                    .value(args.tlsCertificate.get()).tags(baseTags).build(), child()));
            secretParameters.add(new Parameter(name + "-tls-key", ParameterArgs.builder().name(prefix + "/key").type("SecureString")
                    .value(args.tlsPrivateKey.get().asSecret()).tags(baseTags).build(), child()));
        }
        Output<String> authArn = ProviderOutputs.required(auth.arn(), name + "-auth", "arn");
        Output<String> placementArn = Output.format("arn:aws:ssm:%s:%s:parameter%s",
                authArn.applyValue(arn -> arn.split(":")[3]), authArn.applyValue(arn -> arn.split(":")[4]),
                settings.placementParameter());

        // bootstrap jar in S3
        Output<String> bucketName;
        List<Resource> bucketReady = new ArrayList<>();
        if (args.bootstrapBucket.isPresent()) {
            bucketName = args.bootstrapBucket.get();
        } else {
            BucketV2 bucket = new BucketV2(name + "-bootstrap", BucketV2Args.builder()
                    .bucketPrefix("rha-" + name + "-")
                    .forceDestroy(true)
                    .tags(baseTags)
                    .build(), child());
            bucketReady.add(new BucketPublicAccessBlock(name + "-bootstrap-public-access", BucketPublicAccessBlockArgs.builder()
                    .bucket(bucket.id())
                    .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)
                    .build(), child()));
            bucketReady.add(new BucketServerSideEncryptionConfigurationV2(name + "-bootstrap-sse",
                    BucketServerSideEncryptionConfigurationV2Args.builder()
                            .bucket(bucket.id())
                            .rules(BucketServerSideEncryptionConfigurationV2RuleArgs.builder()
                                    .applyServerSideEncryptionByDefault(
                                            BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs.builder()
                                                    .sseAlgorithm("AES256").build())
                                    .build())
                            .build(), child()));
            bucketName = bucket.bucket();
        }
        String jarKey = "redis-ha/" + name + "/redis-ha.jar";
        BucketObjectv2 jar = new BucketObjectv2(name + "-bootstrap-jar", BucketObjectv2Args.builder()
                .bucket(bucketName)
                .key(jarKey)
                .source(new FileAsset(args.bootstrapJarPath))
                .serverSideEncryption("AES256")
                .tags(baseTags)
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(bucketReady).build());

        // IAM: SSM core + this cluster's parameters + the jar object
        Role role = new Role(name + "-node-role", RoleArgs.builder()
                .assumeRolePolicy(Policies.ec2AssumeRole())
                .description("redis-ha " + name + " nodes")
                .tags(baseTags)
                .build(), child());
        RolePolicyAttachment ssmCore = new RolePolicyAttachment(name + "-node-ssm-core", RolePolicyAttachmentArgs.builder()
                .role(role.name())
                .policyArn("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
                .build(), child());
        List<Output<String>> parameterArns = new ArrayList<>();
        parameterArns.add(placementArn);
        secretParameters.forEach(p -> parameterArns.add(p.arn()));
        RolePolicy access = new RolePolicy(name + "-node-access", RolePolicyArgs.builder()
                .role(role.name())
                .policy(Output.tuple(Output.all(parameterArns), bucketName).applyValue(t ->
                        Policies.nodeAccess(t.t1, "arn:aws:s3:::" + t.t2 + "/" + jarKey)))
                .build(), child());
        RolePolicy metricsAccess = new RolePolicy(name + "-node-metrics", RolePolicyArgs.builder()
                .role(role.name())
                .policy(MetricsPolicy.putMetricData(MetricsTimer.NAMESPACE))
                .build(), child());
        RolePolicy watchdogAccess = new RolePolicy(name + "-node-watchdog", RolePolicyArgs.builder()
                .role(role.name())
                .policy(WatchdogUserData.POLICY)
                .build(), child());
        InstanceProfile profile = new InstanceProfile(name + "-node-profile", InstanceProfileArgs.builder()
                .role(role.name())
                .tags(baseTags)
                .build(), child());

        // nodes
        Output<String> ami = args.imageId.get();
        Map<String, Instance> instances = new LinkedHashMap<>();
        List<Output<Map<String, String>>> nodeMaps = new ArrayList<>();
        List<Resource> nodeDeps = new ArrayList<>(networkReady);
        nodeDeps.add(ssmCore);
        nodeDeps.add(access);
        nodeDeps.add(metricsAccess);
        nodeDeps.add(watchdogAccess);
        nodeDeps.addAll(secretParameters);
        // planned nodes, then the retiring ones of a scale-in (phase 1): same inputs as when they were
        // planned, except termination protection, lifted so that phase 2 can delete them
        // and, while a roll runs, the previous generation's nodes (see NodeGenerations)
        NodeGenerations generations = settings.generations();
        List<PlannedNode> declared = new ArrayList<>(plan.nodes());
        declared.addAll(settings.scaleIn().retiring());
        generations.retiring().ifPresent(g -> declared.addAll(plan.nodes()));
        Map<String, Instance> retiringInstances = new LinkedHashMap<>();
        Map<String, Instance> replacedInstances = new LinkedHashMap<>();
        List<Output<Map<String, String>>> retiringMaps = new ArrayList<>();
        for (int index = 0; index < declared.size(); index++) {
            PlannedNode node = declared.get(index);
            boolean replaced = index >= plan.nodes().size() + settings.scaleIn().retiring().size();
            boolean retiring = replaced || settings.scaleIn().zoneIndex().containsKey(node.name());
            int zoneIndex = settings.scaleIn().zoneIndex().containsKey(node.name()) ? settings.scaleIn().zoneIndex().get(node.name())
                    : plan.zones().indexOf(node.zone());
            Output<String> zone = zoneNames.get(zoneIndex);
            int generation = replaced ? generations.retiring().orElseThrow() : generations.current();
            String resourceName = name + "-" + NodeGenerations.nodeName(node, generation);
            Output<Map<String, String>> nodeTags = zone.applyValue(z -> {
                Map<String, String> t = new LinkedHashMap<>(baseTags);
                t.put("Name", resourceName);
                t.put("redis-ha:node", node.name());
                t.put("redis-ha:zone", z);
                t.put("redis-ha:role", node.role().label());
                t.put("redis-ha:shard", String.valueOf(node.shard()));
                t.put(NodeGenerations.GENERATION_TAG, String.valueOf(generation));
                if (replaced) {
                    t.put(NodeGenerations.REPLACED_TAG, "true");
                }
                if (settings.imageProvidesTunings()) {
                    t.putAll(NodeTunings.instanceTags());
                }
                return t;
            });
            Instance instance = new Instance(resourceName, InstanceArgs.builder()
                    .ami(ami)
                    .instanceType(settings.instanceType())
                    .availabilityZone(zone)
                    .subnetId(subnets.get(zoneIndex))
                    .vpcSecurityGroupIds(nodeSg.id().applyValue(List::of))
                    .iamInstanceProfile(profile.name())
                    .associatePublicIpAddress(false)
                    .metadataOptions(InstanceMetadataOptionsArgs.builder()
                            .httpEndpoint("enabled").httpTokens("required").httpPutResponseHopLimit(1).build())
                    .rootBlockDevice(InstanceRootBlockDeviceArgs.builder()
                            .volumeType("gp3").volumeSize(20).encrypted(true).deleteOnTermination(true).build())
                    .ebsBlockDevices(InstanceEbsBlockDeviceArgs.builder()
                            .deviceName(DATA_DEVICE).volumeType("gp3").volumeSize(settings.dataVolumeSizeGib())
                            .encrypted(true).deleteOnTermination(true).build())
                    .disableApiTermination(settings.terminationProtection() && !retiring)
                    .userData(bucketName.applyValue(bucket -> {
                        MetricsTimer.Spec timer = new MetricsTimer.Spec(name, bucket, jarKey, settings.placementParameter(),
                                settings.authParameter(), settings.redis().tls());
                        return settings.userData(node.name()) + MetricsTimer.userData(timer) + WatchdogUserData.userData(timer);
                    }))
                    .tags(nodeTags)
                    .volumeTags(nodeTags)
                    .build(), CustomResourceOptions.builder().parent(this).dependsOn(nodeDeps)
                    // A new image, type or user data never replaces or restarts a declared node: it reaches
                    // the cluster through a new generation and a roll (NodeGenerations).
                    .ignoreChanges(NodeGenerations.ROLLED_PROPERTIES).build());
            if (replaced) {
                replacedInstances.put(node.name(), instance);
                continue;
            }
            Output<Map<String, String>> nodeMap = Output.tuple(zone, instance.id(), instance.privateIp()).applyValue(t -> {
                Map<String, String> m = new LinkedHashMap<>(ScaleIn.describe(node));
                m.put("zone", t.t1);
                m.put("instanceId", t.t2);
                m.put("privateIp", t.t3);
                return m;
            });
            if (retiring) {
                retiringInstances.put(node.name(), instance);
                retiringMaps.add(nodeMap);
                continue;
            }
            instances.put(node.name(), instance);
            nodeMaps.add(Output.tuple(zone, instance.id(), instance.privateIp()).applyValue(t -> {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("name", node.name());
                m.put("zone", t.t1);
                m.put("role", node.role().label());
                m.put("shard", String.valueOf(node.shard()));
                m.put("instanceId", t.t2);
                m.put("privateIp", t.t3);
                return m;
            }));
        }

        // the placement (plan bound to private IPs); the plan is re-made with the real zone names,
        // which gives the same layout because the planner only looks at the zone order
        // and the retiring nodes with their addresses, so converge drains, forgets and resets them
        List<Output<String>> ips = new ArrayList<>();
        instances.forEach((node, i) -> ips.add(ProviderOutputs.required(i.privateIp(),
                name + "-" + NodeGenerations.nodeName(plan.node(node), generations.current()), "privateIp")));
        retiringInstances.forEach((node, i) -> ips.add(ProviderOutputs.required(i.privateIp(), name + "-" + node, "privateIp")));
        replacedInstances.forEach((node, i) -> ips.add(ProviderOutputs.required(i.privateIp(),
                name + "-" + NodeGenerations.nodeName(plan.node(node), generations.retiring().orElseThrow()), "privateIp")));
        List<String> nodeNames = new ArrayList<>(instances.keySet());
        List<String> retiringNames = new ArrayList<>(retiringInstances.keySet());
        List<String> replacedNames = new ArrayList<>(replacedInstances.keySet());
        Output<Plan> realPlan = allZoneNames.applyValue(plan::withZoneNames);
        Output<String> placementJson = Output.tuple(realPlan, Output.all(ips)).applyValue(t -> {
            Map<String, NodeAddress> addresses = new LinkedHashMap<>();
            Map<String, NodeAddress> retiringAddresses = new LinkedHashMap<>();
            Map<String, NodeAddress> replacedAddresses = new LinkedHashMap<>();
            for (int i = 0; i < t.t2.size(); i++) {
                NodeAddress address = new NodeAddress(t.t2.get(i), RedisConf.CLIENT_PORT);
                if (i < nodeNames.size()) {
                    addresses.put(nodeNames.get(i), address);
                } else if (i < nodeNames.size() + retiringNames.size()) {
                    retiringAddresses.put(retiringNames.get(i - nodeNames.size()), address);
                } else {
                    replacedAddresses.put(replacedNames.get(i - nodeNames.size() - retiringNames.size()), address);
                }
            }
            return new Placement(t.t1, addresses, retiringAddresses, replacedAddresses).toJson();
        });
        Parameter placement = new Parameter(name + "-placement", ParameterArgs.builder()
                .name(settings.placementParameter())
                .type("String")
                .tier("Advanced")
                .value(placementJson)
                .description("redis-ha " + name + ": the placement redis-ha converge brings the cluster to")
                .tags(baseTags)
                .build(), child());

        // converge on node-0-0; pulumi up waits for it
        Document converge = new Document(name + "-converge", DocumentArgs.builder()
                .documentType("Command")
                .documentFormat("JSON")
                .content(ConvergeDocument.content(args.convergeTimeoutSeconds, settings.redis().tls()))
                .tags(baseTags)
                .build(), child());
        Instance seed = instances.get(PlannedNode.nameOf(0, 0));
        List<Resource> convergeDeps = new ArrayList<>(instances.values());
        convergeDeps.addAll(retiringInstances.values());
        convergeDeps.addAll(replacedInstances.values());
        convergeDeps.add(placement);
        convergeDeps.add(jar);
        convergeDeps.addAll(secretParameters);
        new Association(name + "-converge-association", AssociationArgs.builder()
                .name(converge.name())
                .associationName(name + "-converge")
                .targets(seed.id().applyValue(id -> List.of(AssociationTargetArgs.builder().key("InstanceIds").values(id).build())))
                .parameters(Output.tuple(placement.name(), auth.name(), bucketName, placementJson).applyValue(t -> Map.of(
                        "planParameter", t.t1,
                        "passwordParameter", t.t2,
                        "jarBucket", t.t3,
                        "jarKey", jarKey,
                        "placementDigest", sha256(t.t4))))
                .waitForSuccessTimeoutSeconds(args.convergeTimeoutSeconds)
                .maxErrors("0")
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(convergeDeps).build());

        // alarms on the metrics every node publishes
        ClusterAlarms.declare(this, name, args.alarmTopicArn, baseTags);

        // outputs
        this.nodes = Output.all(nodeMaps);
        List<Output<String>> seeds = new ArrayList<>();
        plan.masterNodes().forEach(m -> seeds.add(instances.get(m.name()).privateIp().applyValue(ip -> ip + ":" + RedisConf.CLIENT_PORT)));
        this.seedEndpoints = Output.all(seeds);
        this.clientSecurityGroupId = clientSg.id();
        this.planSummary = realPlan.applyValue(Plan::summary);
        this.plan = realPlan.applyValue(Plan::toJson);
        this.retiringNodes = Output.all(retiringMaps);
        this.nodeGenerations = Output.of(generations.declared());
        this.rollPlan = realPlan.applyValue(generations::rollPlanText);
        Output<ScalingSummary> scaling = realPlan.applyValue(now ->
                ScalingSummary.of(settings.previousPlan(), settings.previousScalingBase(), now, settings.scaleIn()));
        this.scalingPlan = scaling.applyValue(ScalingSummary::text);
        this.scalingMoves = scaling.applyValue(ScalingSummary::structured);
        this.scalingBase = scaling.applyValue(ScalingSummary::baseJson);
        this.survivesZoneLoss = Output.of(plan.zoneSafety().survivesZoneLoss());
        this.placementParameterName = placement.name();
        this.authParameterName = auth.name();
        this.vpcId = theVpcId;
        this.subnetIds = Output.all(subnets);
        Map<String, Output<?>> outputs = new LinkedHashMap<>();
        outputs.put("plan", this.plan);
        outputs.put("retiringNodes", retiringNodes);
        outputs.put("scalingPlan", scalingPlan);
        outputs.put("scalingMoves", scalingMoves);
        outputs.put("nodeGenerations", nodeGenerations);
        outputs.put("rollPlan", rollPlan);
        outputs.put("scalingBase", scalingBase);
        outputs.putAll(Map.of(
                "nodes", nodes,
                "seedEndpoints", seedEndpoints,
                "clientSecurityGroupId", clientSecurityGroupId,
                "planSummary", planSummary,
                "survivesZoneLoss", survivesZoneLoss,
                "placementParameterName", placementParameterName,
                "authParameterName", authParameterName,
                "vpcId", vpcId,
                "subnetIds", subnetIds));
        registerOutputs(outputs);
    }

    private static ComponentResourceOptions validateFirst(String name, RedisClusterArgs args, ComponentResourceOptions options) {
        args.validate(name); // throws InvalidClusterArgsException before the component is registered
        return options;
    }

    private CustomResourceOptions child() {
        return CustomResourceOptions.builder().parent(this).build();
    }

    private static Map<String, String> tags(Map<String, String> base, String key, String value) {
        Map<String, String> t = new LinkedHashMap<>(base);
        t.put(key, value);
        return t;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The validated settings this cluster was declared from (plan with zone labels, limits, redis.conf). */
    public ClusterSettings settings() {
        return settings;
    }

    /** Every node: name, zone, role, shard, instanceId, privateIp. */
    public Output<List<Map<String, String>>> nodes() {
        return nodes;
    }

    /** {@code ip:6379} of the planned masters; any node works as a cluster client's seed. */
    public Output<List<String>> seedEndpoints() {
        return seedEndpoints;
    }

    /** Attach this group to clients to let them reach port 6379. */
    public Output<String> clientSecurityGroupId() {
        return clientSecurityGroupId;
    }

    /** {@link Plan#summary()} with the real zone names. */
    public Output<String> planSummary() {
        return planSummary;
    }

    public Output<Boolean> survivesZoneLoss() {
        return survivesZoneLoss;
    }

    /** SSM parameter with the placement JSON ({@code redis-ha converge --plan-ssm}). */
    public Output<String> placementParameterName() {
        return placementParameterName;
    }

    /** SSM SecureString with the AUTH password ({@code --password-ssm}). */
    public Output<String> authParameterName() {
        return authParameterName;
    }

    public Output<String> vpcId() {
        return vpcId;
    }

    public Output<List<String>> subnetIds() {
        return subnetIds;
    }

    /**
     * The plan with the real zone names, as JSON: export it and pass it back as
     * {@link RedisClusterArgs.Builder#previousPlan} on the next deployment.
     */
    public Output<String> plan() {
        return plan;
    }

    /**
     * Nodes being retired by a scale-in (phase 1): name, zone, role, shard, member, replicaOf,
     * instanceId, privateIp. Empty otherwise. Pass back as {@link RedisClusterArgs.Builder#previousRetiringNodes}.
     */
    public Output<List<Map<String, String>>> retiringNodes() {
        return retiringNodes;
    }

    /** What this deployment changes against {@code previousPlan}: nodes added and removed, slot moves, zone safety ({@code PlanDiff}). */
    public Output<String> scalingPlan() {
        return scalingPlan;
    }

    /**
     * The plan {@link #scalingPlan} compares against (Plan JSON, empty for a new cluster): pass it back
     * as {@link RedisClusterArgs.Builder#previousScalingBase} so an unchanged deployment changes no output.
     */
    public Output<String> scalingBase() {
        return scalingBase;
    }

    /** {@link #scalingPlan} for machines: added, removed, retiring, removing, slotsMoved, moves (from, to, slots, ranges). */
    public Output<Map<String, Object>> scalingMoves() {
        return scalingMoves;
    }

    /** The generations of node instances this deployment declares ({@link NodeGenerations}); pass back as previousNodeGenerations. */
    public Output<List<Integer>> nodeGenerations() {
        return nodeGenerations;
    }

    /** The rolling replacement this deployment runs (order, handovers), or why there is none. */
    public Output<String> rollPlan() {
        return rollPlan;
    }
}
