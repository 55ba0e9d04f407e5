package io.redisha.policies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redis that other teams declare, safe by default, for rule tests to break one thing at a time: a
 * hand-written Redis host on EC2 (the guide's checklist persisted by its user data, the password
 * fetched from SSM), an ElastiCache replication group, a serverless cache and a MemoryDB cluster
 * in subnets of three zones.
 */
public final class ForeignFixtures {
    public static final String STACK = "prod";
    public static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    private ForeignFixtures() {
    }

    /** User data of a hand-written Redis host that follows the checklist for good. */
    public static String safeUserData() {
        return """
                #!/bin/bash
                set -euo pipefail
                apt-get install -y redis-server
                cat > /etc/sysctl.d/90-redis.conf <<'EOF'
                vm.overcommit_memory = 1
                net.core.somaxconn = 65535
                EOF
                sysctl --system
                cat > /etc/systemd/system/disable-thp.service <<'EOF'
                [Service]
                Type=oneshot
                ExecStart=/bin/sh -c 'echo never > /sys/kernel/mm/transparent_hugepage/enabled'
                EOF
                mkdir -p /etc/systemd/system/redis-server.service.d
                printf '[Service]\\nLimitNOFILE=65535\\n' > /etc/systemd/system/redis-server.service.d/limits.conf
                cat > /etc/redis/redis.conf <<'EOF'
                port 6379
                cluster-enabled yes
                cluster-node-timeout 5000
                appendonly yes
                maxmemory 10gb
                include /etc/redis/auth.conf
                EOF
                PASSWORD=$(aws ssm get-parameter --name /shop/redis/password --with-decryption --query Parameter.Value --output text)
                printf 'requirepass "%s"\\nmasterauth "%s"\\n' "$PASSWORD" "$PASSWORD" > /etc/redis/auth.conf
                systemctl enable --now disable-thp redis-server
                """;
    }

    public static List<ResourceView> safeStack() {
        List<ResourceView> all = new ArrayList<>();
        List<String> subnetIds = new ArrayList<>();
        for (String zone : ZONES) {
            String id = "subnet-" + zone;
            subnetIds.add(id);
            all.add(withId(resource(ResourceView.SUBNET, "private-" + zone.substring(zone.length() - 1),
                    Map.of("availabilityZone", zone, "cidrBlock", "10.0." + (zone.charAt(zone.length() - 1) - 'a') + ".0/24")), id));
        }
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("ami", "ami-0e2c8caa4b6378d8c");
        host.put("instanceType", "r6i.large");
        host.put("associatePublicIpAddress", false);
        host.put("metadataOptions", Map.of("httpTokens", "required"));
        host.put("rootBlockDevice", Map.of("encrypted", true));
        host.put("ebsBlockDevices", List.of(Map.of("deviceName", "/dev/sdf", "encrypted", true)));
        host.put("userData", safeUserData());
        host.put("tags", Map.of("Name", "cache-1"));
        all.add(resource(ResourceView.INSTANCE, "cache-1", host));
        all.add(resource(ResourceView.SECURITY_GROUP, "cache-sg", Map.of("ingress", List.of(
                Map.of("protocol", "tcp", "fromPort", 6379, "toPort", 6379, "cidrBlocks", List.of("10.0.0.0/16")),
                Map.of("protocol", "tcp", "fromPort", 443, "toPort", 443, "cidrBlocks", List.of("0.0.0.0/0"))))));
        all.add(new ResourceView(ResourceView.SSM_PARAMETER, urn(ResourceView.SSM_PARAMETER, "redis-password"), "redis-password",
                Map.of("name", "/shop/redis/password", "type", "SecureString", "value", "x"), Set.of("value")));
        all.add(resource(ResourceView.ELASTICACHE_SUBNET_GROUP, "cache-subnets", Map.of("name", "cache-subnets", "subnetIds", subnetIds)));
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("description", "sessions");
        group.put("engine", "redis");
        group.put("numNodeGroups", 3);
        group.put("replicasPerNodeGroup", 2);
        group.put("automaticFailoverEnabled", true);
        group.put("multiAzEnabled", true);
        group.put("transitEncryptionEnabled", true);
        group.put("atRestEncryptionEnabled", true);
        group.put("authToken", "from-a-pulumi-secret");
        group.put("snapshotRetentionLimit", 7);
        group.put("subnetGroupName", "cache-subnets");
        all.add(new ResourceView(ResourceView.ELASTICACHE_REPLICATION_GROUP, urn(ResourceView.ELASTICACHE_REPLICATION_GROUP, "sessions"),
                "sessions", group, Set.of("authToken")));
        all.add(resource(ResourceView.ELASTICACHE_SERVERLESS, "flags", Map.of("engine", "valkey", "subnetIds", subnetIds,
                "userGroupId", "flags-users", "snapshotRetentionLimit", 3)));
        all.add(resource(ResourceView.MEMORYDB_SUBNET_GROUP, "ledger-subnets", Map.of("name", "ledger-subnets", "subnetIds", subnetIds)));
        all.add(resource(ResourceView.MEMORYDB_CLUSTER, "ledger", Map.of("aclName", "ledger-acl", "numShards", 2,
                "numReplicasPerShard", 2, "subnetGroupName", "ledger-subnets", "tlsEnabled", true)));
        return all;
    }

    public static ResourceView resource(String type, String name, Map<String, Object> properties) {
        return new ResourceView(type, urn(type, name), name, properties);
    }

    static String urn(String type, String name) {
        return ResourceView.urnOf(STACK, type, name);
    }

    private static ResourceView withId(ResourceView r, String id) {
        return new ResourceView(r.type(), r.urn(), r.name(), r.properties(), r.secretPaths(), id, Map.of());
    }
}
