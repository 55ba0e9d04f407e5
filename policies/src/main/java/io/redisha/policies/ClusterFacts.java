package io.redisha.policies;

import io.redisha.topology.ShardZones;
import io.redisha.topology.ZoneSafety;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the declared instances say about one Redis cluster: its nodes by shard, role and zone (from
 * the tags the component sets), and the shared planner's verdict on zone safety.
 *
 * @param name      the {@code redis-ha:cluster} tag, or "" when instances carry none
 * @param component the {@code RedisCluster} component resource, when the stack declares one
 * @param shards    nodes by shard id, in shard order
 */
public record ClusterFacts(String name, Optional<ResourceView> component, Map<String, List<Node>> shards,
                           List<String> zones, ZoneSafety zoneSafety) {

    public static final String ZONE_TAG = "redis-ha:zone";
    public static final String ROLE_TAG = "redis-ha:role";
    public static final String SHARD_TAG = "redis-ha:shard";
    public static final String NODE_TAG = "redis-ha:node";
    /** Set by the component on the previous generation's nodes while a roll replaces them. */
    public static final String REPLACED_TAG = "redis-ha:replaced";
    public static final String CLUSTER_TAG = "redis-ha:cluster";

    /** One instance that plays a node of the cluster. */
    public record Node(ResourceView instance, String node, String shard, boolean master, String zone) {
    }

    public List<Node> nodes() {
        return shards.values().stream().flatMap(List::stream).toList();
    }

    public List<Node> masters() {
        return nodes().stream().filter(Node::master).toList();
    }

    public Optional<Node> masterOf(String shard) {
        return shards.getOrDefault(shard, List.of()).stream().filter(Node::master).findFirst();
    }

    public List<Node> replicasOf(String shard) {
        return shards.getOrDefault(shard, List.of()).stream().filter(n -> !n.master()).toList();
    }

    /** The resource a cluster-level violation is reported on: the component, else the first node. */
    public ResourceView subject() {
        return component.orElseGet(() -> nodes().get(0).instance());
    }

    /** {@code cluster 'prod'} or {@code the cluster} for messages. */
    public String label() {
        return name.isEmpty() ? component.map(c -> "cluster '" + c.name() + "'").orElse("the cluster") : "cluster '" + name + "'";
    }

    static List<ClusterFacts> of(StackView stack) {
        Map<String, List<Node>> byCluster = new TreeMap<>();
        for (ResourceView instance : stack.ofType(ResourceView.INSTANCE)) {
            Map<String, String> tags = instance.tags();
            String role = tags.get(ROLE_TAG);
            if ("true".equals(tags.get(REPLACED_TAG))) {
                continue; // a previous generation's node that a roll is taking out of the cluster
            }
            if (role == null) {
                continue; // not a Redis node (a bastion, a bootstrap runner, ...)
            }
            String zone = tags.getOrDefault(ZONE_TAG, instance.string("availabilityZone").orElse("?"));
            String node = tags.getOrDefault(NODE_TAG, instance.name());
            String shard = tags.getOrDefault(SHARD_TAG, "?");
            byCluster.computeIfAbsent(tags.getOrDefault(CLUSTER_TAG, ""), k -> new ArrayList<>())
                    .add(new Node(instance, node, shard, role.equalsIgnoreCase("master"), zone));
        }
        List<ResourceView> components = stack.ofType(ResourceView.REDIS_CLUSTER);
        List<ClusterFacts> clusters = new ArrayList<>();
        byCluster.forEach((name, nodes) -> {
            Optional<ResourceView> component = components.stream().filter(c -> c.name().equals(name)).findFirst();
            if (component.isEmpty() && components.size() == 1) {
                component = Optional.of(components.get(0));
            }
            clusters.add(build(name, component, nodes));
        });
        return clusters;
    }

    private static ClusterFacts build(String name, Optional<ResourceView> component, List<Node> nodes) {
        Map<String, List<Node>> shards = new TreeMap<>(ClusterFacts::compareShards);
        nodes.forEach(n -> shards.computeIfAbsent(n.shard(), k -> new ArrayList<>()).add(n));
        TreeSet<String> nodeZones = new TreeSet<>();
        nodes.forEach(n -> nodeZones.add(n.zone()));
        List<String> zones = new ArrayList<>(component.map(c -> c.list("zones").stream().map(String::valueOf).toList())
                .filter(z -> !z.isEmpty()).orElse(List.of()));
        nodeZones.stream().filter(z -> !zones.contains(z)).forEach(zones::add);

        List<ShardZones> shardZones = new ArrayList<>();
        shards.forEach((shard, members) -> members.stream().filter(Node::master).findFirst().ifPresent(master ->
                shardZones.add(new ShardZones(master.node(), master.zone(),
                        members.stream().filter(n -> !n.master()).map(Node::zone).toList()))));
        return new ClusterFacts(name, component, new LinkedHashMap<>(shards), zones, ZoneSafety.evaluate(zones, shardZones));
    }

    private static int compareShards(String a, String b) {
        boolean na = a.matches("\\d+");
        boolean nb = b.matches("\\d+");
        if (na && nb) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return na != nb ? (na ? -1 : 1) : a.compareTo(b);
    }
}
