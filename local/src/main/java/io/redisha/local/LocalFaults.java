package io.redisha.local;

import io.redisha.cluster.Faults;
import io.redisha.topology.NodeAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/** A local cluster's nodes: kill is SIGKILL of the pid in the state file, restart starts the same config again. */
public final class LocalFaults implements Faults {
    private final LocalCluster cluster;
    private final Map<NodeAddress, LocalState.Node> nodes = new LinkedHashMap<>();

    public LocalFaults(LocalCluster cluster) {
        this.cluster = cluster;
        cluster.requireState().nodes().forEach(n -> nodes.put(new NodeAddress("127.0.0.1", n.port()), n));
    }

    /** The zone label of every local node. */
    public Map<NodeAddress, String> zones() {
        Map<NodeAddress, String> zones = new LinkedHashMap<>();
        nodes.forEach((a, n) -> zones.put(a, n.zone()));
        return zones;
    }

    private LocalState.Node node(NodeAddress address) {
        LocalState.Node n = nodes.get(address);
        if (n == null) {
            throw new IllegalArgumentException(address + " is not a node of the local cluster in " + cluster.dir());
        }
        if (!n.startedByUp()) {
            throw new IllegalArgumentException(address + " was added by 'create', not started by 'local up': the local drill"
                    + " only stops nodes it can restart; drill it with 'redis-ha drill --allow-shutdown'");
        }
        // The state file holds the current pid (a restart changes it).
        return cluster.requireState().nodes().stream().filter(s -> s.name().equals(n.name())).findFirst().orElse(n);
    }

    @Override
    public void kill(NodeAddress address) {
        cluster.kill(node(address));
    }

    @Override
    public boolean restart(NodeAddress address) {
        cluster.restart(node(address));
        return true;
    }

    @Override
    public String describeKill(NodeAddress address) {
        return "SIGKILL pid " + node(address).pid() + " on " + address;
    }
}
