package io.redisha.it;

import io.redisha.local.RedisConf;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZonedNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Real {@code redis-server} processes on free loopback ports, configured by the same renderer as
 * {@code local up}. Always cleaned up: {@link #close()} in tests, and a shutdown hook for anything
 * a crashed test leaves behind.
 *
 * <pre>try (RedisNodes nodes = RedisNodes.nodes(6).withPassword("s3cret").start()) { ... }</pre>
 */
public final class RedisNodes implements AutoCloseable {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Set<Integer> TAKEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

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
                for (int i = 0; i < count; i++) {
                    startOne(root, processes, addresses);
                }
                for (NodeAddress address : addresses) {
                    awaitAnswer(address, processes.get(addresses.indexOf(address)), root);
                }
                return nodes;
            } catch (RuntimeException e) {
                nodes.close();
                throw e;
            }
        }

        private void startOne(Path root, List<Process> processes, List<NodeAddress> addresses) {
            int port = freePortPair();
            Path dir = root.resolve("node-" + port);
            try {
                Files.createDirectories(dir);
                Path conf = dir.resolve("redis.conf");
                Files.writeString(conf, RedisConf.render(new RedisConf.Settings(port, dir, password, replicasPerMaster, false, tls)));
                Process process = new ProcessBuilder("redis-server", conf.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
                RUNNING.add(process);
                processes.add(process);
                addresses.add(new NodeAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start redis-server (installed? on PATH?)", e);
            }
        }
    }

    /** A port whose bus port (+10000) is free too, not handed out before in this JVM. */
    static int freePortPair() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 30000);
            if (free(port) && free(port + NodeAddress.BUS_PORT_OFFSET) && TAKEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair in 20000..40000");
    }

    /** {@code count} consecutive free port pairs, for {@code local up --base-port}. */
    public static int freeBasePort(int count) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 30000 - count);
            boolean ok = true;
            for (int p = base; p < base + count && ok; p++) {
                ok = free(p) && free(p + NodeAddress.BUS_PORT_OFFSET) && !TAKEN.contains(p);
            }
            if (ok) {
                for (int p = base; p < base + count; p++) {
                    TAKEN.add(p);
                }
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback port pairs");
    }

    public static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitAnswer(NodeAddress address, Process process, Path root) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on " + address + " exited: " + log(root, address));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", address.port()), 100);
                return;
            } catch (IOException e) {
                sleep(5);
            }
        }
        throw new IllegalStateException("redis-server on " + address + " did not answer within 10 s: " + log(root, address));
    }

    private static String log(Path root, NodeAddress address) {
        try {
            return Files.readString(root.resolve("node-" + address.port()).resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    public long pid(int i) {
        return processes.get(i).pid();
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            process.onExit().join();
            RUNNING.remove(process);
        }
        processes.forEach(p -> { });
        addresses.forEach(a -> TAKEN.remove(a.port()));
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is harmless; the processes are what must not leak.
        }
    }
}
