package io.redisha.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** A Redis node's client endpoint. The cluster bus listens on {@code port + 10000}. */
public record NodeAddress(String host, int port) implements Comparable<NodeAddress> {
    /** The cluster bus port is the client port plus this offset, so the client port must leave room. */
    public static final int BUS_PORT_OFFSET = 10000;
    public static final int MAX_CLIENT_PORT = 65535 - BUS_PORT_OFFSET;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]");

    public NodeAddress {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new InvalidPlanException("host", host, "a hostname, an IPv4 address or a bracketed IPv6 address");
        }
        if (port < 1 || port > MAX_CLIENT_PORT) {
            throw new InvalidPlanException("port", port, "1.." + MAX_CLIENT_PORT
                    + " (the cluster bus uses port+" + BUS_PORT_OFFSET + ", which must stay <= 65535)");
        }
    }

    /** Parses {@code HOST:PORT}; IPv6 hosts are written in brackets, {@code [::1]:7000}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static NodeAddress parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new InvalidPlanException("node", text, "HOST:PORT, for example 10.0.1.15:6379");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidPlanException("node", text, "HOST:PORT with a numeric port, for example 10.0.1.15:6379");
        }
        return new NodeAddress(text.substring(0, colon), port);
    }

    public int busPort() {
        return port + BUS_PORT_OFFSET;
    }

    /** The host as Redis commands such as CLUSTER MEET want it: IPv6 without brackets. */
    public String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public int compareTo(NodeAddress other) {
        int byHost = host.compareTo(other.host);
        return byHost != 0 ? byHost : Integer.compare(port, other.port);
    }

    @JsonValue
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
