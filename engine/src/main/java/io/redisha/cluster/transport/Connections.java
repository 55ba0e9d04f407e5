package io.redisha.cluster.transport;

import io.redisha.topology.NodeAddress;
import java.net.Socket;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * Connections for verbs outside this package (backup, restore): the same timeouts, AUTH and TLS as
 * every engine connection, and the same binary pipeline the slot mover uses.
 */
public final class Connections {
    private Connections() {
    }

    /** A connected, authenticated Jedis; {@code socketTimeoutMs} must exceed the longest command sent. */
    public static Jedis open(NodeAddress address, Credentials credentials, int socketTimeoutMs) {
        return Nodes.connect(address, credentials, socketTimeoutMs);
    }

    /** Sends every command before reading any reply; an error reply is returned in its place as an exception. */
    public static List<Object> pipeline(Jedis jedis, List<byte[][]> commands) {
        return Pipelines.pipeline(jedis, commands);
    }

    /** INFO's {@code field:value} lines as a map. */
    public static java.util.Map<String, String> fields(String info) {
        return NodeSession.fields(info);
    }

    /** A plain or TLS socket to the node, connected, for protocols Jedis does not speak (the replication stream). */
    public static Socket socket(NodeAddress address, Credentials credentials, int socketTimeoutMs) throws java.io.IOException {
        Socket plain = new Socket();
        plain.connect(new java.net.InetSocketAddress(address.bareHost(), address.port()), 2000);
        plain.setSoTimeout(socketTimeoutMs);
        if (credentials.tls().isEmpty()) {
            return plain;
        }
        return credentials.tls().get().socketFactory().createSocket(plain, address.bareHost(), address.port(), true);
    }
}
