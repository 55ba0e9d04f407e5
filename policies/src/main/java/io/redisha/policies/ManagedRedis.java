package io.redisha.policies;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Redis run by AWS as a stack declares it: ElastiCache replication groups, single cache clusters
 * and serverless caches (engine redis or valkey), and MemoryDB clusters. Defaults are the AWS
 * provider's when an input is left out (for example no replicas, no encryption, no snapshots).
 */
final class ManagedRedis {
    private ManagedRedis() {
    }

    /** Any managed Redis the rules judge (memcached caches are not Redis). */
    static boolean is(ResourceView r) {
        return isReplicationGroup(r) || isStandaloneCluster(r) || isServerless(r) || r.is(ResourceView.MEMORYDB_CLUSTER);
    }

    static boolean isReplicationGroup(ResourceView r) {
        return r.is(ResourceView.ELASTICACHE_REPLICATION_GROUP) && redisEngine(r);
    }

    /** A single-node cache cluster that is not a member of a replication group. */
    static boolean isStandaloneCluster(ResourceView r) {
        return r.is(ResourceView.ELASTICACHE_CLUSTER) && redisEngine(r) && r.get("replicationGroupId").isEmpty();
    }

    static boolean isServerless(ResourceView r) {
        return r.is(ResourceView.ELASTICACHE_SERVERLESS) && redisEngine(r);
    }

    /** redis or valkey; a replication group defaults to redis, a cluster or serverless cache must say. */
    private static boolean redisEngine(ResourceView r) {
        if (r.isUnknown("engine")) {
            return true;
        }
        String engine = r.string("engine").orElse(r.is(ResourceView.ELASTICACHE_REPLICATION_GROUP) ? "redis" : "").toLowerCase(Locale.ROOT);
        return engine.equals("redis") || engine.equals("valkey");
    }

    /**
     * Replicas of each node group (shard); the fewest when node groups differ. Empty when the
     * count is not known yet, or the service manages replication itself (serverless).
     */
    static Optional<Long> replicasPerShard(ResourceView r) {
        if (r.is(ResourceView.MEMORYDB_CLUSTER)) {
            return r.isUnknown("numReplicasPerShard") ? Optional.empty() : Optional.of(r.number("numReplicasPerShard").orElse(1L));
        }
        if (isStandaloneCluster(r)) {
            return Optional.of(0L);
        }
        if (!isReplicationGroup(r) || r.isUnknown("numCacheClusters") || r.isUnknown("replicasPerNodeGroup")
                || r.isUnknown("nodeGroupConfigurations")) {
            return Optional.empty();
        }
        Optional<Long> perGroup = r.list("nodeGroupConfigurations").stream()
                .filter(Map.class::isInstance).map(g -> ((Map<?, ?>) g).get("replicaCount"))
                .map(ResourceView::asLong).flatMap(Optional::stream).min(Long::compare);
        if (perGroup.isPresent()) {
            return perGroup;
        }
        Optional<Long> clusters = r.number("numCacheClusters");
        if (clusters.isPresent()) {
            return Optional.of(clusters.get() - 1);
        }
        // numCacheClusters defaults to 1 (a primary alone); replicasPerNodeGroup to 0
        return Optional.of(r.number("replicasPerNodeGroup").orElse(0L));
    }

    /** How to give each shard {@code replicas} replicas, in the resource's own inputs. */
    static String replicaFix(ResourceView r, long replicas) {
        if (r.is(ResourceView.MEMORYDB_CLUSTER)) {
            return "set numReplicasPerShard to " + replicas + ".";
        }
        if (isStandaloneCluster(r)) {
            return "declare an aws:elasticache/replicationGroup instead of a single cache cluster, with numCacheClusters "
                    + (replicas + 1) + " (or replicasPerNodeGroup " + replicas + " in cluster mode).";
        }
        return r.get("numCacheClusters").isEmpty() && (r.get("numNodeGroups").isPresent() || r.get("replicasPerNodeGroup").isPresent())
                ? "set replicasPerNodeGroup to " + replicas + " (and every nodeGroupConfigurations[].replicaCount)."
                : "set numCacheClusters to " + (replicas + 1) + " (a primary and " + replicas + " replica(s)).";
    }

    /** "replication group", "cache cluster", ... for messages. */
    static String kind(ResourceView r) {
        if (r.is(ResourceView.MEMORYDB_CLUSTER)) {
            return "MemoryDB cluster";
        }
        return isServerless(r) ? "ElastiCache serverless cache" : isStandaloneCluster(r) ? "ElastiCache cache cluster" : "ElastiCache replication group";
    }

    /** A boolean input, with the provider's default when absent; empty when not known yet. */
    static Optional<Boolean> flag(ResourceView r, String key, boolean byDefault) {
        return r.isUnknown(key) ? Optional.empty() : Optional.of(r.bool(key).orElse(byDefault));
    }

    static List<ResourceView> in(StackView stack) {
        return stack.resources().stream().filter(ManagedRedis::is).toList();
    }
}
