package io.redisha.cluster;

import io.redisha.topology.NodeAddress;
import java.time.Duration;
import java.util.Optional;
import redis.clients.jedis.Jedis;

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
        Jedis jedis = Nodes.connect(node, credentials, 5_000);
        try {
            jedis.shutdown(redis.clients.jedis.params.ShutdownParams.shutdownParams().nosave());
        } catch (RuntimeException e) {
            // The connection drops as the server exits: that is the expected answer.
        } finally {
            Nodes.closeQuietly(jedis);
        }
        Poll.until(node + " is down", Duration.ofSeconds(30), () -> {
            try {
                Nodes.closeQuietly(Nodes.connect(node, credentials, 1_000));
                return Optional.of(node + " still answers");
            } catch (ClusterRefusedException e) {
                return Optional.empty();
            }
        });
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
