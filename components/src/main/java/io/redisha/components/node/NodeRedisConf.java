package io.redisha.components.node;

import io.redisha.topology.NodeTunings;
import io.redisha.topology.RedisDirectives;
import java.util.List;

/**
 * Renders the {@code redis.conf} every EC2 node runs: the shared {@link RedisDirectives} plus what is
 * EC2's own (all interfaces of the private subnet, the data volume, AUTH from SSM, TLS files). The password is never part of it: user data
 * fetches it from SSM at boot into a separate file ({@link #AUTH_INCLUDE}) that only redis can read.
 *
 * <p>Paths follow the Debian {@code redis-server} package the node image installs: its systemd unit
 * reads {@code /etc/redis/redis.conf} and may only write under {@code /var/lib/redis}, where the
 * encrypted data volume is mounted.
 */
public final class NodeRedisConf {
    public static final int CLIENT_PORT = 6379;
    public static final int BUS_PORT = CLIENT_PORT + 10000;
    public static final String PATH = "/etc/redis/redis.conf";
    public static final String DATA_DIR = "/var/lib/redis";
    public static final String AUTH_INCLUDE = "/etc/redis/redis-ha-auth.conf";
    public static final String TLS_DIR = "/etc/redis/tls";
    /** The CA the nodes' certificates chain to, as user data writes it; converge trusts it over TLS. */
    public static final String TLS_CA_FILE = TLS_DIR + "/ca.crt";
    /** Redis' accept backlog, equal to the somaxconn the node image sets. */
    public static final String TCP_BACKLOG = NodeTunings.value("tcp_backlog");

    /** The policies Redis 7 accepts for {@code maxmemory-policy}. */
    public static final List<String> MAXMEMORY_POLICIES = RedisDirectives.MAXMEMORY_POLICIES;

    /**
     * @param nodeTimeoutMs   {@code cluster-node-timeout}
     * @param maxmemoryMb     {@code maxmemory}, in MiB
     * @param maxmemoryPolicy one of {@link #MAXMEMORY_POLICIES}
     * @param tls             serve clients, replication and the cluster bus over TLS only
     * @param minReplicasToWrite        {@code min-replicas-to-write} (0: not set, plain writes)
     * @param minReplicasMaxLagSeconds  {@code min-replicas-max-lag}
     */
    public record Settings(int nodeTimeoutMs, int maxmemoryMb, String maxmemoryPolicy, boolean tls, int minReplicasToWrite,
                           int minReplicasMaxLagSeconds) {
        public Settings(int nodeTimeoutMs, int maxmemoryMb, String maxmemoryPolicy, boolean tls) {
            this(nodeTimeoutMs, maxmemoryMb, maxmemoryPolicy, tls, 0, RedisDirectives.DEFAULT_MIN_REPLICAS_MAX_LAG_SECONDS);
        }
    }

    private NodeRedisConf() {
    }

    public static String render(Settings s) {
        StringBuilder conf = new StringBuilder();
        conf.append("# Written by redis-ha at first boot; changes are overwritten on the next instance replacement.\n");
        conf.append("# Private subnet only: bind all interfaces, protected by security groups, protected-mode and AUTH.\n");
        conf.append("bind 0.0.0.0\n");
        conf.append(RedisDirectives.PROTECTED_MODE.line());
        if (s.tls()) {
            conf.append("port 0\n");
            conf.append("tls-port ").append(CLIENT_PORT).append('\n');
            conf.append(RedisDirectives.TLS_CLUSTER.line());
            conf.append(RedisDirectives.TLS_REPLICATION.line());
            conf.append("tls-cert-file ").append(TLS_DIR).append("/node.crt\n");
            conf.append("tls-key-file ").append(TLS_DIR).append("/node.key\n");
            conf.append("tls-ca-cert-file ").append(TLS_CA_FILE).append('\n');
            conf.append(RedisDirectives.TLS_AUTH_CLIENTS.line());
        } else {
            conf.append("port ").append(CLIENT_PORT).append('\n');
        }
        // Set here rather than through NodeTunings.REDIS_CONF_INCLUDE: an include of a file that a
        // bring-your-own AMI lacks stops redis-server from starting; the value is the image's own.
        conf.append("tcp-backlog ").append(TCP_BACKLOG).append('\n');
        conf.append("\n# Cluster\n");
        conf.append(RedisDirectives.CLUSTER_ENABLED.line());
        conf.append("cluster-config-file nodes.conf\n");
        conf.append(RedisDirectives.clusterNodeTimeout(s.nodeTimeoutMs()).line());
        conf.append(RedisDirectives.CLUSTER_REQUIRE_FULL_COVERAGE.line());
        List<io.redisha.topology.RedisDirective> safeWrites = RedisDirectives.safeWrites(s.minReplicasToWrite(), s.minReplicasMaxLagSeconds());
        if (!safeWrites.isEmpty()) {
            conf.append("\n# Safe write mode: refuse writes no replica acknowledges (clients add WAIT 1 <ms> to writes that must survive)\n");
            safeWrites.forEach(d -> conf.append(d.line()));
        }
        conf.append("\n# Persistence on the encrypted data volume\n");
        conf.append("dir ").append(DATA_DIR).append('\n');
        conf.append(RedisDirectives.APPENDONLY.line());
        conf.append(RedisDirectives.APPENDFSYNC.line());
        conf.append("\n# Memory: a share of the instance's memory, the rest is left to the OS and fork copy-on-write\n");
        conf.append("maxmemory ").append(s.maxmemoryMb()).append("mb\n");
        conf.append(RedisDirectives.maxmemoryPolicy(s.maxmemoryPolicy()).line());
        conf.append("\n# Logging\n");
        conf.append("logfile /var/log/redis/redis-server.log\n");
        conf.append(RedisDirectives.LOGLEVEL.line());
        conf.append("\n# AUTH: requirepass and masterauth, fetched from SSM at boot\n");
        conf.append("include ").append(AUTH_INCLUDE).append('\n');
        return conf.toString();
    }
}
