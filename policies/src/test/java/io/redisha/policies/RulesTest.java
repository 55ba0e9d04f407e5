package io.redisha.policies;

import static io.redisha.policies.Fixtures.change;
import static io.redisha.policies.Fixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.topology.ZoneLoss;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RulesTest {
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    /** A production-grade cluster: 3 masters x 2 replicas over 3 zones. */
    static List<ResourceView> productionCluster() {
        return Fixtures.cluster(3, 2, ZONES, ZoneLoss.MUST_SURVIVE);
    }

    @Test
    void theSafeClusterPassesEveryRuleOnProd() {
        List<Violation> violations = PolicyPack.standard().forStack("prod").evaluate(productionCluster());
        assertEquals(List.of(), violations);
    }

    @Test
    void backupsAreRequiredOnProductionStacksOnly() {
        List<ResourceView> noBackups = change(productionCluster(), "prod", r -> without(r, "backups"));
        assertTrue(PolicyPack.standard().forStack("dev").evaluate(noBackups).isEmpty(), "dev is not a production stack");
        List<Violation> prod = PolicyPack.standard().forStack("team-prod").evaluate(noBackups);
        assertEquals(List.of("redis-backups-for-production"), prod.stream().map(Violation::policy).toList());
        assertEquals(EnforcementLevel.MANDATORY, prod.get(0).level());
        assertTrue(prod.get(0).message().contains("takes no backups"), prod.get(0).message());
        List<ResourceView> oneDay = change(productionCluster(), "prod", r -> with(r, "backups", Map.of("retentionDays", 1)));
        assertEquals(List.of(), PolicyPack.standard().forStack("prod").evaluate(oneDay), "one day is the minimum, and enough");
    }

    /** The property {@code name} removed from a resource. */
    private static ResourceView without(ResourceView r, String name) {
        java.util.Map<String, Object> p = new java.util.LinkedHashMap<>(r.properties());
        p.remove(name);
        return new ResourceView(r.type(), r.urn(), r.name(), p);
    }

    @Test
    void oneReplicaPerMasterIsOnlyAdvisedAgainstOnProd() {
        assertEquals(List.of(), PolicyPack.standard().forStack("dev").evaluate(Fixtures.safeCluster()));
        List<Violation> prod = PolicyPack.standard().forStack("prod").evaluate(Fixtures.safeCluster());
        assertEquals(3, prod.size(), prod::toString);
        assertTrue(prod.stream().allMatch(v -> v.policy().equals("redis-replicas-for-production")
                && v.level() == EnforcementLevel.ADVISORY && v.message().contains("Fix:")));
        assertTrue(prod.get(0).message().contains("node-0-0"), prod.get(0).message());
    }

    static Stream<Arguments> unsafeChanges() {
        return Stream.of(
                unsafe("redis-min-masters", "prod", () -> Fixtures.without(productionCluster(),
                        r -> r.tags().getOrDefault("redis-ha:shard", "").equals("2")), "prod", "masters to 3"),
                unsafe("redis-replicas-per-master", "dev", () -> Fixtures.cluster(3, 0, ZONES, ZoneLoss.ACCEPT_RISK),
                        "prod-node-0-0", "replicasPerMaster to at least 1"),
                unsafe("redis-replicas-for-production", "prod", Fixtures::safeCluster, "prod-node-0-0", "replicasPerMaster to 2"),
                unsafe("redis-masters-across-zones", "dev", () -> Fixtures.cluster(3, 1, List.of("us-east-1a", "us-east-1b"),
                        ZoneLoss.ACCEPT_RISK), "prod", "at least 3 availability zones"),
                unsafe("redis-replica-outside-master-zone", "dev", () -> change(Fixtures.safeCluster(), "prod-node-0-1",
                        r -> with(r, "tags.redis-ha:zone", "us-east-1a")), "prod-node-0-1", "planner"),
                unsafe("redis-zone-loss-survivable", "dev", () -> Fixtures.cluster(4, 1, ZONES, ZoneLoss.ACCEPT_RISK),
                        "prod", "Fix: choose masters and zones"),
                unsafe("redis-tuned-image", "dev", () -> change(Fixtures.safeCluster(), "prod-node-1-1",
                        r -> with(r, "tags.redis-ha:tunings", "thp=never,overcommit_memory=1,somaxconn=128")), "prod-node-1-1",
                        "imageProvidesTunings=true"),
                unsafe("redis-aof-enabled", "dev", () -> change(Fixtures.safeCluster(), "prod-node-2-0",
                        r -> with(r, "userData", Fixtures.userData("node-2-0", "5000", "11000mb", "no"))), "prod-node-2-0",
                        "appendonly yes"),
                unsafe("redis-maxmemory-headroom", "dev", () -> change(Fixtures.safeCluster(), "prod-node-0-0",
                        r -> with(r, "userData", Fixtures.userData("node-0-0", "5000", "15gb", "yes"))), "prod-node-0-0",
                        "maxmemoryPercent to 75 or less"),
                unsafe("redis-node-timeout-range", "dev", () -> change(Fixtures.safeCluster(), "prod-node-0-1",
                        r -> with(r, "userData", Fixtures.userData("node-0-1", "500", "11000mb", "yes"))), "prod-node-0-1",
                        "between 2000 and 30000"),
                unsafe("redis-no-open-ports", "dev", () -> Fixtures.add(Fixtures.safeCluster(), Fixtures.resource(ResourceView.INGRESS_RULE,
                        "open-bus", Map.of("cidrIpv6", "::/0", "fromPort", 16379, "toPort", 16379, "ipProtocol", "tcp"))), "open-bus",
                        "never from 0.0.0.0/0 or ::/0"),
                unsafe("redis-no-public-ip", "dev", () -> change(Fixtures.safeCluster(), "prod-node-1-0",
                        r -> with(r, "associatePublicIpAddress", true)), "prod-node-1-0", "associatePublicIpAddress(false)"),
                unsafe("redis-encrypted-volumes", "dev", () -> change(Fixtures.safeCluster(), "prod-node-2-1",
                        r -> with(r, "ebsBlockDevices", List.of(Map.of("deviceName", "/dev/sdf", "encrypted", false)))), "prod-node-2-1",
                        "encrypted(true)"),
                unsafe("redis-imdsv2-required", "dev", () -> change(Fixtures.safeCluster(), "prod-node-0-0",
                        r -> with(r, "metadataOptions.httpTokens", "optional")), "prod-node-0-0", "httpTokens(\"required\")"),
                unsafe("redis-engine-version", "dev", () -> change(Fixtures.safeCluster(), "prod",
                        r -> with(with(r, "engine", "redis"), "engineVersion", "6.2")), "prod", "redis-ha:engineVersion"),
                unsafe("redis-engine-end-of-support", "dev", () -> change(Fixtures.safeCluster(), "prod",
                        r -> with(r, "engineVersion", "7.2")), "prod", "nodeGeneration +1"),
                unsafe("valkey-availability-zone", "dev", () -> Fixtures.add(Fixtures.safeCluster(), Fixtures.resource(ResourceView.INSTANCE,
                        "valkey-box", Map.of("userData", "#!/bin/bash\napt-get install -y valkey-server\ncat > /etc/valkey/valkey.conf <<'EOF'\n"
                                + "cluster-enabled yes\nappendonly yes\nEOF\nsystemctl start valkey-server\n"))), "valkey-box", "availability-zone"),
                unsafe("redis-backups-for-production", "prod", () -> change(productionCluster(), "prod",
                        r -> without(r, "backups")), "prod", "retentionDays of 7"),
                unsafe("redis-backups-for-production", "production", () -> change(productionCluster(), "prod",
                        r -> with(r, "backups", Map.of("schedule", "rate(1 day)", "retentionDays", 0))), "prod", "keeps backups 0 day(s), needs at least 1"),
                unsafe("redis-auth-from-secret", "dev", () -> change(Fixtures.safeCluster(), "prod-node-1-1",
                        r -> with(r, "userData", "#!/bin/bash\ncat > /etc/redis/redis.conf <<'EOF'\ncluster-enabled yes\nappendonly yes\nmaxmemory 1gb\nrequirepass hunter2\nEOF\n")),
                        "prod-node-1-1", "SSM SecureString"));
    }

    private static Arguments unsafe(String rule, String stack, Supplier<List<ResourceView>> resources, String resource, String fix) {
        return Arguments.of(rule, stack, resources, resource, fix);
    }

    @ParameterizedTest(name = "{0} fails on an unsafe change naming {3}")
    @MethodSource("unsafeChanges")
    void everyRuleFailsItsUnsafeFixture(String rule, String stack, Supplier<List<ResourceView>> resources, String resource, String fix) {
        assertFails(rule, stack, resources.get(), resource, fix);
    }

    /** {@code rule} fires on {@code resources}, first on {@code resource}, at its default level, naming it and the fix. */
    static void assertFails(String rule, String stack, List<ResourceView> resources, String resource, String fix) {
        PolicyPack pack = PolicyPack.standard().forStack(stack);
        List<Violation> mine = pack.evaluate(resources).stream().filter(v -> v.policy().equals(rule)).toList();
        assertFalse(mine.isEmpty(), rule + " found nothing");
        Violation v = mine.get(0);
        assertEquals(resource, v.resourceName(), v.message());
        assertTrue(v.message().contains(resource), "message names the resource: " + v.message());
        assertTrue(v.message().contains("Fix:") && v.message().contains(fix), "message says the fix: " + v.message());
        assertEquals(pack.rule(rule).defaultLevel(), v.level());
        assertTrue(v.urn().startsWith("urn:pulumi:"), v.urn());
    }

    @ParameterizedTest(name = "{0} passes the safe cluster")
    @MethodSource("unsafeChanges")
    void everyRulePassesTheSafeCluster(String rule) {
        List<Violation> violations = PolicyPack.standard().forStack("prod").evaluate(productionCluster());
        assertTrue(violations.stream().noneMatch(v -> v.policy().equals(rule)), violations::toString);
    }

    @Test
    void engineRulesPassAMaintainedServerAndValkeyThatAnnouncesItsZone() {
        List<ResourceView> valkey82 = Fixtures.add(change(productionCluster(), "prod", r -> with(with(r, "engine", "valkey"), "engineVersion", "8.1.4")),
                Fixtures.resource(ResourceView.INSTANCE, "valkey-box", Map.of("userData", "#!/bin/bash\ncat > /etc/valkey/valkey.conf <<'EOF'\n"
                        + "cluster-enabled yes\navailability-zone us-east-1a\nEOF\nvalkey-server /etc/valkey/valkey.conf\n")));
        List<String> engineRules = List.of("redis-engine-version", "redis-engine-end-of-support", "valkey-availability-zone");
        assertEquals(List.of(), PolicyPack.standard().forStack("prod").evaluate(valkey82).stream()
                .filter(v -> engineRules.contains(v.policy())).toList());
        List<Violation> valkey72 = PolicyPack.standard().forStack("prod").evaluate(change(productionCluster(), "prod",
                r -> with(with(r, "engine", "valkey"), "engineVersion", "7.2.5"))).stream().filter(v -> engineRules.contains(v.policy())).toList();
        assertEquals(List.of("valkey-availability-zone"), valkey72.stream().map(Violation::policy).toList(), valkey72::toString);
    }

    @Test
    void everyRuleHasAnUnsafeFixture() {
        List<String> covered = Stream.concat(unsafeChanges(), EveryRedisRulesTest.unsafeChanges()).map(a -> (String) a.get()[0]).toList();
        PolicyPack.standard().rules().forEach(r -> assertTrue(covered.contains(r.name()), r.name() + " has no failing fixture"));
    }

    @Test
    void openClientPortOnAnInlineSecurityGroupRuleIsFound() {
        List<ResourceView> resources = change(Fixtures.safeCluster(), "prod-node-sg", r -> with(r, "ingress",
                List.of(Map.of("protocol", "-1", "fromPort", 0, "toPort", 0, "cidrBlocks", List.of("0.0.0.0/0")))));
        List<Violation> v = PolicyPack.standard().forStack("dev").evaluate(resources);
        assertEquals(1, v.size(), v::toString);
        assertTrue(v.get(0).message().contains("6379, 7000-7005, 16379, 17000-17005"), v.get(0).message());
    }

    @Test
    void passwordParameterMustBeSecureStringAndUserDataMustNotCarryASecret() {
        List<ResourceView> resources = change(Fixtures.safeCluster(), "prod-auth", r -> with(r, "type", "String"));
        resources = change(resources, "prod-node-0-0", r -> Fixtures.secret(r, "userData"));
        List<Violation> v = PolicyPack.standard().forStack("dev").evaluate(resources);
        assertEquals(List.of("prod", "prod-auth", "prod-node-0-0"), v.stream().map(Violation::resourceName).sorted().toList(), v::toString);
    }

    @Test
    void configChangesLevelsAndRangesAndRefusesUnknownKeys() {
        PolicyPack pack = PolicyPack.standard().forStack("dev");
        List<ResourceView> slow = change(Fixtures.safeCluster(), "prod-node-0-1",
                r -> with(r, "userData", Fixtures.userData("node-0-1", "20000", "11000mb", "yes")));
        assertTrue(pack.evaluate(slow).isEmpty());
        pack.configure("redis-node-timeout-range", Optional.of(EnforcementLevel.ADVISORY), Map.of("maxMs", 15000));
        List<Violation> v = pack.evaluate(slow);
        assertEquals(1, v.size());
        assertEquals(EnforcementLevel.ADVISORY, v.get(0).level());
        pack.configure("redis-node-timeout-range", Optional.of(EnforcementLevel.DISABLED), Map.of());
        assertTrue(pack.evaluate(slow).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pack.configure("redis-node-timeout-range", Optional.empty(), Map.of("maxSeconds", 3)));
        assertTrue(e.getMessage().contains("maxSeconds") && e.getMessage().contains("maxMs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pack.configure("no-such-rule", Optional.empty(), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> pack.configure("redis-min-masters", Optional.empty(), Map.of("minMasters", "three")));
    }

    @Test
    void unknownValuesDuringPreviewAreNotJudged() {
        List<ResourceView> resources = change(Fixtures.safeCluster(), "prod-node-0-0", r -> with(with(with(r, "userData", ResourceView.UNKNOWN),
                "metadataOptions.httpTokens", ResourceView.UNKNOWN), "rootBlockDevice.encrypted", ResourceView.UNKNOWN));
        assertEquals(List.of(), PolicyPack.standard().forStack("dev").evaluate(resources));
    }

    @Test
    void redisConfUnitsFollowRedis() {
        assertEquals(Optional.of(1024L * 1024 * 1024), UserDataRedisConf.bytes("1gb"));
        assertEquals(Optional.of(1_000_000L), UserDataRedisConf.bytes("1m"));
        assertEquals(Optional.of(42L), UserDataRedisConf.bytes("42"));
        assertEquals(Optional.empty(), UserDataRedisConf.bytes("lots"));
    }
}
