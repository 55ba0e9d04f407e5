package io.redisha.cluster;

/** When converge may return after forming a cluster. */
public enum Readiness {
    /**
     * The cluster serves: {@code cluster_state:ok} on every node and every replica's link to its
     * master up. The default, and what {@code pulumi up} waits for.
     */
    SERVING,
    /**
     * Every node agrees on membership, the slot map and which replica follows which master: the
     * point at which {@code redis-cli --cluster create} returns. Masters that sat without slots for
     * over 2 s still wait Redis's rejoin delay (cluster-node-timeout, at most 5 s) before they report
     * ok, and replicas finish their first sync in the background.
     */
    CONFIGURED
}
