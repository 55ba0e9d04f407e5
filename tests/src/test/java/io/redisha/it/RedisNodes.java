package io.redisha.it;

import io.redisha.server.RedisConf;
import io.redisha.server.RedisServerProcess;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZonedNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Real {@code redis-server} processes on free loopback ports, started by the same launcher and
 * renderer as {@code local up} ({@link RedisServerProcess}). Always cleaned up: {@link #close()} in
 * tests, and the launcher's shutdown hook for anything a crashed test leaves behind.
 *
 * <pre>try (RedisNodes nodes = RedisNodes.nodes(6).withPassword("s3cret").start()) { ... }</pre>
 */
public final class RedisNodes implements AutoCloseable {
    private final List<Process> processes;
    private final List<NodeAddress> addresses;
    private final Path root;
    private final Optional<String> password;

    private RedisNodes(List<Process> processes, List<NodeAddress> addresses, Path root, Optional<String> password) {
        this.processes = processes;
        this.addresses = addresses;
        this.root = root;
        this.password = password;
    }

    public static Builder nodes(int count) {
        return new Builder(count);
    }

    public static final class Builder {
        private final int count;
        private Optional<String> password = Optional.empty();
        private int replicasPerMaster = 1;
        private Optional<RedisConf.TlsFiles> tls = Optional.empty();
        private Optional<io.redisha.server.ServerBinary> server = Optional.empty();

        private Builder(int count) {
            this.count = count;
        }

        /** requirepass and masterauth on every node. */
        public Builder withPassword(String password) {
            this.password = Optional.of(password);
            return this;
        }

        /** TLS only (port 0, tls-port, tls-cluster, tls-replication), with these PEM files. */
        public Builder withTls(RedisConf.TlsFiles files) {
            this.tls = Optional.of(files);
            return this;
        }

        /** Run by this executable instead of the default ({@code redis-ha.server}, else redis-server). */
        public Builder withServer(io.redisha.server.ServerBinary server) {
            this.server = Optional.of(server);
            return this;
        }

        public Builder withReplicasPerMaster(int replicas) {
            this.replicasPerMaster = replicas;
            return this;
        }

        public RedisNodes start() {
            Path root;
            try {
                root = Files.createTempDirectory("redis-ha-nodes");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Process> processes = new ArrayList<>();
            List<NodeAddress> addresses = new ArrayList<>();
            RedisNodes nodes = new RedisNodes(processes, addresses, root, password);
            try {
                // All started before any is awaited: they boot in parallel.
                for (int i = 0; i < count; i++) {
                    int port = RedisServerProcess.freePortPair();
                    addresses.add(new NodeAddress("127.0.0.1", port));
                    RedisConf.Settings settings = new RedisConf.Settings(port, root.resolve("node-" + port), password, replicasPerMaster, false, tls);
                    processes.add(RedisServerProcess.startOwned(server.map(b -> settings.on(b, "")).orElse(settings)));
                }
                for (int i = 0; i < count; i++) {
                    RedisServerProcess.awaitReady(processes.get(i), addresses.get(i).port(), root.resolve("node-" + addresses.get(i).port()));
                }
                return nodes;
            } catch (RuntimeException e) {
                nodes.close();
                throw e;
            }
        }
    }

    /** A port whose bus port (+10000) is free too, not handed out before in this JVM. */
    static int freePortPair() {
        return RedisServerProcess.freePortPair();
    }

    /** {@code count} consecutive free port pairs, for {@code local up --base-port}. */
    public static int freeBasePort(int count) {
        return RedisServerProcess.freeBasePort(count);
    }

    public static boolean free(int port) {
        return RedisServerProcess.portFree(port);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** CPU time the servers have used so far, user and system, summed (from /proc, through ProcessHandle). */
    public long cpuMillis() {
        return processes.stream().mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toMillis)
                .orElseThrow(() -> new IllegalStateException("no CPU time for redis-server pid " + p.pid()))).sum();
    }

    public List<NodeAddress> addresses() {
        return List.copyOf(addresses);
    }

    public NodeAddress address(int i) {
        return addresses.get(i);
    }

    /** Node i in zone {@code zones[i mod zones.size()]}. */
    public List<ZonedNode> zoned(List<String> zones) {
        List<ZonedNode> zoned = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            zoned.add(new ZonedNode(addresses.get(i), zones.get(i % zones.size())));
        }
        return zoned;
    }

    /** A fresh connection; close it. */
    public Jedis jedis(NodeAddress address) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder();
        password.ifPresent(config::password);
        return new Jedis(new HostAndPort(address.host(), address.port()), config.build());
    }

    public Jedis jedis(int i) {
        return jedis(addresses.get(i));
    }

    /** SIGKILL the node at {@code address}, like a crashed host; returns once it is gone. */
    public void kill(NodeAddress address) {
        int i = addresses.indexOf(address);
        if (i < 0) {
            throw new IllegalArgumentException(address + " is not one of " + addresses);
        }
        RedisServerProcess.stop(processes.get(i));
    }

    public long pid(int i) {
        return processes.get(i).pid();
    }

    @Override
    public void close() {
        processes.forEach(RedisServerProcess::stop);
        addresses.forEach(a -> RedisServerProcess.release(a.port()));
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is harmless; the processes are what must not leak.
        }
    }
}
