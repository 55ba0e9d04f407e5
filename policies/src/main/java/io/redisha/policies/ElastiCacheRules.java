package io.redisha.policies;

import java.util.List;
import java.util.Optional;

/**
 * ElastiCache for Redis and Valkey (replication groups, single cache clusters, serverless caches),
 * judged by AWS's own resilience and security practice for ElastiCache. Inputs left out take the
 * AWS provider's defaults, which are the unsafe ones (no failover, no encryption, no snapshots).
 */
final class ElastiCacheRules {
    private ElastiCacheRules() {
    }

    static Rule failoverMultiAz() {
        return new Rule("elasticache-failover-multi-az",
                "AWS practice (ElastiCache resilience) and the guide's automatic failover: replication groups enable automatic failover and Multi-AZ;"
                        + " a single cache cluster cannot fail over at all.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> {
                    if (ManagedRedis.isStandaloneCluster(r)) {
                        return List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label()
                                + " is one node: when it fails, nothing takes over. Fix: " + ManagedRedis.replicaFix(r, 1)
                                + " with automaticFailoverEnabled and multiAzEnabled true."));
                    }
                    if (!ManagedRedis.isReplicationGroup(r)) {
                        return List.of();
                    }
                    Optional<Boolean> failover = ManagedRedis.flag(r, "automaticFailoverEnabled", false);
                    Optional<Boolean> multiAz = ManagedRedis.flag(r, "multiAzEnabled", false);
                    StringBuilder off = new StringBuilder();
                    failover.filter(on -> !on).ifPresent(x -> off.append("automaticFailoverEnabled is false"));
                    multiAz.filter(on -> !on).ifPresent(x -> off.append(off.length() > 0 ? ", " : "").append("multiAzEnabled is false"));
                    return off.length() == 0 ? List.of() : List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label() + ": " + off
                            + " (a failed primary is not replaced by a replica in another zone). Fix: set automaticFailoverEnabled(true) and"
                            + " multiAzEnabled(true), with at least one replica."));
                }));
    }

    static Rule encryption() {
        return new Rule("elasticache-encryption",
                "AWS practice (ElastiCache data security): encryption in transit (TLS) and at rest; a single cache cluster cannot encrypt at rest.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> {
                    if (!ManagedRedis.isReplicationGroup(r) && !ManagedRedis.isStandaloneCluster(r)) {
                        return List.of(); // serverless caches are always encrypted
                    }
                    StringBuilder off = new StringBuilder();
                    ManagedRedis.flag(r, "transitEncryptionEnabled", false).filter(on -> !on)
                            .ifPresent(x -> off.append("transitEncryptionEnabled is false"));
                    if (ManagedRedis.isStandaloneCluster(r)) {
                        off.append(off.length() > 0 ? ", " : "").append("a single cache cluster has no encryption at rest");
                    } else {
                        boolean valkey = r.string("engine").orElse("redis").equalsIgnoreCase("valkey");
                        ManagedRedis.flag(r, "atRestEncryptionEnabled", valkey).filter(on -> !on)
                                .ifPresent(x -> off.append(off.length() > 0 ? ", " : "").append("atRestEncryptionEnabled is false"));
                    }
                    return off.length() == 0 ? List.of() : List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label() + ": " + off
                            + ". Fix: " + (ManagedRedis.isStandaloneCluster(r) ? "declare a replicationGroup with " : "set ")
                            + "transitEncryptionEnabled(true) and atRestEncryptionEnabled(true) (with a kmsKeyId if you manage keys)."));
                }));
    }

    static Rule auth() {
        return new Rule("elasticache-auth",
                "AWS practice (ElastiCache AUTH or RBAC), as the guide's requirepass: clients authenticate with an AUTH token from a secret or an RBAC user group.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerResource((r, s) -> {
                    String fix = " Fix: set userGroupIds (RBAC, preferred) or authToken from a Pulumi secret (pulumi config set --secret), with transitEncryptionEnabled(true).";
                    if (ManagedRedis.isStandaloneCluster(r)) {
                        return List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label()
                                + " cannot require AUTH: anyone who reaches its port can read and write." + fix
                                .replace("set userGroupIds", "declare a replicationGroup with userGroupIds")));
                    }
                    if (ManagedRedis.isServerless(r)) {
                        return r.get("userGroupId").isPresent() || r.isUnknown("userGroupId") ? List.of()
                                : List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label()
                                + " has no userGroupId: the default user needs no password. Fix: set userGroupId to an RBAC user group whose default user is disabled."));
                    }
                    if (!ManagedRedis.isReplicationGroup(r) || r.isUnknown("authToken") || r.isUnknown("userGroupIds")) {
                        return List.of();
                    }
                    boolean rbac = !r.list("userGroupIds").isEmpty();
                    Optional<Object> token = r.get("authToken");
                    if (token.isPresent() && !r.secretPaths().contains("authToken")) {
                        return List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label()
                                + " sets authToken as a plain value: it is stored readable in the stack's state and history." + fix));
                    }
                    return rbac || token.isPresent() ? List.of() : List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label()
                            + " requires no AUTH: anyone who reaches its port can read and write." + fix));
                }));
    }

    static Rule snapshots() {
        return new Rule("elasticache-snapshots",
                "AWS practice (ElastiCache backups), as the guide's AOF persistence: automatic snapshots are kept (snapshotRetentionLimit of at least minDays).",
                EnforcementLevel.MANDATORY,
                List.of(ConfigProperty.integer("minDays", 1, "fewest days automatic snapshots are kept")),
                new Rule.Check.PerResource((r, s) -> {
                    int min = s.integer("minDays");
                    boolean judged = ManagedRedis.isReplicationGroup(r) || ManagedRedis.isStandaloneCluster(r) || ManagedRedis.isServerless(r);
                    if (!judged || r.isUnknown("snapshotRetentionLimit")) {
                        return List.of();
                    }
                    long days = r.number("snapshotRetentionLimit").orElse(0L);
                    return days >= min ? List.of() : List.of(new Finding(r, ManagedRedis.kind(r) + " " + r.label()
                            + " keeps snapshots for " + days + " day(s) (0 = no automatic backups), needs at least " + min
                            + ". Fix: set snapshotRetentionLimit to " + Math.max(min, 7) + " (days) and a snapshotWindow outside peak hours."));
                }));
    }
}
