package io.redisha.cluster;

import io.redisha.cluster.model.Poll;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.topology.NodeAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Remote nodes: kill is {@code SHUTDOWN NOSAVE} (no RDB written; with appendonly the AOF keeps what
 * was fsynced). Destructive: the node stays down until an operator or systemd starts it again, so
 * the CLI asks for {@code --allow-shutdown} first.
 */
public final class ShutdownFaults implements Faults {
    private final Credentials credentials;

    public ShutdownFaults(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void kill(NodeAddress node) {
        try (NodeSession s = NodeSession.open(node, credentials, 5_000)) {
            s.shutdownNoSave();
        }
        Poll.until(node + " is down", Duration.ofSeconds(30), () -> NodeSession.answers(node, credentials, 1_000)
                ? Optional.of(node + " still answers") : Optional.empty());
    }

    @Override
    public boolean restart(NodeAddress node) {
        return false;
    }

    @Override
    public String describeKill(NodeAddress node) {
        return "SHUTDOWN NOSAVE on " + node + ", which stays down until you start it again";
    }
}
