package io.redisha.local;

import io.redisha.server.ServerBinary;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.RedisDirectives;
import io.redisha.topology.ZoneLoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code local up} started, written as JSON in the local directory so that {@code status}
 * and {@code down} find the processes again. {@code create} rewrites it when it grows or shrinks
 * the cluster, so the zones {@code status} judges are always those of every member.
 *
 * @param passwordEnv the environment variable holding the password; empty when AUTH is off
 * @param tls         true when the nodes listen on TLS only, with certificates in {@code DIR/tls}
 * @param basePort    the first client port {@code up} used
 * @param placement   the placement the members play today (the plan of {@code up}, or of the last {@code create})
 * @param retired     processes {@code up} started that a shrink removed from the cluster; {@code down} still stops them
 * @param rolling     during {@code local roll}: the next generation, {@code rolling[i]} replacing {@code nodes[i]};
 *                    empty otherwise
 * @param nodeTimeoutMs the nodes' {@code cluster-node-timeout}; {@code local roll} starts the next generation with it
 * @param minReplicasToWrite the safe write mode {@code up} started the nodes with (0: plain writes); a roll keeps it
 */
public record LocalState(int masters, int replicas, List<String> zones, String passwordEnv, List<Node> nodes, boolean tls,
                         int basePort, Placement placement, List<Node> retired, List<Node> rolling, int nodeTimeoutMs,
                         int minReplicasToWrite) {

    public LocalState(int masters, int replicas, List<String> zones, String passwordEnv, List<Node> nodes, boolean tls,
                      int basePort, Placement placement, List<Node> retired) {
        this(masters, replicas, zones, passwordEnv, nodes, tls, basePort, placement, retired, List.of(), RedisDirectives.DEFAULT_NODE_TIMEOUT_MS, 0);
    }

    public LocalState(int masters, int replicas, List<String> zones, String passwordEnv, List<Node> nodes, boolean tls) {
        this(masters, replicas, zones, passwordEnv, nodes, tls, 0, null, List.of());
    }

    public LocalState(int masters, int replicas, List<String> zones, String passwordEnv, List<Node> nodes) {
        this(masters, replicas, zones, passwordEnv, nodes, false);
    }

    /**
     * @param pid    0 for a node {@code local up} did not start (added by {@code create}): {@code down} leaves it running
     * @param server the executable that runs it (restarts use it again); the default server for state files from before
     */
    public record Node(String name, int port, String zone, long pid, String dir, String server) {
        @com.fasterxml.jackson.annotation.JsonCreator
        public Node {
            server = server == null || server.isEmpty() ? ServerBinary.defaultPath() : server;
        }

        public Node(String name, int port, String zone, long pid, String dir) {
            this(name, port, zone, pid, dir, "");
        }

        public boolean startedByUp() {
            return pid > 0;
        }
    }

    public LocalState {
        zones = List.copyOf(zones);
        nodes = List.copyOf(nodes);
        retired = retired == null ? List.of() : List.copyOf(retired);
        // State files written before rolling existed have no such field.
        rolling = rolling == null ? List.of() : List.copyOf(rolling);
        // State files written before the timeout was kept: local up rendered the default then.
        nodeTimeoutMs = nodeTimeoutMs > 0 ? nodeTimeoutMs : RedisDirectives.DEFAULT_NODE_TIMEOUT_MS;
        basePort = basePort > 0 ? basePort : nodes.stream().mapToInt(Node::port).min().orElse(0);
        if (placement == null) {
            // A state file from before placements were kept: the plan is deterministic from up's inputs.
            Map<String, NodeAddress> addresses = new LinkedHashMap<>();
            nodes.forEach(n -> addresses.put(n.name(), new NodeAddress(LocalCluster.HOST, n.port())));
            placement = new Placement(Planner.plan(masters, replicas, zones, ZoneLoss.ACCEPT_RISK), addresses);
        }
    }

    /** Every process {@code up} (or {@code local roll}) started, members, retired and the next generation alike. */
    public List<Node> processes() {
        return java.util.stream.Stream.of(nodes, retired, rolling).flatMap(List::stream).filter(Node::startedByUp).toList();
    }

    /** The same state with these nodes and next generation. */
    public LocalState withNodes(List<Node> nodes, List<Node> rolling) {
        return new LocalState(masters, replicas, zones, passwordEnv, nodes, tls, basePort, placement, retired, rolling, nodeTimeoutMs,
                minReplicasToWrite);
    }

    /** A finished roll: the next generation becomes the members, at the same planned names on their new ports. */
    public LocalState rolled() {
        Map<String, NodeAddress> addresses = new LinkedHashMap<>(placement.addresses());
        rolling.forEach(n -> addresses.replace(n.name(), new NodeAddress(LocalCluster.HOST, n.port())));
        return new LocalState(masters, replicas, zones, passwordEnv, rolling, tls, basePort,
                new Placement(placement.plan(), addresses, placement.retiring()), retired, List.of(), nodeTimeoutMs, minReplicasToWrite);
    }
}
