package io.redisha.cluster;

import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.move.SlotMover;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.Nodes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The cluster engine over live nodes: converge a cluster to a placement, and check a live cluster. */
public final class ClusterEngine {
    /** Long enough for a replica's first full sync on a loaded network; formation itself takes well under a second. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Duration timeout;

    public ClusterEngine() {
        this(DEFAULT_TIMEOUT);
    }

    /** @param timeout how long each wait (join, sync) may take before converge gives up */
    public ClusterEngine(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Forms or completes the cluster the placement describes. Validates every node first and
     * changes nothing when any is unfit.
     *
     * @throws ClusterRefusedException naming each unfit node, what was found and what to do
     */
    public ConvergeResult converge(Placement placement, Credentials credentials, ClusterListener listener) {
        return converge(placement, credentials, listener, Readiness.SERVING);
    }

    /**
     * As {@link #converge(Placement, Credentials, ClusterListener)}, returning when a newly formed
     * cluster reaches {@code readiness}. Scaling a serving cluster always waits until it serves.
     */
    public ConvergeResult converge(Placement placement, Credentials credentials, ClusterListener listener,
                                   Readiness readiness) {
        if (!placement.replacing().isEmpty()) {
            return roll(placement, credentials, listener);
        }
        return converge(placement, serving(placement, credentials), credentials, listener, readiness);
    }

    /** The serving cluster among the placement's nodes, loaded once for {@link #preview} and {@link #converge}; empty if none serves. */
    public static java.util.Optional<LiveCluster> serving(Placement placement, Credentials credentials) {
        return LiveCluster.loadServing(placement.addresses().values(), credentials);
    }

    /**
     * As {@link #converge(Placement, Credentials, ClusterListener, Readiness)}, over the serving cluster the
     * caller loaded ({@link #serving}), so a verb that printed a preview of it does not load it again.
     */
    public ConvergeResult converge(Placement placement, java.util.Optional<LiveCluster> serving, Credentials credentials,
                                   ClusterListener listener, Readiness readiness) {
        if (!placement.replacing().isEmpty()) {
            return roll(placement, credentials, listener);
        }
        // A serving cluster whose members or slot ownership differ from the plan is scaled, not formed.
        java.util.Optional<LiveCluster> formed = Scaler.formed(placement, serving);
        if (formed.isPresent()) {
            return new Scaler(timeout, SlotMover.Options.defaults(), SlotMover.listenerFor(listener))
                    .scale(placement, formed.get(), credentials, listener);
        }
        return new Converger(timeout, readiness).converge(placement, credentials, listener);
    }

    /**
     * The placement's rolling replacement ({@link Placement#replacing()}): each old node gives way to
     * the planned node at its new address, same shard and zone. Resumable: a rerun continues.
     */
    private ConvergeResult roll(Placement placement, Credentials credentials, ClusterListener listener) {
        long start = System.nanoTime();
        Map<NodeAddress, String> zones = new java.util.LinkedHashMap<>(placement.zoneByAddress());
        List<Roller.Replacement> pairs = new java.util.ArrayList<>();
        placement.replacing().forEach((name, old) -> {
            zones.put(old, placement.plan().node(name).zone());
            pairs.add(new Roller.Replacement(old, placement.addressOf(name)));
        });
        Roller.Outcome outcome = new Roller(credentials, zones, timeout).roll(pairs, Roller.Retirement.KEEP, listener);
        if (!outcome.check().ok()) {
            throw new ClusterRefusedException("the roll finished but check fails", outcome.check().failures().stream()
                    .map(f -> f.node() + ": " + f.message()).toList());
        }
        List<String> actions = new java.util.ArrayList<>(outcome.done());
        actions.addAll(outcome.heal());
        int masters = placement.plan().masters();
        int nodes = placement.addresses().size();
        return new ConvergeResult(actions, java.time.Duration.ofNanos(System.nanoTime() - start), nodes, masters, nodes - masters);
    }

    /**
     * The placement's retiring and replaced addresses that no planned node knows any more, asked of
     * every planned node itself (not of one node's gossip): what a converge record may call forgotten.
     * Empty when a planned node does not answer, since then nothing can be verified.
     */
    public List<NodeAddress> forgotten(Placement placement, Credentials credentials) {
        List<MemberView> views = new java.util.ArrayList<>();
        for (NodeAddress planned : placement.addresses().values()) {
            java.util.Optional<MemberView> view = LiveCluster.viewOf(planned, credentials);
            if (view.isEmpty()) {
                return List.of();
            }
            views.add(view.get());
        }
        List<NodeAddress> old = new java.util.ArrayList<>(placement.retiring().values());
        old.addAll(placement.replacing().values());
        return old.stream().filter(a -> views.stream().flatMap(v -> v.nodes().stream())
                .noneMatch(n -> Nodes.same(new NodeAddress(n.host(), n.port()), a))).toList();
    }

    /**
     * When converging would scale a serving cluster: the slot moves it will make and the slots each
     * master ends with (read-only). Empty when converge would form a new cluster from the plan.
     */
    public java.util.Optional<ScalePreview> preview(Placement placement, Credentials credentials) {
        return preview(placement, serving(placement, credentials), credentials);
    }

    /** As {@link #preview(Placement, Credentials)}, over the serving cluster the caller loaded ({@link #serving}). */
    public java.util.Optional<ScalePreview> preview(Placement placement, java.util.Optional<LiveCluster> serving, Credentials credentials) {
        return Scaler.formed(placement, serving).map(cluster -> Scaler.preview(placement, cluster, credentials));
    }

    /**
     * Checks the live cluster reachable from the seeds.
     *
     * @param zones the zone of each node, keyed by address; empty to skip the zone checks
     */
    public CheckReport check(List<NodeAddress> seeds, Map<NodeAddress, String> zones, Credentials credentials) {
        return new Checker().check(seeds, zones, credentials);
    }
}
