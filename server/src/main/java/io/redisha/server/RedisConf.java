package io.redisha.server;

import io.redisha.topology.RedisDirectives;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one redis.conf renderer for nodes started on this machine (local clusters, tests,
 * benchmarks): the shared {@link RedisDirectives} plus what is local's own (loopback only,
 * per-node ports and folders, a password in the file, DEBUG from loopback).
 */
public final class RedisConf {

    /**
     * @param replicasPerMaster sets repl-diskless-sync-max-replicas, so a master starts the first
     *                          sync as soon as its replicas are attached instead of waiting
     *                          repl-diskless-sync-delay (5 s) for more to come
     * @param daemonize         true for {@code local up} (the CLI exits, the nodes stay); false when
     *                          a test owns the process
     * @param nodeTimeoutMs     {@code cluster-node-timeout}, as the component's {@code nodeTimeoutMs}
     * @param minReplicasToWrite the safe write mode's {@code min-replicas-to-write} (0: plain writes)
     * @param server            the executable that runs the node (its version decides Valkey-only settings)
     * @param zone              the node's zone label: Valkey 8+ nodes announce it as {@code availability-zone}
     */
    public record Settings(int port, Path dir, Optional<String> password, int replicasPerMaster, boolean daemonize,
                           Optional<TlsFiles> tls, int nodeTimeoutMs, int minReplicasToWrite, ServerBinary server,
                           Optional<String> zone) {
        public Settings(int port, Path dir, Optional<String> password, int replicasPerMaster, boolean daemonize) {
            this(port, dir, password, replicasPerMaster, daemonize, Optional.empty());
        }

        public Settings(int port, Path dir, Optional<String> password, int replicasPerMaster, boolean daemonize,
                        Optional<TlsFiles> tls) {
            this(port, dir, password, replicasPerMaster, daemonize, tls, RedisDirectives.DEFAULT_NODE_TIMEOUT_MS, 0,
                    ServerBinary.defaultBinary(), Optional.empty());
        }

        public Settings withTls(TlsFiles files) {
            return new Settings(port, dir, password, replicasPerMaster, daemonize, Optional.of(files), nodeTimeoutMs, minReplicasToWrite,
                    server, zone);
        }

        public Settings withNodeTimeout(int millis) {
            return new Settings(port, dir, password, replicasPerMaster, daemonize, tls, millis, minReplicasToWrite, server, zone);
        }

        public Settings withMinReplicasToWrite(int replicas) {
            return new Settings(port, dir, password, replicasPerMaster, daemonize, tls, nodeTimeoutMs, replicas, server, zone);
        }

        /** The same node run by {@code server}, in {@code zone}. */
        public Settings on(ServerBinary server, String zone) {
            return new Settings(port, dir, password, replicasPerMaster, daemonize, tls, nodeTimeoutMs, minReplicasToWrite, server,
                    Optional.of(zone));
        }
    }

    /**
     * PEM files of a node: the same settings the EC2 component renders (tls-port, tls-cluster,
     * tls-replication, client certificates optional), with the plain port off.
     */
    public record TlsFiles(Path cert, Path key, Path caCert) {
    }

    private RedisConf() {
    }

    public static String render(Settings s) {
        Path dir = s.dir().toAbsolutePath();
        StringBuilder conf = new StringBuilder();
        conf.append("# Rendered by redis-ha; the directives every node runs, bound to loopback only.\n")
                .append("port ").append(s.tls().isPresent() ? 0 : s.port()).append('\n')
                // Never 0.0.0.0 on a developer machine: a password-less node would be open to the network.
                .append("bind 127.0.0.1\n")
                .append(RedisDirectives.PROTECTED_MODE.line())
                .append("daemonize ").append(s.daemonize() ? "yes" : "no").append('\n')
                .append("pidfile ").append(quote(pidFile(s).toString())).append('\n')
                .append(RedisDirectives.CLUSTER_ENABLED.line())
                .append("cluster-config-file nodes-").append(s.port()).append(".conf\n")
                .append(RedisDirectives.clusterNodeTimeout(s.nodeTimeoutMs()).line())
                .append(RedisDirectives.CLUSTER_REQUIRE_FULL_COVERAGE.line())
                .append(RedisDirectives.APPENDONLY.line())
                .append(RedisDirectives.APPENDFSYNC.line())
                .append("appendfilename \"appendonly-").append(s.port()).append(".aof\"\n")
                .append("dir ").append(quote(dir.toString())).append('\n')
                // A small share of a developer machine; the policy is the EC2 one (refuse writes, never evict).
                .append("maxmemory 256mb\n")
                .append(RedisDirectives.maxmemoryPolicy(RedisDirectives.DEFAULT_MAXMEMORY_POLICY).line())
                .append("logfile ").append(quote(dir.resolve("redis.log").toString())).append('\n')
                .append(RedisDirectives.LOGLEVEL.line())
                // DEBUG SLEEP from loopback only: 'drill --mode pause' freezes a node the way the guide does.
                .append("enable-debug-command local\n");
        s.tls().ifPresent(t -> conf.append("tls-port ").append(s.port()).append('\n')
                .append(RedisDirectives.TLS_CLUSTER.line())
                .append(RedisDirectives.TLS_REPLICATION.line())
                .append("tls-cert-file ").append(quote(t.cert().toAbsolutePath().toString())).append('\n')
                .append("tls-key-file ").append(quote(t.key().toAbsolutePath().toString())).append('\n')
                .append("tls-ca-cert-file ").append(quote(t.caCert().toAbsolutePath().toString())).append('\n')
                .append(RedisDirectives.TLS_AUTH_CLIENTS.line()));
        if (s.server().version().takesAvailabilityZone()) {
            // Clients with AZ affinity (GLIDE) read it from HELLO and prefer replicas in their own zone.
            s.zone().filter(z -> !z.isEmpty()).ifPresent(z -> conf.append("availability-zone ").append(quote(z)).append('\n'));
        }
        RedisDirectives.safeWrites(s.minReplicasToWrite(), RedisDirectives.DEFAULT_MIN_REPLICAS_MAX_LAG_SECONDS).forEach(d -> conf.append(d.line()));
        if (s.replicasPerMaster() > 0) {
            conf.append("repl-diskless-sync-max-replicas ").append(s.replicasPerMaster()).append('\n');
        }
        s.password().ifPresent(p -> conf.append("requirepass ").append(quote(p)).append('\n')
                // Every node needs masterauth: after a failover any node may become a replica.
                .append("masterauth ").append(quote(p)).append('\n'));
        return conf.toString();
    }

    /**
     * A standalone node that only reads a snapshot, for restore: loads {@code rdbFile} from
     * {@code dir} at start (Redis's own loader parses every type and encoding), never saves, no AOF
     * (which would be read instead of the RDB), no memory limit, DEBUG for DIGEST-VALUE.
     */
    public static String renderLoader(int port, Path dir, String rdbFile, String password) {
        Path abs = dir.toAbsolutePath();
        return "# Rendered by redis-ha restore: a temporary reader of one shard's snapshot.\n"
                + "port " + port + "\nbind 127.0.0.1\n" + RedisDirectives.PROTECTED_MODE.line()
                + "daemonize no\nappendonly no\nsave \"\"\nmaxmemory 0\n"
                + "dir " + quote(abs.toString()) + "\ndbfilename " + quote(rdbFile) + "\n"
                + "logfile " + quote(abs.resolve("loader.log").toString()) + "\n"
                + "requirepass " + quote(password) + "\nenable-debug-command local\n";
    }

    public static Path pidFile(Settings s) {
        return pidFile(s.dir(), s.port());
    }

    /** Where the node on {@code port} with folder {@code dir} writes its pid. */
    public static Path pidFile(Path dir, int port) {
        return dir.toAbsolutePath().resolve("redis-" + port + ".pid");
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
