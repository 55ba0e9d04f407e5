package io.redisha.cluster;

import io.redisha.topology.NodeAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers, for the seconds a formation or growth takes, the two settings that otherwise make it sit
 * idle, and restores them after:
 * <ul>
 * <li>{@code cluster-node-timeout}: a master that sat alone waits min(node timeout, 5 s) before it
 *     reports cluster_state:ok (Redis's rejoin delay), and a node pings a peer at the latest every
 *     half node timeout, which is how slot claims and roles spread by gossip instead of by a MEET
 *     per pair;</li>
 * <li>{@code repl-diskless-sync-delay}: a master waits that long (5 s by default) before the first
 *     full sync of a new replica, for more replicas to join it.</li>
 * </ul>
 * Only nodes the operation adds (and, at formation, every node: none holds data) are touched; the
 * members of a serving cluster keep their timeout, so a slot move under load cannot trip a false
 * failure detection. The lowered node timeout is scaled with the cluster size, so the extra pings
 * stay bounded. {@link #close()} restores every value and reads it back.
 */
final class IdleFloors implements AutoCloseable {
    /** Redis's floor for the rejoin delay (CLUSTER_MIN_REJOIN_DELAY). */
    static final long MIN_NODE_TIMEOUT_MS = 500;
    /** Per node in the cluster: every node pings every peer each half timeout, so keep the pings per second near 100 x N. */
    static final long PER_NODE_MS = 20;

    private record Saved(NodeAddress node, String nodeTimeout, String syncDelay) {
    }

    private final Credentials credentials;
    private final List<Saved> saved = new ArrayList<>();
    private final List<String> actions;

    private IdleFloors(Credentials credentials, List<String> actions) {
        this.credentials = credentials;
        this.actions = actions;
    }

    /**
     * Lowers the settings on {@code nodes}; {@code clusterSize} (all members after the operation)
     * sets the node timeout used meanwhile. A node whose CONFIG is disabled is left as it is.
     */
    static IdleFloors lower(Collection<NodeAddress> nodes, int clusterSize, Credentials credentials, List<String> actions) {
        IdleFloors floors = new IdleFloors(credentials, actions);
        long fast = Math.max(MIN_NODE_TIMEOUT_MS, PER_NODE_MS * clusterSize);
        try {
            for (NodeAddress node : nodes) {
                try (NodeSession s = NodeSession.open(node, credentials)) {
                    var timeout = s.config("cluster-node-timeout");
                    var delay = s.config("repl-diskless-sync-delay");
                    if (timeout.isEmpty() || delay.isEmpty()) {
                        continue;
                    }
                    boolean lowerTimeout = Long.parseLong(timeout.get()) > fast;
                    floors.saved.add(new Saved(node, timeout.get(), delay.get()));
                    Map<String, String> set = new LinkedHashMap<>();
                    if (lowerTimeout) {
                        set.put("cluster-node-timeout", Long.toString(fast));
                    }
                    set.put("repl-diskless-sync-delay", "0");
                    s.configSet(set);
                    actions.add("CONFIG SET " + set + " on " + node + " for the operation (restored after: cluster-node-timeout "
                            + timeout.get() + ", repl-diskless-sync-delay " + delay.get() + ")");
                }
            }
            return floors;
        } catch (RuntimeException e) {
            floors.close();
            throw e;
        }
    }

    /** Restores every saved value and reads it back; a node that cannot be restored is named. */
    @Override
    public void close() {
        if (saved.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Saved s : saved) {
            try (NodeSession session = NodeSession.open(s.node(), credentials)) {
                session.configSet(Map.of("cluster-node-timeout", s.nodeTimeout(), "repl-diskless-sync-delay", s.syncDelay()));
                String timeout = session.config("cluster-node-timeout").orElse("?");
                String delay = session.config("repl-diskless-sync-delay").orElse("?");
                if (!timeout.equals(s.nodeTimeout()) || !delay.equals(s.syncDelay())) {
                    problems.add(s.node() + ": reads cluster-node-timeout " + timeout + ", repl-diskless-sync-delay " + delay
                            + " after restoring " + s.nodeTimeout() + ", " + s.syncDelay());
                }
            } catch (RuntimeException e) {
                problems.add(s.node() + ": could not restore cluster-node-timeout " + s.nodeTimeout() + " and repl-diskless-sync-delay "
                        + s.syncDelay() + " (" + e.getMessage() + "); set them with CONFIG SET (redis.conf has them for the next start)");
            }
        }
        saved.clear();
        if (!problems.isEmpty()) {
            throw new ClusterRefusedException("settings lowered for the operation were not all restored", problems);
        }
        actions.add("restored cluster-node-timeout and repl-diskless-sync-delay on every node touched, and read them back");
    }
}
