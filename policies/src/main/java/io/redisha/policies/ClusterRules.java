package io.redisha.policies;

import io.redisha.topology.InputLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Cluster-level rules: judged on all of a stack's nodes, with the shared planner's zone facts. */
final class ClusterRules {
    private ClusterRules() {
    }

    static Rule minMasters() {
        return new Rule("redis-min-masters",
                "A Redis Cluster needs at least 3 masters: only masters vote in a failover, and a majority must survive losing one.",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("minMasters", InputLimits.MASTERS.checklistMin(), "fewest masters a cluster may have")),
                new Rule.Check.PerStack((stack, s) -> {
                    int min = s.integer("minMasters");
                    List<Finding> findings = new ArrayList<>();
                    for (ClusterFacts c : stack.clusters()) {
                        int masters = c.masters().size();
                        if (masters < min) {
                            findings.add(new Finding(c.subject(), c.label() + " has " + masters + " master(s), needs at least "
                                    + min + ". Fix: set masters to " + min + " or more (e.g. redis-ha:masters: \"" + min + "\" in Pulumi."
                                    + stackOr(s) + ".yaml)."));
                        }
                        for (String shard : c.shards().keySet()) {
                            if (c.masterOf(shard).isEmpty()) {
                                findings.add(new Finding(c.shards().get(shard).get(0).instance(), c.label() + ": shard " + shard
                                        + " has no node tagged redis-ha:role=master. Fix: give exactly one node of each shard the master role (let the planner tag the nodes)."));
                            }
                        }
                    }
                    return findings;
                }));
    }

    static Rule replicasPerMaster() {
        return new Rule("redis-replicas-per-master",
                "Guide pitfall 2 (at least one replica per master): every master of a Redis Cluster on EC2, every ElastiCache node group and every MemoryDB shard has at least one replica, so losing one node loses no data and no slots.",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("minReplicas", InputLimits.REPLICAS_PER_MASTER.checklistMin(), "fewest replicas each master must have")),
                new Rule.Check.PerStack((stack, s) -> replicaFindings(stack, s.integer("minReplicas"), s,
                        "Fix: set replicasPerMaster to at least %d (e.g. redis-ha:replicasPerMaster: \"%d\").")));
    }

    /** Which stacks the production rules apply to; one setting, the same default for each of them. */
    static final ConfigProperty PRODUCTION_STACKS = ConfigProperty.strings("productionStacks", List.of("prod", "production"),
            "stack names (or name suffixes after '-') this rule applies to");

    static Rule replicasForProduction() {
        return new Rule("redis-replicas-for-production",
                "Guide pitfall 2 (two replicas per master is safer for production): on production stacks every master, ElastiCache node group and MemoryDB shard has 2 replicas, so a failover still leaves a replica.",
                EnforcementLevel.ADVISORY,
                List.of(ConfigProperty.integer("recommendedReplicas", 2, "replicas per master recommended for production stacks"),
                        PRODUCTION_STACKS),
                new Rule.Check.PerStack((stack, s) -> isProduction(s)
                        ? replicaFindings(stack, s.integer("recommendedReplicas"), s,
                        "Fix: for production set replicasPerMaster to %d (e.g. redis-ha:replicasPerMaster: \"%d\"), with at least one more zone than replicas per master.")
                        : List.of()));
    }

    static Rule mastersAcrossZones() {
        return new Rule("redis-masters-across-zones",
                "Masters are spread over at least 3 availability zones, so no zone holds the power to stop failover.",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("minZones", InputLimits.ZONES.checklistMin(), "fewest distinct zones the masters must run in")),
                new Rule.Check.PerStack((stack, s) -> {
                    int min = s.integer("minZones");
                    List<Finding> findings = new ArrayList<>();
                    for (ClusterFacts c : stack.clusters()) {
                        TreeSet<String> masterZones = new TreeSet<>();
                        c.masters().forEach(m -> masterZones.add(m.zone()));
                        int needed = Math.min(min, Math.max(1, c.masters().size()));
                        if (masterZones.size() < needed) {
                            findings.add(new Finding(c.subject(), c.label() + " runs its masters in " + masterZones.size()
                                    + " zone(s) " + masterZones + ", needs at least " + needed
                                    + ". Fix: list at least " + min + " availability zones (redis-ha:zones) so the planner spreads the masters."));
                        }
                    }
                    return findings;
                }));
    }

    static Rule replicaOutsideMasterZone() {
        return new Rule("redis-replica-outside-master-zone",
                "No replica runs in its master's availability zone: a zone outage would take both.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerStack((stack, s) -> {
                    List<Finding> findings = new ArrayList<>();
                    for (ClusterFacts c : stack.clusters()) {
                        for (String shard : c.shards().keySet()) {
                            c.masterOf(shard).ifPresent(master -> c.replicasOf(shard).stream()
                                    .filter(r -> r.zone().equals(master.zone()))
                                    .forEach(r -> findings.add(new Finding(r.instance(), "replica " + r.node() + " ("
                                            + r.instance().name() + ") runs in zone " + r.zone() + ", the zone of its master "
                                            + master.node() + ". Fix: place it with the planner (io.redisha.topology.Planner), which puts replica k of a shard k zones after its master; do not override zones per node."))));
                        }
                    }
                    return findings;
                }));
    }

    static Rule zoneLossSurvivable() {
        return new Rule("redis-zone-loss-survivable",
                "The cluster survives the loss of any one availability zone: the masters outside it are a majority, and every shard it masters has a replica elsewhere.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerStack((stack, s) -> {
                    List<Finding> findings = new ArrayList<>();
                    for (ClusterFacts c : stack.clusters()) {
                        if (!c.zoneSafety().survivesZoneLoss()) {
                            findings.add(new Finding(c.subject(), c.label() + " " + c.zoneSafety().summary() + ": "
                                    + String.join("; ", c.zoneSafety().problems())
                                    + ". Fix: choose masters and zones the planner accepts (e.g. masters a multiple of the zone count, 3 zones or more) and at least 1 replica per master."));
                        }
                    }
                    return findings;
                }));
    }

    private static List<Finding> replicaFindings(StackView stack, int min, Settings s, String fixFormat) {
        List<Finding> findings = new ArrayList<>();
        for (ClusterFacts c : stack.clusters()) {
            for (String shard : c.shards().keySet()) {
                c.masterOf(shard).ifPresent(master -> {
                    int replicas = c.replicasOf(shard).size();
                    if (replicas < min) {
                        findings.add(new Finding(master.instance(), "master " + master.node() + " (" + master.instance().name()
                                + ") of " + c.label() + " has " + replicas + " replica(s), needs " + min + ". "
                                + String.format(fixFormat, min, min)));
                    }
                });
            }
        }
        for (ResourceView r : ManagedRedis.in(stack)) {
            ManagedRedis.replicasPerShard(r).filter(n -> n < min).ifPresent(n -> findings.add(new Finding(r, ManagedRedis.kind(r) + " "
                    + r.label() + " has " + n + " replica(s) per " + (r.is(ResourceView.MEMORYDB_CLUSTER) ? "shard" : "node group")
                    + ", needs " + min + ". Fix: " + ManagedRedis.replicaFix(r, min))));
        }
        return findings;
    }

    static Rule backupsForProduction() {
        return new Rule("redis-backups-for-production",
                "AWS practice (ElastiCache keeps daily snapshots 1-35 days): on production stacks every RedisCluster takes scheduled backups to S3 (its backups input) kept at least minDays days.",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("minDays", InputLimits.BACKUP_RETENTION_DAYS.checklistMin(), "fewest days backups are kept"),
                        PRODUCTION_STACKS),
                new Rule.Check.PerResource((r, s) -> {
                    if (!r.is(ResourceView.REDIS_CLUSTER) || !isProduction(s) || r.isUnknown("backups")) {
                        return List.of();
                    }
                    int min = s.integer("minDays");
                    String fix = " Fix: set backups with retentionDays of " + Math.max(min, 7) + " (e.g. redis-ha:backups: {schedule: rate(1 day),"
                            + " retentionDays: " + Math.max(min, 7) + "} in Pulumi." + stackOr(s) + ".yaml); see docs/backups.md.";
                    if (r.get("backups").isEmpty()) {
                        return List.of(new Finding(r, "cluster '" + r.name() + "' on production stack " + stackOr(s)
                                + " takes no backups: a FLUSHALL or a bad deploy reaches every replica, and nothing restores it." + fix));
                    }
                    if (r.isUnknown("backups.retentionDays")) {
                        return List.of();
                    }
                    long days = r.number("backups.retentionDays").orElse(0L);
                    return days >= min ? List.of() : List.of(new Finding(r, "cluster '" + r.name() + "' keeps backups " + days
                            + " day(s), needs at least " + min + "." + fix));
                }));
    }

    static boolean isProduction(Settings s) {
        String stack = s.stack();
        return s.strings("productionStacks").stream().map(String::trim)
                .anyMatch(p -> stack.equals(p) || stack.endsWith("-" + p) || stack.endsWith("/" + p));
    }

    private static String stackOr(Settings s) {
        return s.stack().isEmpty() ? "<stack>" : s.stack();
    }
}
