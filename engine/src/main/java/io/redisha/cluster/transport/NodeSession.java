package io.redisha.cluster.transport;

import io.redisha.topology.NodeAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClusterResetType;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ShutdownParams;

/**
 * One connection to one node, the way the engine opens one (only the slot mover's pooled pipelines
 * keep raw connections of their own). Not thread-safe: one thread talks to a node at a time.
 */
public final class NodeSession implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static final int SOCKET_TIMEOUT_MS = 10000;
    private static final ProtocolCommand DEBUG = () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    final NodeAddress address;
    private final Jedis jedis;

    private NodeSession(NodeAddress address, Jedis jedis) {
        this.address = address;
        this.jedis = jedis;
    }

    /**
     * Connects and authenticates.
     *
     * @throws ClusterRefusedException naming the node and what to check when it cannot
     */
    public static NodeSession open(NodeAddress address, Credentials credentials) {
        return open(address, credentials, SOCKET_TIMEOUT_MS);
    }

    /** As {@link #open(NodeAddress, Credentials)}; {@code socketTimeoutMs} must exceed the longest command sent. */
    public static NodeSession open(NodeAddress address, Credentials credentials, int socketTimeoutMs) {
        Jedis jedis = null;
        try {
            jedis = new Jedis(new HostAndPort(address.bareHost(), address.port()), clientConfig(credentials, socketTimeoutMs));
            jedis.ping();
            return new NodeSession(address, jedis);
        } catch (JedisConnectionException e) {
            close(jedis);
            if (isAuthError(e)) {
                throw authFailed(address, credentials, e);
            }
            throw new ClusterRefusedException(address + " is unreachable", java.util.List.of(address
                    + ": cannot connect (" + rootMessage(e) + "); check that redis-server runs there and that port "
                    + address.port() + " (and the bus port " + address.busPort() + ") is open"
                    + (credentials.tls().isEmpty() ? "; if the nodes use TLS (port 0, tls-port), pass --tls --tls-ca-cert FILE" : "")));
        } catch (JedisDataException e) {
            close(jedis);
            if (isAuthError(e)) {
                throw authFailed(address, credentials, e);
            }
            throw new ClusterRefusedException(address + " answered with an error", java.util.List.of(address + ": " + e.getMessage()));
        } catch (JedisException e) {
            close(jedis);
            throw new ClusterRefusedException("cannot talk to " + address, java.util.List.of(address + ": " + e.getMessage()
                    + "; check that redis-server runs there, the port is open and the password is right"));
        }
    }

    /** How every connection to a node is made (the raw ones of {@link Nodes} too): timeouts, AUTH, TLS. */
    static DefaultJedisClientConfig clientConfig(Credentials credentials, int socketTimeoutMs) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(CONNECT_TIMEOUT_MS).socketTimeoutMillis(socketTimeoutMs);
        credentials.password().ifPresent(config::password);
        credentials.tls().ifPresent(t -> config.ssl(true).sslSocketFactory(t.socketFactory()));
        return config.build();
    }

    /** True when the node accepts a connection within {@code timeoutMs} (and the credentials). */
    public static boolean answers(NodeAddress address, Credentials credentials, int timeoutMs) {
        try (NodeSession ignored = open(address, credentials, timeoutMs)) {
            return true;
        } catch (ClusterRefusedException e) {
            return false;
        }
    }

    private static boolean isAuthError(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("NOAUTH") || m.contains("WRONGPASS") || m.contains("invalid password")
                    || m.contains("AUTH <password> called without any password configured")
                    || t instanceof redis.clients.jedis.exceptions.JedisAccessControlException) {
                return true;
            }
        }
        return false;
    }

    private static ClusterRefusedException authFailed(NodeAddress address, Credentials credentials, Exception e) {
        String what = credentials.password().isPresent()
                ? "the password was refused (" + rootMessage(e) + "); give the password set as requirepass on the node"
                : "the node requires a password (" + rootMessage(e) + "); pass it with --password-env VAR or --password-ssm NAME";
        return new ClusterRefusedException("AUTH failed on " + address, java.util.List.of(address + ": " + what));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static void close(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // Nothing to release on a connection that never opened.
            }
        }
    }

    /** CLUSTER NODES as the node sends it; {@code LiveCluster.MemberView.of(session)} parses it. */
    public String clusterNodes() {
        return jedis.clusterNodes();
    }

    public Map<String, String> clusterInfo() {
        return fields(jedis.clusterInfo());
    }

    public Map<String, String> info(String section) {
        return fields(jedis.info(section));
    }

    public long dbSize() {
        return jedis.dbSize();
    }

    /** A config value; empty when CONFIG is renamed or disabled on hardened nodes. */
    public Optional<String> config(String name) {
        try {
            return Optional.ofNullable(jedis.configGet(name).get(name));
        } catch (JedisDataException e) {
            return Optional.empty();
        }
    }

    /** CONFIG SET of several parameters in one command (Redis 7). */
    public void configSet(Map<String, String> values) {
        jedis.configSet(values);
    }

    public void setConfigEpoch(long epoch) {
        jedis.clusterSetConfigEpoch(epoch);
    }

    public void addSlots(java.util.List<io.redisha.topology.SlotRange> ranges) {
        int[] bounds = new int[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++) {
            bounds[2 * i] = ranges.get(i).first();
            bounds[2 * i + 1] = ranges.get(i).last();
        }
        jedis.clusterAddSlotsRange(bounds);
    }

    /** CLUSTER MEET wants an IP address, so a hostname in the plan is resolved here. */
    public void meet(NodeAddress other) {
        String ip;
        try {
            ip = InetAddress.getByName(other.bareHost()).getHostAddress();
        } catch (UnknownHostException e) {
            throw new ClusterRefusedException("cannot resolve " + other.host(), java.util.List.of(
                    other + ": the host name does not resolve from " + address + "; use an IP address in the plan"));
        }
        jedis.clusterMeet(ip, other.port());
    }

    public void replicate(String masterId) {
        jedis.clusterReplicate(masterId);
    }

    public void forget(String id) {
        jedis.clusterForget(id);
    }

    /**
     * CLUSTER RESET HARD. A node that is loading a dataset answers LOADING until it is done: seen on
     * Redis 8.2 when a drained master's replica had just migrated to another master and was loading
     * its full sync as the scale-in removed it. Waited for (up to a minute), never skipped.
     */
    public void resetHard() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                jedis.clusterReset(ClusterResetType.HARD);
                return;
            } catch (JedisDataException e) {
                if (!String.valueOf(e.getMessage()).startsWith("LOADING") || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A graceful CLUSTER FAILOVER (never FORCE or TAKEOVER): the master stops writes until the replica caught up. */
    public void failover() {
        jedis.clusterFailover();
    }

    /** CLUSTER FAILOVER FORCE on this replica: no handshake with its (dead) master, still elected by the masters. */
    public void failoverForce() {
        jedis.clusterFailover(redis.clients.jedis.args.ClusterFailoverOption.FORCE);
    }

    /** SHUTDOWN NOSAVE; the connection dropping as the server exits is the expected answer. */
    public void shutdownNoSave() {
        try {
            jedis.shutdown(ShutdownParams.shutdownParams().nosave());
        } catch (RuntimeException e) {
            // The server exits before it can reply.
        }
    }

    /** DEBUG SLEEP: blocks the node's event loop, cluster bus included (open with a socket timeout beyond {@code pause}). */
    public void debugSleep(java.time.Duration pause) {
        jedis.sendCommand(DEBUG, "SLEEP", String.format(java.util.Locale.ROOT, "%.3f", pause.toMillis() / 1000.0));
    }

    /** Keys in each slot, with one pipelined CLUSTER COUNTKEYSINSLOT per slot. */
    public Map<Integer, Long> countKeys(List<Integer> slots) {
        return countKeys(jedis, slots);
    }

    /** For the slot mover's own connections too: one way to count keys by slot. */
    public static Map<Integer, Long> countKeys(Jedis jedis, List<Integer> slots) {
        List<Object> replies = Pipelines.pipeline(jedis, slots.stream().map(s -> new byte[][] {Nodes.bytes("CLUSTER"),
                Nodes.bytes("COUNTKEYSINSLOT"), Nodes.bytes(s)}).toList());
        Map<Integer, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            counts.put(slots.get(i), replies.get(i) instanceof Long n ? n : 0L);
        }
        return counts;
    }

    /** Engine and version from INFO server (Valkey's own version, not the redis_version it reports for old clients). */
    public io.redisha.topology.ServerVersion server() {
        return io.redisha.topology.ServerVersion.fromInfo(info("server"));
    }

    public boolean clusterEnabled() {
        return "1".equals(info("cluster").get("cluster_enabled"));
    }

    /**
     * Names this connection and reports whether it is the only one under that name: a lease that every
     * process can see in CLIENT LIST and that ends when the connection closes, even if its holder dies.
     */
    public boolean holdsOnly(String clientName) {
        jedis.clientSetname(clientName);
        long mine = jedis.clientId();
        return jedis.clientList().lines()
                .filter(line -> (" " + line + " ").contains(" name=" + clientName + " "))
                .allMatch(line -> line.startsWith("id=" + mine + " "));
    }

    public static Map<String, String> fields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    @Override
    public void close() {
        close(jedis);
    }
}
