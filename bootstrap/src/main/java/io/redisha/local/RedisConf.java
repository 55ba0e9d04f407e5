package io.redisha.local;

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
     */
    public record Settings(int port, Path dir, Optional<String> password, int replicasPerMaster, boolean daemonize,
                           Optional<TlsFiles> tls) {
        public Settings(int port, Path dir, Optional<String> password, int replicasPerMaster, boolean daemonize) {
            this(port, dir, password, replicasPerMaster, daemonize, Optional.empty());
        }

        public Settings withTls(TlsFiles files) {
            return new Settings(port, dir, password, replicasPerMaster, daemonize, Optional.of(files));
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
                .append(RedisDirectives.clusterNodeTimeout(RedisDirectives.DEFAULT_NODE_TIMEOUT_MS).line())
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
