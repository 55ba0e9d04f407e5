package io.redisha.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The redis.conf directives every node runs, on EC2 and on this machine alike: cluster mode,
 * persistence and safety, with their defaults. Both renderers (the component's user data and
 * {@code local up}) take these lines from here and add only what differs by target (bind address,
 * ports, paths, AUTH, TLS files), so the two cannot drift apart.
 */
public final class RedisDirectives {
    /** {@code cluster-node-timeout} unless a cluster sets its own. */
    public static final int DEFAULT_NODE_TIMEOUT_MS = 5000;
    /** Refuse writes when full rather than evict: evicting would lose data silently. */
    public static final String DEFAULT_MAXMEMORY_POLICY = "noeviction";
    /** The policies Redis 7 accepts for {@code maxmemory-policy}. */
    public static final List<String> MAXMEMORY_POLICIES = List.of("noeviction", "allkeys-lru", "allkeys-lfu",
            "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl");

    /**
     * {@code min-replicas-max-lag} unless a cluster sets its own (Redis's default): a replica counts
     * for {@code min-replicas-to-write} while its last acknowledgement is at most this many seconds old.
     */
    public static final int DEFAULT_MIN_REPLICAS_MAX_LAG_SECONDS = 10;

    public static final String CLUSTER_NODE_TIMEOUT = "cluster-node-timeout";
    public static final String MAXMEMORY_POLICY = "maxmemory-policy";

    /** Without a bind to a trusted interface and a password, Redis answers nothing from outside. */
    public static final RedisDirective PROTECTED_MODE = new RedisDirective("protected-mode", "yes");
    public static final RedisDirective CLUSTER_ENABLED = new RedisDirective("cluster-enabled", "yes");
    /** A shard without a live copy stops the whole cluster instead of serving a partial key space. */
    public static final RedisDirective CLUSTER_REQUIRE_FULL_COVERAGE = new RedisDirective("cluster-require-full-coverage", "yes");
    /** A restarted node reloads its data instead of coming back empty. */
    public static final RedisDirective APPENDONLY = new RedisDirective("appendonly", "yes");
    /** At most a second of writes lost on a crash, without an fsync per write. */
    public static final RedisDirective APPENDFSYNC = new RedisDirective("appendfsync", "everysec");
    public static final RedisDirective LOGLEVEL = new RedisDirective("loglevel", "notice");
    public static final RedisDirective TLS_CLUSTER = new RedisDirective("tls-cluster", "yes");
    public static final RedisDirective TLS_REPLICATION = new RedisDirective("tls-replication", "yes");
    /** Clients may present a certificate; AUTH is what admits them. */
    public static final RedisDirective TLS_AUTH_CLIENTS = new RedisDirective("tls-auth-clients", "optional");

    private RedisDirectives() {
    }

    public static RedisDirective clusterNodeTimeout(int millis) {
        return new RedisDirective(CLUSTER_NODE_TIMEOUT, Integer.toString(millis));
    }

    /**
     * The safe write mode: a master refuses writes (NOREPLICAS) unless {@code minReplicasToWrite}
     * replicas acknowledged within {@code maxLagSeconds}, so a master cut off with its clients stops
     * accepting writes its replica will never see. Nothing when {@code minReplicasToWrite} is 0 (Redis's default).
     */
    public static List<RedisDirective> safeWrites(int minReplicasToWrite, int maxLagSeconds) {
        return minReplicasToWrite == 0 ? List.of() : List.of(new RedisDirective("min-replicas-to-write", Integer.toString(minReplicasToWrite)),
                new RedisDirective("min-replicas-max-lag", Integer.toString(maxLagSeconds)));
    }

    public static RedisDirective maxmemoryPolicy(String policy) {
        return new RedisDirective(MAXMEMORY_POLICY, policy);
    }

    /**
     * Everything both renderers must emit with exactly these values, for a node with this timeout,
     * eviction policy and transport.
     */
    public static List<RedisDirective> shared(int nodeTimeoutMs, String maxmemoryPolicy, boolean tls) {
        List<RedisDirective> shared = new ArrayList<>(List.of(PROTECTED_MODE, CLUSTER_ENABLED, clusterNodeTimeout(nodeTimeoutMs),
                CLUSTER_REQUIRE_FULL_COVERAGE, APPENDONLY, APPENDFSYNC, maxmemoryPolicy(maxmemoryPolicy), LOGLEVEL));
        if (tls) {
            shared.addAll(List.of(new RedisDirective("port", "0"), TLS_CLUSTER, TLS_REPLICATION, TLS_AUTH_CLIENTS));
        }
        return List.copyOf(shared);
    }
}
