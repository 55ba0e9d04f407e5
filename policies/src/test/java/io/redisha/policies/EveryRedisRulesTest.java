package io.redisha.policies;

import static io.redisha.policies.Fixtures.change;
import static io.redisha.policies.Fixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules on Redis that is not ours: hand-written hosts on EC2, ElastiCache, MemoryDB. */
class EveryRedisRulesTest {

    private static List<ResourceView> safe() {
        return ForeignFixtures.safeStack();
    }

    private static List<ResourceView> host(String userData) {
        return change(safe(), "cache-1", r -> with(r, "userData", userData));
    }

    @Test
    void theSafeForeignStackPassesEveryRuleOnProd() {
        assertEquals(List.of(), PolicyPack.standard().forStack("prod").evaluate(safe()));
        assertTrue(PolicyPack.declaresRedis(safe()));
    }

    static Stream<Arguments> unsafeChanges() {
        String safe = ForeignFixtures.safeUserData();
        return Stream.of(
                unsafe("redis-tuned-image", () -> host(safe.replace("cat > /etc/sysctl.d/90-redis.conf <<'EOF'", "cat > /tmp/notes <<'EOF'")
                        .replace("sysctl --system", "sysctl -w vm.overcommit_memory=1")), "cache-1", "/etc/sysctl.d/"),
                unsafe("redis-aof-enabled", () -> host(safe.replace("appendonly yes\n", "")
                        .replace("systemctl enable --now disable-thp redis-server", "redis-server /etc/redis/redis.conf --appendonly no --daemonize yes")),
                        "cache-1", "appendonly yes"),
                unsafe("redis-maxmemory-headroom", () -> host(safe.replace("maxmemory 10gb", "maxmemory 15gb")), "cache-1", "lower maxmemory"),
                unsafe("redis-node-timeout-range", () -> host(safe.replace("cluster-node-timeout 5000\n", "")
                        + "echo \"cluster-node-timeout 100\" >> /etc/redis/redis.conf\n"), "cache-1", "between 2000 and 30000"),
                unsafe("redis-no-open-ports", () -> Fixtures.add(safe(), ForeignFixtures.resource(ResourceView.SECURITY_GROUP_RULE, "guide-bus",
                        Map.of("type", "ingress", "protocol", "tcp", "fromPort", 17000, "toPort", 17005, "cidrBlocks", List.of("0.0.0.0/0")))),
                        "guide-bus", "never from 0.0.0.0/0"),
                unsafe("redis-no-public-ip", () -> change(safe(), "cache-1", r -> with(r, "associatePublicIpAddress", true)),
                        "cache-1", "associatePublicIpAddress(false)"),
                unsafe("redis-encrypted-volumes", () -> change(safe(), "cache-1", r -> with(r, "rootBlockDevice.encrypted", false)),
                        "cache-1", "encrypted(true)"),
                unsafe("redis-imdsv2-required", () -> change(safe(), "cache-1", r -> with(r, "metadataOptions", null)),
                        "cache-1", "httpTokens(\"required\")"),
                unsafe("redis-auth-from-secret", () -> host(safe + "echo \"requirepass hunter2\" >> /etc/redis/redis.conf\n"),
                        "cache-1", "SSM SecureString"),
                unsafe("redis-replicas-per-master", () -> change(safe(), "sessions", r -> with(with(r, "numNodeGroups", null),
                        "replicasPerNodeGroup", null)), "sessions", "numCacheClusters to 2"),
                unsafe("redis-replicas-for-production", () -> change(safe(), "ledger", r -> with(r, "numReplicasPerShard", 1)),
                        "ledger", "numReplicasPerShard to 2"),
                unsafe("elasticache-failover-multi-az", () -> change(safe(), "sessions", r -> with(r, "multiAzEnabled", false)),
                        "sessions", "multiAzEnabled(true)"),
                unsafe("elasticache-encryption", () -> change(safe(), "sessions", r -> with(r, "atRestEncryptionEnabled", false)),
                        "sessions", "atRestEncryptionEnabled(true)"),
                unsafe("elasticache-auth", () -> change(safe(), "sessions",
                        r -> new ResourceView(r.type(), r.urn(), r.name(), r.properties(), Set.of())), "sessions", "from a Pulumi secret"),
                unsafe("elasticache-snapshots", () -> change(safe(), "flags", r -> with(r, "snapshotRetentionLimit", 0)),
                        "flags", "snapshotRetentionLimit to 7"),
                unsafe("redis-subnets-across-zones", () -> change(safe(), "cache-subnets",
                        r -> with(r, "subnetIds", List.of("subnet-us-east-1a", "subnet-us-east-1b"))), "sessions", "1 more availability zone"),
                unsafe("memorydb-tls", () -> change(safe(), "ledger", r -> with(r, "tlsEnabled", false)), "ledger", "set it to true"),
                unsafe("memorydb-acl", () -> change(safe(), "ledger", r -> with(r, "aclName", "open-access")), "ledger", "set aclName"));
    }

    private static Arguments unsafe(String rule, Supplier<List<ResourceView>> resources, String resource, String fix) {
        return Arguments.of(rule, ForeignFixtures.STACK, resources, resource, fix);
    }

    @ParameterizedTest(name = "{0} fails on an unsafe change naming {3}")
    @MethodSource("unsafeChanges")
    void everyRuleFailsItsUnsafeFixture(String rule, String stack, Supplier<List<ResourceView>> resources, String resource, String fix) {
        RulesTest.assertFails(rule, stack, resources.get(), resource, fix);
    }

    @Test
    void aSingleCacheClusterCannotFailOverEncryptAtRestOrAuthenticate() {
        List<ResourceView> resources = Fixtures.add(safe(), ForeignFixtures.resource(ResourceView.ELASTICACHE_CLUSTER, "lonely",
                Map.of("engine", "redis", "numCacheNodes", 1, "transitEncryptionEnabled", true, "snapshotRetentionLimit", 1)));
        List<String> rules = PolicyPack.standard().forStack("dev").evaluate(resources).stream()
                .filter(v -> v.resourceName().equals("lonely")).map(Violation::policy).sorted().toList();
        assertEquals(List.of("elasticache-auth", "elasticache-encryption", "elasticache-failover-multi-az", "redis-replicas-per-master"), rules);
    }

    @Test
    void memcachedAndInstancesThatDoNotRunRedisAreNotJudged() {
        Map<String, Object> bastion = Map.of("ami", "ami-1", "associatePublicIpAddress", true,
                "userData", "#!/bin/bash\napt-get install -y nginx\n", "rootBlockDevice", Map.of("encrypted", false));
        Map<String, Object> client = Map.of("ami", "ami-2", "associatePublicIpAddress", true,
                "userData", "#!/bin/bash\napt-get install -y redis-tools\nredis-cli -h sessions.internal ping\n");
        List<ResourceView> others = List.of(ForeignFixtures.resource(ResourceView.INSTANCE, "bastion", bastion),
                ForeignFixtures.resource(ResourceView.INSTANCE, "app-with-redis-cli", client),
                ForeignFixtures.resource(ResourceView.ELASTICACHE_CLUSTER, "memcached", Map.of("engine", "memcached", "numCacheNodes", 1)));
        assertEquals(List.of(), PolicyPack.standard().forStack("prod").evaluate(others));
        assertTrue(!PolicyPack.declaresRedis(others));
    }

    @Test
    void subnetsAreFoundByPropertyDependencyWhenIdsAreNotKnownYet() {
        List<ResourceView> resources = change(safe(), "cache-subnets", r -> new ResourceView(r.type(), r.urn(), r.name(),
                Map.of("name", "cache-subnets", "subnetIds", List.of(ResourceView.UNKNOWN, ResourceView.UNKNOWN)), Set.of(), "",
                Map.of("subnetIds", List.of(ForeignFixtures.urn(ResourceView.SUBNET, "private-a"), ForeignFixtures.urn(ResourceView.SUBNET, "private-b")))));
        List<Violation> v = PolicyPack.standard().forStack("dev").evaluate(resources).stream()
                .filter(x -> x.policy().equals("redis-subnets-across-zones")).toList();
        assertEquals(1, v.size(), v::toString);
        assertTrue(v.get(0).message().contains("[us-east-1a, us-east-1b]"), v.get(0).message());
    }

    @Test
    void valuesNotKnownYetAreNotJudged() {
        List<ResourceView> resources = change(safe(), "sessions", r -> with(with(with(r, "multiAzEnabled", ResourceView.UNKNOWN),
                "atRestEncryptionEnabled", ResourceView.UNKNOWN), "snapshotRetentionLimit", ResourceView.UNKNOWN));
        resources = change(resources, "cache-subnets", r -> with(r, "subnetIds", List.of("subnet-elsewhere-1", "subnet-elsewhere-2")));
        assertEquals(List.of(), PolicyPack.standard().forStack("prod").evaluate(resources));
    }

    @Test
    void handWrittenRedisIsRecognisedByHowUserDataRunsIt() {
        for (String userData : List.of("yum install -y redis6\n", "apt-get install -y redis-server\n", "dnf -y install valkey\n",
                "systemctl enable --now redis\n", "docker run -d redis:7 redis-server --appendonly yes\n", "cat > /etc/redis/redis.conf <<EOF\nport 6379\nEOF\n")) {
            assertTrue(UserDataRedisConf.runsRedis(userData), userData);
        }
        for (String userData : List.of("apt-get install -y redis-tools\n", "pip install redis\n", "redis-cli -h cache ping\n")) {
            assertTrue(!UserDataRedisConf.runsRedis(userData), userData);
        }
    }

    @Test
    void bootTuningsSaySetOnlyUntilReboot() {
        List<String> missing = BootTunings.shortfalls("sysctl vm.overcommit_memory=1\nsysctl -w net.core.somaxconn=65535\n"
                + "echo never > /sys/kernel/mm/transparent_hugepage/enabled\nulimit -n 65535\nredis-server /etc/redis.conf\n");
        assertEquals(4, missing.size(), missing::toString);
        assertTrue(missing.stream().allMatch(m -> m.contains("until reboot") || m.contains("ulimit")), missing::toString);
        assertEquals(List.of(), BootTunings.shortfalls(ForeignFixtures.safeUserData()));
    }

    @Test
    void aBadPortRangeIsRefusedWhenConfiguredNotWhenJudging() {
        PolicyPack pack = PolicyPack.standard();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> pack.configure("redis-no-open-ports", java.util.Optional.empty(), Map.of("otherClientPorts", List.of("7000-x"))));
        assertEquals("policy config otherClientPorts=7000-x is not valid: a port or a range like 7000-7005", e.getMessage());
        assertEquals(List.of(), pack.evaluate(safe()), "the refused value was not kept");
    }

    @Test
    void guidePortsAndTheirBusPortsAreRedisPorts() {
        Settings defaults = new Settings("dev", PolicyPack.standard().values("redis-no-open-ports"));
        assertEquals("6379, 7000-7005, 16379, 17000-17005", NetworkRules.ranges(NetworkRules.redisPorts(defaults)));
    }
}
