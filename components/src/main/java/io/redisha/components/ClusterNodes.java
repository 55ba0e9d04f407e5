package io.redisha.components;

import com.pulumi.aws.ec2.Instance;
import com.pulumi.aws.ec2.InstanceArgs;
import com.pulumi.aws.ec2.inputs.InstanceEbsBlockDeviceArgs;
import com.pulumi.aws.ec2.inputs.InstanceMetadataOptionsArgs;
import com.pulumi.aws.ec2.inputs.InstanceRootBlockDeviceArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.redisha.components.node.MetricsTimer;
import io.redisha.components.node.NodeRedisConf;
import io.redisha.components.node.UserData;
import io.redisha.components.node.WatchdogUserData;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.NodeTunings;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One EC2 instance per planned node in the subnet of its planned zone; then the nodes a scale-in
 * is retiring (phase 1: same inputs as when planned, termination protection lifted so phase 2 can
 * delete them) and, while a roll runs, the previous generation's nodes ({@link NodeGenerations}).
 */
final class ClusterNodes {
    /**
     * The instances by node name: the planned (current generation), the retiring of a scale-in, and
     * the replaced ones of a roll; {@code nodes}/{@code retiringNodes} are the component's outputs.
     */
    record Declared(Map<String, Instance> planned, Map<String, Instance> retiring, Map<String, Instance> replaced,
                    Output<List<Map<String, String>>> nodes, Output<List<Map<String, String>>> retiringNodes) {
        List<Instance> all() {
            List<Instance> all = new ArrayList<>(planned.values());
            all.addAll(retiring.values());
            all.addAll(replaced.values());
            return all;
        }
    }

    private ClusterNodes() {
    }

    static Declared declare(Resource parent, String name, Output<String> ami, ClusterSettings settings,
                            ClusterNetwork.Declared network, NodeSecurity.Declared security, NodeRole.Declared role,
                            ClusterSecrets.Declared secrets, BootstrapArtifact.Declared artifact, Map<String, String> baseTags) {
        Plan plan = settings.plan();
        ScaleIn scaleIn = settings.scaleIn();
        NodeGenerations generations = settings.generations();
        List<Resource> nodeDeps = new ArrayList<>(network.ready());
        nodeDeps.addAll(role.ready());
        nodeDeps.addAll(secrets.all());
        List<PlannedNode> declared = new ArrayList<>(plan.nodes());
        declared.addAll(scaleIn.retiring());
        generations.retiring().ifPresent(g -> declared.addAll(plan.nodes()));
        Map<String, Instance> planned = new LinkedHashMap<>();
        Map<String, Instance> retiringInstances = new LinkedHashMap<>();
        Map<String, Instance> replacedInstances = new LinkedHashMap<>();
        List<Output<Map<String, String>>> nodeMaps = new ArrayList<>();
        List<Output<Map<String, String>>> retiringMaps = new ArrayList<>();
        for (int index = 0; index < declared.size(); index++) {
            PlannedNode node = declared.get(index);
            boolean replaced = index >= plan.nodes().size() + scaleIn.retiring().size();
            boolean retiring = replaced || scaleIn.zoneIndex().containsKey(node.name());
            int zoneIndex = scaleIn.zoneIndex().containsKey(node.name()) ? scaleIn.zoneIndex().get(node.name())
                    : plan.zones().indexOf(node.zone());
            Output<String> zone = network.zoneNames().get(zoneIndex);
            int generation = replaced ? generations.retiring().orElseThrow() : generations.current();
            String resourceName = name + "-" + NodeGenerations.nodeName(node, generation);
            Output<Map<String, String>> nodeTags = zone.applyValue(z -> tags(settings, baseTags, resourceName, node, z, generation, replaced));
            Instance instance = new Instance(resourceName, InstanceArgs.builder()
                    .ami(ami)
                    .instanceType(settings.instanceType())
                    .availabilityZone(zone)
                    .subnetId(network.subnetIds().get(zoneIndex))
                    .vpcSecurityGroupIds(security.nodeGroup().id().applyValue(List::of))
                    .iamInstanceProfile(role.profile().name())
                    .associatePublicIpAddress(false)
                    .metadataOptions(InstanceMetadataOptionsArgs.builder()
                            .httpEndpoint("enabled").httpTokens("required").httpPutResponseHopLimit(1).build())
                    .rootBlockDevice(InstanceRootBlockDeviceArgs.builder()
                            .volumeType("gp3").volumeSize(20).encrypted(true).deleteOnTermination(true).build())
                    .ebsBlockDevices(InstanceEbsBlockDeviceArgs.builder()
                            .deviceName(UserData.DATA_DEVICE).volumeType("gp3").volumeSize(settings.dataVolumeSizeGib())
                            .encrypted(true).deleteOnTermination(true).build())
                    .disableApiTermination(settings.terminationProtection() && !retiring)
                    .userData(artifact.bucketName().applyValue(bucket -> {
                        MetricsTimer.Spec timer = new MetricsTimer.Spec(name, bucket, artifact.jarKey(), settings.placementParameter(),
                                settings.authParameter(), settings.redis().tls());
                        return settings.userData(node.name()) + MetricsTimer.userData(timer) + WatchdogUserData.userData(timer);
                    }))
                    .tags(nodeTags)
                    .volumeTags(nodeTags)
                    .build(), CustomResourceOptions.builder().parent(parent).dependsOn(nodeDeps)
                    // A new image, type, data volume, subnet or user data never replaces or restarts a
                    // declared node: it reaches the cluster through a new generation and a roll (NodeGenerations).
                    .ignoreChanges(InputChanges.PINNED_INSTANCE_PROPERTIES).build());
            if (replaced) {
                replacedInstances.put(node.name(), instance);
            } else if (retiring) {
                retiringInstances.put(node.name(), instance);
                retiringMaps.add(Output.tuple(zone, instance.id(), instance.privateIp()).applyValue(t -> {
                    Map<String, String> m = new LinkedHashMap<>(ScaleIn.describe(node));
                    m.put("zone", t.t1);
                    m.put("instanceId", t.t2);
                    m.put("privateIp", t.t3);
                    return m;
                }));
            } else {
                planned.put(node.name(), instance);
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
        }
        return new Declared(planned, retiringInstances, replacedInstances, Output.all(nodeMaps), Output.all(retiringMaps));
    }

    private static Map<String, String> tags(ClusterSettings settings, Map<String, String> baseTags, String resourceName,
                                            PlannedNode node, String zone, int generation, boolean replaced) {
        Map<String, String> t = new LinkedHashMap<>(baseTags);
        t.put("Name", resourceName);
        t.put("redis-ha:node", node.name());
        t.put("redis-ha:zone", zone);
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
    }

    /**
     * The private addresses of {@code instances} by node name ({@code instance} names the resource in
     * the error when the provider returns none).
     */
    static Output<Map<String, NodeAddress>> addresses(Map<String, Instance> instances) {
        List<Output<Map.Entry<String, NodeAddress>>> entries = new ArrayList<>();
        instances.forEach((node, instance) -> entries.add(ProviderOutputs.required(instance.privateIp(),
                        instance.pulumiResourceName(), "privateIp")
                .applyValue(ip -> Map.entry(node, new NodeAddress(ip, NodeRedisConf.CLIENT_PORT)))));
        return Output.all(entries).applyValue(list -> {
            Map<String, NodeAddress> out = new LinkedHashMap<>();
            list.forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }
}
