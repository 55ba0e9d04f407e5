package io.redisha.cluster;

import io.redisha.cluster.model.Parallel;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.topology.NodeAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * stay bounded, and {@code cluster-replica-no-failover yes} keeps a replica from taking over when a
 * busy moment trips the short timeout. {@link #close()} restores every value and reads it back.
 */
final class IdleFloors implements AutoCloseable {
    /** Redis's floor for the rejoin delay (CLUSTER_MIN_REJOIN_DELAY). */
    static final long MIN_NODE_TIMEOUT_MS = 500;
    /**
     * Per node in the cluster: every node pings every peer each half timeout, so the pings grow with
     * N^2 / timeout, and a node that stalls longer than the timeout (a replica in its first sync on a
     * loaded host) is flagged failing. At 90 nodes (1350 ms) a master's slots and a replica's role
     * reach a peer within about 0.7 s of their handshake. On a shared 2-core host 20 ms per node formed
     * 90 nodes about a second slower than 10 ms, which sometimes had replicas flagged failing during
     * their first sync (thousands of FAIL messages, formation 2-4x slower).
     */
    static final long PER_NODE_MS = 15;

    private record Saved(NodeAddress node, String nodeTimeout, String syncDelay, String noFailover) {
        Map<String, String> values() {
            return Map.of("cluster-node-timeout", nodeTimeout, "repl-diskless-sync-delay", syncDelay, "cluster-replica-no-failover", noFailover);
        }
    }

    private final Credentials credentials;
    /** Sessions the caller already holds (and closes): no new connection per node, twice, on a large formation. */
    private final Map<NodeAddress, NodeSession> held;
    private final List<Saved> saved = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> actions;

    private IdleFloors(Credentials credentials, Map<NodeAddress, NodeSession> held, List<String> actions) {
        this.credentials = credentials;
        this.held = Map.copyOf(held);
        this.actions = actions;
    }

    /**
     * Lowers the settings on {@code nodes}; {@code clusterSize} (all members after the operation)
     * sets the node timeout used meanwhile. A node whose CONFIG is disabled is left as it is.
     */
    static IdleFloors lower(Collection<NodeAddress> nodes, int clusterSize, Credentials credentials, List<String> actions) {
        return lower(nodes, Map.of(), clusterSize, credentials, actions);
    }

    /** Like {@link #lower(Collection, int, Credentials, List)}, through sessions the caller holds until after {@link #close()}. */
    static IdleFloors lower(Map<NodeAddress, NodeSession> sessions, int clusterSize, Credentials credentials, List<String> actions) {
        return lower(sessions.keySet(), sessions, clusterSize, credentials, actions);
    }

    private static IdleFloors lower(Collection<NodeAddress> nodes, Map<NodeAddress, NodeSession> held, int clusterSize,
                                    Credentials credentials, List<String> actions) {
        IdleFloors floors = new IdleFloors(credentials, held, actions);
        long fast = Math.max(MIN_NODE_TIMEOUT_MS, PER_NODE_MS * clusterSize);
        List<NodeAddress> all = List.copyOf(nodes);
        if (all.isEmpty()) {
            return floors;
        }
        try (Parallel parallel = new Parallel(all.size())) {
            Parallel.Outcome<Optional<Saved>> outcome = parallel.attempt(all, node -> floors.lowerOne(node, fast));
            outcome.ok().forEach(saved -> saved.ifPresent(floors.saved::add));
            if (!outcome.failed().isEmpty()) {
                floors.close();
                throw outcome.failed().get(0);
            }
            return floors;
        }
    }

    /** Runs {@code call} on the held session of {@code node}, or on a new one (also when the held one broke). */
    private <T> T withSession(NodeAddress node, java.util.function.Function<NodeSession, T> call) {
        NodeSession session = held.get(node);
        if (session != null) {
            try {
                return call.apply(session);
            } catch (redis.clients.jedis.exceptions.JedisConnectionException broken) {
                // A connection that timed out during the operation: a fresh one may still get through.
            }
        }
        try (NodeSession fresh = NodeSession.open(node, credentials)) {
            return call.apply(fresh);
        }
    }

    /** Saves and lowers one node's settings; empty when its CONFIG is disabled (left as it is). */
    private Optional<Saved> lowerOne(NodeAddress node, long fast) {
        return withSession(node, s -> {
            Optional<String> timeout = s.config("cluster-node-timeout");
            Optional<String> delay = s.config("repl-diskless-sync-delay");
            Optional<String> noFailover = s.config("cluster-replica-no-failover");
            if (timeout.isEmpty() || delay.isEmpty() || noFailover.isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> set = new LinkedHashMap<>();
            if (Long.parseLong(timeout.get()) > fast) {
                set.put("cluster-node-timeout", Long.toString(fast));
            }
            set.put("repl-diskless-sync-delay", "0");
            // With the short timeout a busy moment could flag a master failed: no replica may take over meanwhile.
            set.put("cluster-replica-no-failover", "yes");
            s.configSet(set);
            Saved saved = new Saved(node, timeout.get(), delay.get(), noFailover.get());
            actions.add("CONFIG SET " + set + " on " + node + " for the operation (restored after: " + saved.values() + ")");
            return Optional.of(saved);
        });
    }

    /** Restores every saved value and reads it back; a node that cannot be restored is named. */
    @Override
    public void close() {
        if (saved.isEmpty()) {
            return;
        }
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Parallel parallel = new Parallel(saved.size())) {
            parallel.map(List.copyOf(saved), s -> {
                restoreOne(s).ifPresent(problems::add);
                return s;
            });
        }
        saved.clear();
        if (!problems.isEmpty()) {
            throw new ClusterRefusedException("settings lowered for the operation were not all restored", problems);
        }
        actions.add("restored cluster-node-timeout, repl-diskless-sync-delay and cluster-replica-no-failover on every node touched, and read them back");
    }

    /** Restores one node and reads the values back; the problem, or empty when both read back right. */
    private Optional<String> restoreOne(Saved s) {
        try {
            return withSession(s.node(), session -> {
                session.configSet(s.values());
                Map<String, String> read = new java.util.TreeMap<>();
                s.values().keySet().forEach(k -> read.put(k, session.config(k).orElse("?")));
                if (!read.equals(new java.util.TreeMap<>(s.values()))) {
                    return Optional.of(s.node() + ": reads " + read + " after restoring " + s.values());
                }
                return Optional.<String>empty();
            });
        } catch (RuntimeException e) {
            return Optional.of(s.node() + ": could not restore " + s.values() + " (" + e.getMessage()
                    + "); set them with CONFIG SET (redis.conf has them for the next start)");
        }
    }
}
