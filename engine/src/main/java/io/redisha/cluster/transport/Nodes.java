package io.redisha.cluster.transport;

import io.redisha.topology.NodeAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** Raw Jedis connections for the slot mover (pooled, pipelines, binary keys); everything else opens a {@link NodeSession}. */
public final class Nodes {
    private Nodes() {
    }

    /** A connected, authenticated Jedis; {@code socketTimeoutMs} must exceed the longest command (MIGRATE). */
    public static Jedis connect(NodeAddress address, Credentials credentials, int socketTimeoutMs) {
        try {
            Jedis jedis = new Jedis(new HostAndPort(address.bareHost(), address.port()), NodeSession.clientConfig(credentials, socketTimeoutMs));
            jedis.ping();
            return jedis;
        } catch (JedisException e) {
            throw new ClusterRefusedException("cannot talk to " + address, List.of(address + ": " + e.getMessage()
                    + "; check that redis-server runs there, the port is open and the password is right"));
        }
    }

    public static void closeQuietly(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // Closing a broken connection has nothing left to release.
            }
        }
    }

    /** The same node: same port and same resolved IP (a plan may name a host where the cluster lists its IP). */
    public static boolean same(NodeAddress a, NodeAddress b) {
        return a.port() == b.port() && ip(a).equals(ip(b));
    }

    /** MIGRATE and CLUSTER MEET want an address the server can dial; resolve host names here. */
    public static String ip(NodeAddress address) {
        try {
            return InetAddress.getByName(address.bareHost()).getHostAddress();
        } catch (UnknownHostException e) {
            throw new ClusterRefusedException("cannot resolve " + address.host(), List.of(address + ": the host name does not resolve"));
        }
    }

    public static byte[] bytes(String s) {
        return Pipelines.bytes(s);
    }

    public static byte[] bytes(long n) {
        return Pipelines.bytes(n);
    }
}
