package io.redisha.cluster;

import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.Poll;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.topology.NodeAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A graceful {@code CLUSTER FAILOVER} (never FORCE or TAKEOVER) on a replica, and the check that the
 * handover happened: the replica is master and serves slots, the old master follows it with its
 * link up, and every member reports {@code cluster_state:ok} and agrees on the slot map. Used by
 * heal and roll.
 */
final class GracefulFailover {
    /** A little over Redis's manual failover timeout (5 s). */
    private static final Duration ATTEMPT = Duration.ofSeconds(7);
    /** How long a replica may take to open its cluster bus link to its master. */
    private static final Duration LINK_WAIT = Duration.ofSeconds(10);
    private final Credentials credentials;
    private final Duration timeout;

    GracefulFailover(Credentials credentials, Duration timeout) {
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /**
     * Sends the failover to {@code replica}; returns once Redis accepted it. A replica that just joined
     * may not have its cluster bus link to the master yet, and Redis then refuses a graceful failover
     * ("Master is down or failed"): it is asked again until the link is up, never with FORCE.
     */
    void start(NodeAddress replica) {
        Poll.until(replica + " accepts a graceful CLUSTER FAILOVER (its link to the master is up)", LINK_WAIT, () -> tryStart(replica));
    }

    private Optional<String> tryStart(NodeAddress replica) {
        try (NodeSession s = NodeSession.open(replica, credentials)) {
            // Graceful: the master stops writes, the replica catches up to its offset, then takes over. No write is lost.
            s.failover();
            return Optional.empty();
        } catch (JedisDataException e) {
            if (String.valueOf(e.getMessage()).contains("Master is down or failed")) {
                return Optional.of(e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Runs the failover and waits for the handover. Redis gives a manual failover 5 s; when it times
     * out (the master had not yet heard of this replica, say) it is simply asked again.
     *
     * @param afterStart called once the first CLUSTER FAILOVER was sent (the roll's halt hook)
     * @return from the first CLUSTER FAILOVER sent until the handover is complete
     */
    Duration run(NodeAddress replica, NodeAddress master, NodeAddress seed, Runnable afterStart) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        start(replica);
        afterStart.run();
        while (true) {
            try {
                Poll.until(replica + " reports role master", ATTEMPT, () -> role(replica).filter(r -> !"master".equals(r)));
                break;
            } catch (ClusterRefusedException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                start(replica);
            }
        }
        awaitHandover(replica, master, seed);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private Optional<String> role(NodeAddress node) {
        try (NodeSession s = NodeSession.open(node, credentials)) {
            return Optional.ofNullable(s.info("replication").get("role"));
        }
    }

    /** Polls until {@link #pending} reports nothing; the time it took. */
    Duration awaitHandover(NodeAddress replica, NodeAddress master, NodeAddress seed) {
        return Poll.until(replica + " is master serving slots and " + master + " its replica, cluster_state:ok everywhere", timeout,
                () -> pending(replica, master, seed));
    }

    /** What is still missing before the handover from {@code master} to {@code replica} is complete; empty when done. */
    Optional<String> pending(NodeAddress replica, NodeAddress master, NodeAddress seed) {
        try (NodeSession r = NodeSession.open(replica, credentials); NodeSession m = NodeSession.open(master, credentials)) {
            if (!"master".equals(r.info("replication").get("role"))) {
                return Optional.of(replica + " is not master yet");
            }
            if (MemberView.of(r).myself().slots().isEmpty()) {
                return Optional.of(replica + " is master but serves no slots yet");
            }
            Map<String, String> mr = m.info("replication");
            if (!"slave".equals(mr.get("role")) || !"up".equals(mr.get("master_link_status"))) {
                return Optional.of(master + ": role " + mr.get("role") + ", link " + mr.getOrDefault("master_link_status", "-"));
            }
        }
        LiveCluster live = LiveCluster.load(seed, credentials);
        for (LiveCluster.Member member : live.members()) {
            if (!"ok".equals(member.clusterState())) {
                return Optional.of(member.address() + ": cluster_state not ok");
            }
            if (!member.view().slotOwners().equals(live.members().get(0).view().slotOwners())) {
                return Optional.of(member.address() + " does not agree on the slot map yet");
            }
        }
        return Optional.empty();
    }
}
