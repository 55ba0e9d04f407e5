package io.redisha.local;

import java.util.List;

/**
 * What {@code local up} started, written as JSON in the local directory so that {@code status}
 * and {@code down} find the processes again.
 *
 * @param passwordEnv the environment variable holding the password; empty when AUTH is off
 * @param tls         true when the nodes listen on TLS only, with certificates in {@code DIR/tls}
 * @param rolling     during {@code local roll}: the next generation, {@code rolling[i]} replacing {@code nodes[i]};
 *                    empty otherwise
 */
public record LocalState(int masters, int replicas, List<String> zones, String passwordEnv, List<Node> nodes, boolean tls,
                         List<Node> rolling) {

    public LocalState(int masters, int replicas, List<String> zones, String passwordEnv, List<Node> nodes, boolean tls) {
        this(masters, replicas, zones, passwordEnv, nodes, tls, List.of());
    }

    public LocalState(int masters, int replicas, List<String> zones, String passwordEnv, List<Node> nodes) {
        this(masters, replicas, zones, passwordEnv, nodes, false);
    }

    public record Node(String name, int port, String zone, long pid, String dir) {
    }

    public LocalState {
        zones = List.copyOf(zones);
        nodes = List.copyOf(nodes);
        // State files written before rolling existed have no such field.
        rolling = rolling == null ? List.of() : List.copyOf(rolling);
    }

    public LocalState withNodes(List<Node> nodes, List<Node> rolling) {
        return new LocalState(masters, replicas, zones, passwordEnv, nodes, tls, rolling);
    }
}
