package io.redisha.policies;

import io.redisha.topology.NodeTunings;
import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Stacks as the RedisCluster component declares them (nodes placed by the shared planner, tags,
 * user data with redis.conf), safe by default, for rule and analyzer tests to break one thing at a time.
 */
public final class Fixtures {
    public static final String CLUSTER = "prod";

    private Fixtures() {
    }

    public static List<ResourceView> safeCluster() {
        return cluster(3, 1, List.of("us-east-1a", "us-east-1b", "us-east-1c"), ZoneLoss.MUST_SURVIVE);
    }

    public static List<ResourceView> cluster(int masters, int replicas, List<String> zones, ZoneLoss zoneLoss) {
        Plan plan = Planner.plan(masters, replicas, zones, zoneLoss);
        List<ResourceView> resources = new ArrayList<>();
        resources.add(resource(ResourceView.REDIS_CLUSTER, CLUSTER, Map.of("masters", masters,
                "replicasPerMaster", replicas, "zones", zones, "nodeTimeoutMs", 5000, "maxmemoryPercent", 70,
                "backups", Map.of("schedule", "rate(1 day)", "retentionDays", 7))));
        for (PlannedNode node : plan.nodes()) {
            Map<String, Object> tags = new LinkedHashMap<>();
            tags.put("Name", CLUSTER + "-" + node.name());
            tags.put("redis-ha:cluster", CLUSTER);
            tags.put("redis-ha:node", node.name());
            tags.put("redis-ha:zone", node.zone());
            tags.put("redis-ha:role", node.role().label());
            tags.put("redis-ha:shard", String.valueOf(node.shard()));
            tags.putAll(NodeTunings.instanceTags());
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("ami", "ami-0123456789abcdef0");
            props.put("instanceType", "r6g.large");
            props.put("availabilityZone", node.zone());
            props.put("subnetId", "subnet-" + node.zone());
            props.put("associatePublicIpAddress", false);
            props.put("metadataOptions", Map.of("httpEndpoint", "enabled", "httpTokens", "required"));
            props.put("rootBlockDevice", Map.of("encrypted", true, "volumeType", "gp3"));
            props.put("ebsBlockDevices", List.of(Map.of("deviceName", "/dev/sdf", "encrypted", true)));
            props.put("userData", userData(node.name(), "5000", "11000mb", "yes"));
            props.put("tags", tags);
            resources.add(resource(ResourceView.INSTANCE, CLUSTER + "-" + node.name(), props));
        }
        resources.add(resource(ResourceView.SECURITY_GROUP, CLUSTER + "-node-sg", Map.of("ingress", List.of(
                Map.of("protocol", "tcp", "fromPort", 6379, "toPort", 6379, "self", true),
                Map.of("protocol", "tcp", "fromPort", 16379, "toPort", 16379, "self", true),
                Map.of("protocol", "tcp", "fromPort", 6379, "toPort", 6379, "cidrBlocks", List.of("10.0.0.0/16")),
                Map.of("protocol", "tcp", "fromPort", 22, "toPort", 22, "cidrBlocks", List.of("0.0.0.0/0"))))));
        resources.add(resource(ResourceView.SSM_PARAMETER, CLUSTER + "-auth",
                Map.of("name", "/redis-ha/prod/auth", "type", "SecureString", "value", "x")));
        resources.add(resource(ResourceView.SSM_PARAMETER, CLUSTER + "-plan",
                Map.of("name", "/redis-ha/prod/plan", "type", "String", "value", plan.toJson())));
        return resources;
    }

    /** User data shaped like the component's: redis.conf in a heredoc, the password fetched from SSM. */
    public static String userData(String node, String nodeTimeout, String maxmemory, String appendonly) {
        return "#!/bin/bash\n# redis-ha node " + node + "\nset -euo pipefail\n"
                + "cat > /etc/redis/redis.conf <<'REDISCONF'\n"
                + "bind 0.0.0.0\nport 6379\ncluster-enabled yes\ncluster-node-timeout " + nodeTimeout + "\n"
                + "appendonly " + appendonly + "\nmaxmemory " + maxmemory + "\nmaxmemory-policy allkeys-lru\n"
                + "include /etc/redis/redis-ha-auth.conf\nREDISCONF\n"
                + "PASSWORD=$(aws ssm get-parameter --name '/redis-ha/prod/auth' --with-decryption --query Parameter.Value --output text)\n"
                + "printf 'requirepass \"%s\"\\nmasterauth \"%s\"\\n' \"$PASSWORD\" \"$PASSWORD\" > /etc/redis/redis-ha-auth.conf\n";
    }

    public static ResourceView resource(String type, String name, Map<String, Object> properties) {
        return new ResourceView(type, ResourceView.urnOf("prod", type, name), name, properties);
    }

    /** A copy of {@code resources} with the named resource replaced by {@code change} of it. */
    public static List<ResourceView> change(List<ResourceView> resources, String name, UnaryOperator<ResourceView> change) {
        boolean found = resources.stream().anyMatch(r -> r.name().equals(name));
        if (!found) {
            throw new IllegalArgumentException("fixture has no resource " + name);
        }
        return resources.stream().map(r -> r.name().equals(name) ? change.apply(r) : r).toList();
    }

    public static List<ResourceView> add(List<ResourceView> resources, ResourceView extra) {
        List<ResourceView> all = new ArrayList<>(resources);
        all.add(extra);
        return all;
    }

    public static List<ResourceView> without(List<ResourceView> resources, java.util.function.Predicate<ResourceView> drop) {
        return resources.stream().filter(drop.negate()).toList();
    }

    /** A copy of {@code r} with the value at a dotted path set (intermediate maps created). */
    @SuppressWarnings("unchecked")
    public static ResourceView with(ResourceView r, String path, Object value) {
        Map<String, Object> props = deepCopy(r.properties());
        String[] keys = path.split("\\.");
        Map<String, Object> current = props;
        for (int i = 0; i < keys.length - 1; i++) {
            current = (Map<String, Object>) current.computeIfAbsent(keys[i], k -> new LinkedHashMap<>());
        }
        if (value == null) {
            current.remove(keys[keys.length - 1]);
        } else {
            current.put(keys[keys.length - 1], value);
        }
        return new ResourceView(r.type(), r.urn(), r.name(), props, r.secretPaths());
    }

    public static ResourceView secret(ResourceView r, String topLevel) {
        return new ResourceView(r.type(), r.urn(), r.name(), r.properties(), Set.of(topLevel));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m)
                : v instanceof List<?> l ? new ArrayList<>(l) : v));
        return copy;
    }
}
