package io.redisha.cluster;

import io.redisha.text.Count;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.SlotBalancer;
import io.redisha.topology.SlotMove;
import io.redisha.topology.SlotRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;

/**
 * Brings a formed, serving cluster to a bigger or smaller placement: new nodes join, replicas attach
 * or move per the plan, slots rebalance over the live ownership with the fewest moves, and nodes the
 * plan drops are drained, forgotten by everyone and reset. Does nothing on a cluster that matches.
 */
final class Scaler {
    private final Duration timeout;
    private final SlotMover.Options moverOptions;
    private final SlotMover.Listener moverListener;

    Scaler(Duration timeout, SlotMover.Options moverOptions, SlotMover.Listener moverListener) {
        this.timeout = timeout;
        this.moverOptions = moverOptions;
        this.moverListener = moverListener;
    }

    /**
     * The seed of a formed cluster among the placement's nodes when scaling applies: the cluster
     * serves all slots and its members or its slot ownership differ from what the plan forms.
     * Empty when converge's formation path applies (fresh nodes, a half-formed cluster, or a
     * cluster that already matches the plan exactly).
     */
    static Optional<NodeAddress> formedSeed(Placement placement, Credentials credentials) {
        for (NodeAddress address : placement.addresses().values()) {
            ClusterNodes view;
            try {
                view = LiveCluster.view(address, credentials);
            } catch (RuntimeException e) {
                continue;
            }
            if (view.knowsOnlyItself() || view.assignedSlots() != SlotRange.SLOT_COUNT) {
                continue;
            }
            Set<String> live = new TreeSet<>();
            String myIp = Nodes.ip(address);
            for (ClusterNode n : view.nodes()) {
                if (!n.isHandshake()) {
                    live.add(n.isMyself() ? myIp + ":" + address.port() : n.host() + ":" + n.port());
                }
            }
            Set<String> planned = new TreeSet<>();
            placement.addresses().values().forEach(a -> planned.add(Nodes.ip(a) + ":" + a.port()));
            if (!live.equals(planned)) {
                return Optional.of(address);
            }
            LiveCluster cluster = LiveCluster.load(address, credentials);
            Map<String, List<SlotRange>> owned = cluster.ownedRanges();
            for (PlannedNode master : placement.plan().masterNodes()) {
                NodeAddress a = placement.addressOf(master.name());
                boolean matches = cluster.members().stream().anyMatch(m -> same(m.address(), a)
                        && owned.getOrDefault(m.id(), List.of()).equals(master.slots()));
                if (!matches) {
                    return Optional.of(address);
                }
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    static boolean same(NodeAddress a, NodeAddress b) {
        return a.port() == b.port() && Nodes.ip(a).equals(Nodes.ip(b));
    }

    ConvergeResult scale(Placement placement, NodeAddress seed, Credentials credentials, ClusterListener listener) {
        long start = System.nanoTime();
        List<String> actions = Collections.synchronizedList(new ArrayList<>());
        LiveCluster cluster = LiveCluster.load(seed, credentials);
        if (!cluster.unreachable().isEmpty()) {
            throw new ClusterRefusedException("refusing to scale with members unreachable, nothing was changed", cluster.unreachable());
        }
        if (!cluster.openSlots().isEmpty()) {
            listener.info("open slots found from an interrupted move: fixing them first");
            SlotFixer.Result fixed = new SlotFixer(credentials, moverOptions).fix(seed, moverListener);
            actions.addAll(fixed.actions());
            if (!fixed.ok()) {
                throw new ClusterRefusedException("could not close the open slots; nothing else was changed", fixed.problems());
            }
            cluster = LiveCluster.load(seed, credentials);
        }

        // Which live member plays which planned node, by address.
        Map<String, LiveCluster.Member> byName = new LinkedHashMap<>();
        List<PlannedNode> fresh = new ArrayList<>();
        for (PlannedNode node : placement.plan().nodes()) {
            NodeAddress a = placement.addressOf(node.name());
            Optional<LiveCluster.Member> m = cluster.members().stream().filter(x -> same(x.address(), a)).findFirst();
            if (m.isPresent()) {
                byName.put(node.name(), m.get());
            } else {
                fresh.add(node);
            }
        }
        Set<String> keptIds = new LinkedHashSet<>();
        byName.values().forEach(m -> keptIds.add(m.id()));
        List<LiveCluster.Member> removed = cluster.members().stream().filter(m -> !keptIds.contains(m.id())).toList();

        // New nodes must be empty, cluster-enabled and in no other cluster.
        List<String> problems = new ArrayList<>();
        for (LiveCluster.Member r : removed) {
            if (placement.retiring().values().stream().noneMatch(a -> same(a, r.address()))) {
                problems.add(r.label() + " is a member of the cluster, but the placement neither plans it nor lists it as retiring;"
                        + " only retiring nodes are removed. List it in the nodes, or name it under 'retiring' to remove it");
            }
        }
        Map<String, String> freshIds = new LinkedHashMap<>();
        for (PlannedNode node : fresh) {
            NodeAddress a = placement.addressOf(node.name());
            try (NodeSession s = NodeSession.open(a, credentials)) {
                if (!"1".equals(s.info("cluster").get("cluster_enabled"))) {
                    problems.add(node.name() + " (" + a + "): cluster support is disabled; start it with 'cluster-enabled yes'");
                    continue;
                }
                ClusterNodes view = s.nodes();
                Set<String> others = new TreeSet<>(view.memberIds());
                others.remove(view.myself().id());
                others.removeAll(cluster.ids());
                if (!others.isEmpty()) {
                    problems.add(node.name() + " (" + a + ") belongs to another cluster (knows " + Count.of(others.size(), "node")
                            + " not in this one); use a fresh node or CLUSTER RESET HARD it");
                } else if (s.dbSize() > 0) {
                    problems.add(node.name() + " (" + a + ") holds " + Count.of(s.dbSize(), "key") + "; a new node must be empty (FLUSHALL it if the data is disposable)");
                } else if (!view.myself().slots().isEmpty()) {
                    problems.add(node.name() + " (" + a + ") serves slots of its own; CLUSTER RESET HARD it first");
                }
                freshIds.put(node.name(), view.myself().id());
            }
        }

        Map<Integer, String> leader = leaders(placement, byName, freshIds, problems);
        if (!problems.isEmpty()) {
            throw new ClusterRefusedException("refusing to scale, nothing was changed; fix the following and run again", problems);
        }
        Set<String> leaderIds = new LinkedHashSet<>(leader.values());
        Map<String, NodeAddress> finalAddresses = new LinkedHashMap<>();
        byName.forEach((name, m) -> finalAddresses.put(m.id(), m.address()));
        freshIds.forEach((name, id) -> finalAddresses.put(id, placement.addressOf(name)));
        listener.info("scaling: " + Count.of(fresh.size(), "node") + " " + (fresh.size() == 1 ? "joins" : "join") + ", "
                + removed.size() + " " + (removed.size() == 1 ? "leaves" : "leave") + ", "
                + Count.of(placement.plan().masters(), "master") + " x " + Count.of(placement.plan().replicasPerMaster(), "replica") + " planned");

        // New nodes hold no data: they join and sync without the idle floors (restored and read back after).
        List<NodeAddress> freshAddresses = fresh.stream().map(n -> placement.addressOf(n.name())).toList();
        try (IdleFloors floors = IdleFloors.lower(freshAddresses, placement.plan().nodes().size(), credentials, actions)) {
            // 1. Join: every new node meets every member, then wait until all know all and serve.
            if (!fresh.isEmpty()) {
                listener.step("join", fresh.size());
                int joined = 0;
                for (PlannedNode node : fresh) {
                    NodeAddress a = placement.addressOf(node.name());
                    try (NodeSession s = NodeSession.open(a, credentials)) {
                        for (LiveCluster.Member m : cluster.members()) {
                            s.meet(m.address());
                        }
                    }
                    actions.add("CLUSTER MEET " + Count.of(cluster.members().size(), "member") + " from " + node.name() + " (" + a + ")");
                    listener.progress(++joined);
                }
            }
            Set<String> everyone = new TreeSet<>(cluster.ids());
            everyone.addAll(freshIds.values());
            Map<String, NodeAddress> allAddresses = new LinkedHashMap<>();
            cluster.members().forEach(m -> allAddresses.put(m.id(), m.address()));
            allAddresses.putAll(finalAddresses);
            if (!fresh.isEmpty()) {
                waitUntil("every node knows the new nodes and the new nodes serve the slot map", allAddresses, credentials, (id, j) -> {
                    ClusterNodes view = ClusterNodes.parse(j.clusterNodes());
                    Set<String> missing = new TreeSet<>(everyone);
                    missing.removeAll(view.memberIds());
                    if (!missing.isEmpty()) {
                        return Optional.of(allAddresses.get(id) + " does not know " + Count.of(missing.size(), "node") + " yet");
                    }
                    String state = NodeSession.fields(j.clusterInfo()).getOrDefault("cluster_state", "?");
                    return "ok".equals(state) ? Optional.empty() : Optional.of(allAddresses.get(id) + " reports cluster_state:" + state);
                });
            }

            // 2. Replicas per plan (live masters holding slots are drained before they may follow anyone).
            Map<String, Long> slotsNow = new LinkedHashMap<>();
            cluster.ownedRanges().forEach((id, r) -> slotsNow.put(id, (long) SlotRange.total(r)));
            List<String[]> demote = new ArrayList<>();
            for (PlannedNode node : placement.plan().nodes()) {
                String id = byName.containsKey(node.name()) ? byName.get(node.name()).id() : freshIds.get(node.name());
                String lead = leader.get(node.shard());
                if (id.equals(lead)) {
                    continue;
                }
                Optional<LiveCluster.Member> live = Optional.ofNullable(byName.get(node.name()));
                if (live.isPresent() && live.get().isReplica() && live.get().self().masterId().filter(lead::equals).isPresent()) {
                    continue;
                }
                if (live.isPresent() && live.get().isMaster() && slotsNow.getOrDefault(id, 0L) > 0) {
                    demote.add(new String[] {id, lead, node.name()});
                    continue;
                }
                replicate(finalAddresses.get(id), lead, credentials);
                actions.add("CLUSTER REPLICATE " + ClusterNode.shortId(lead) + " on " + node.name() + " (" + finalAddresses.get(id) + ")");
            }

            // 3. Rebalance over the live ownership: planned leaders weigh 1, every other master 0 (drained).
            cluster = LiveCluster.load(seed, credentials);
            List<SlotMove> moves = balancedMoves(cluster.ownedRanges(), leaderIds);
            if (!moves.isEmpty()) {
                int total = moves.stream().mapToInt(SlotMove::slotCount).sum();
                listener.info("moving " + Count.of(total, "slot") + " in " + Count.of(moves.size(), "move") + ": " + String.join(", ", moves.stream()
                        .map(m -> m.slotCount() + " " + ClusterNode.shortId(m.from()) + "->" + ClusterNode.shortId(m.to())).toList()));
                SlotMover.Result result = new SlotMover(moverOptions, credentials).move(cluster, moves, moverListener);
                actions.add(result.summary());
                if (!result.ok()) {
                    throw new ClusterRefusedException("the slot move did not finish; run 'redis-ha fix', then converge again", result.leftOpen());
                }
            }

            // 4. Drained masters the plan makes replicas now follow their leader.
            for (String[] d : demote) {
                requireEmpty(finalAddresses.get(d[0]), d[2], credentials);
                replicate(finalAddresses.get(d[0]), d[1], credentials);
                actions.add("CLUSTER REPLICATE " + ClusterNode.shortId(d[1]) + " on drained master " + d[2] + " (" + finalAddresses.get(d[0]) + ")");
            }

            // 5. Nodes the plan drops: drained masters and replicas are forgotten by every remaining node, then reset.
            if (!removed.isEmpty()) {
                LiveCluster now = LiveCluster.load(seed, credentials);
                Map<String, List<SlotRange>> ownedNow = now.ownedRanges();
                for (LiveCluster.Member r : removed) {
                    Optional<LiveCluster.Member> m = now.member(r.id());
                    if (m.isPresent() && m.get().isMaster()) {
                        if (!ownedNow.getOrDefault(r.id(), List.of()).isEmpty()) {
                            throw new ClusterRefusedException("refusing to remove a node that still serves slots", List.of(r.label()
                                    + " serves " + SlotRange.total(ownedNow.get(r.id())) + " slots; rebalance it away first"));
                        }
                        requireEmpty(r.address(), r.label(), credentials);
                    }
                }
                listener.step("forget", removed.size());
                Set<String> removedIds = new TreeSet<>();
                removed.forEach(r -> removedIds.add(r.id()));
                List<Map.Entry<String, NodeAddress>> remaining = new ArrayList<>(finalAddresses.entrySet());
                // All FORGETs go out at once: a node forgets a peer for 60 s only, so every node must do it
                // within that window or gossip from a slower one brings the peer back.
                try (Parallel parallel = new Parallel(remaining.size())) {
                    parallel.map(remaining, e -> {
                        Jedis j = Nodes.connect(e.getValue(), credentials, 10_000);
                        try {
                            for (String id : removedIds) {
                                j.clusterForget(id);
                            }
                        } finally {
                            Nodes.closeQuietly(j);
                        }
                        return e;
                    });
                }
                for (LiveCluster.Member r : removed) {
                    actions.add("CLUSTER FORGET " + ClusterNode.shortId(r.id()) + " on " + Count.of(remaining.size(), "node"));
                    Jedis j = Nodes.connect(r.address(), credentials, 10_000);
                    try {
                        j.clusterReset(redis.clients.jedis.args.ClusterResetType.HARD);
                    } finally {
                        Nodes.closeQuietly(j);
                    }
                    actions.add("CLUSTER RESET HARD on removed node " + r.label());
                }
            }

            // 6. Done when every remaining node knows exactly the planned members, serves, and replicas follow their leader.
            Set<String> finalIds = new TreeSet<>(finalAddresses.keySet());
            Map<String, String> leaderOf = new LinkedHashMap<>();
            for (PlannedNode node : placement.plan().nodes()) {
                String id = byName.containsKey(node.name()) ? byName.get(node.name()).id() : freshIds.get(node.name());
                if (!id.equals(leader.get(node.shard()))) {
                    leaderOf.put(id, leader.get(node.shard()));
                }
            }
            listener.step("settle", finalIds.size());
            waitUntil("every node knows exactly the planned members, cluster_state:ok, every replica follows its leader",
                    finalAddresses, credentials, (id, j) -> {
                        ClusterNodes view = ClusterNodes.parse(j.clusterNodes());
                        if (!view.memberIds().equals(finalIds)) {
                            return Optional.of(finalAddresses.get(id) + " knows " + Count.of(view.memberIds().size(), "member") + ", expected " + finalIds.size());
                        }
                        String state = NodeSession.fields(j.clusterInfo()).getOrDefault("cluster_state", "?");
                        if (!"ok".equals(state)) {
                            return Optional.of(finalAddresses.get(id) + " reports cluster_state:" + state);
                        }
                        for (Map.Entry<String, String> e : leaderOf.entrySet()) {
                            if (view.byId(e.getKey()).flatMap(ClusterNode::masterId).filter(e.getValue()::equals).isEmpty()) {
                                return Optional.of(finalAddresses.get(id) + " does not see " + ClusterNode.shortId(e.getKey())
                                        + " replicating " + ClusterNode.shortId(e.getValue()) + " yet");
                            }
                        }
                        if (leaderOf.containsKey(id)) {
                            Map<String, String> repl = NodeSession.fields(j.info("replication"));
                            if (!"up".equals(repl.get("master_link_status"))) {
                                return Optional.of(finalAddresses.get(id) + " replica link is " + repl.get("master_link_status"));
                            }
                        }
                        return Optional.empty();
                    });
            int masters = placement.plan().masters();
            return new ConvergeResult(actions, Duration.ofNanos(System.nanoTime() - start), finalIds.size(), masters, finalIds.size() - masters);
        }
    }

    /** The live leader of each planned shard: its live master, a new node, or the shard mate a failover promoted. */
    private static Map<Integer, String> leaders(Placement placement, Map<String, LiveCluster.Member> byName,
                                                Map<String, String> freshIds, List<String> problems) {
        Map<Integer, String> leader = new TreeMap<>();
        for (PlannedNode master : placement.plan().masterNodes()) {
            LiveCluster.Member m = byName.get(master.name());
            if (m == null) {
                leader.put(master.shard(), freshIds.get(master.name()));
            } else if (m.isMaster()) {
                leader.put(master.shard(), m.id());
            } else {
                // After a failover the planned master replicates its shard mate: keep that leader (heal restores zones).
                String followed = m.self().masterId().orElse("");
                boolean mate = placement.plan().nodes().stream().filter(n -> n.shard() == master.shard() && byName.containsKey(n.name()))
                        .anyMatch(n -> byName.get(n.name()).id().equals(followed));
                if (mate) {
                    leader.put(master.shard(), followed);
                } else {
                    problems.add(master.name() + " (" + m.address() + ") should lead shard " + master.shard()
                            + " but replicates a node outside its shard; run heal or fix the roles, then run again");
                }
            }
        }
        return leader;
    }

    /** The fewest moves over the live ownership: planned leaders weigh 1, every other master holding slots 0 (drained). */
    private static List<SlotMove> balancedMoves(Map<String, List<SlotRange>> live, Set<String> leaderIds) {
        Map<String, List<SlotRange>> owned = new LinkedHashMap<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String id : leaderIds) {
            owned.put(id, live.getOrDefault(id, List.of()));
            weights.put(id, 1.0);
        }
        live.forEach((id, ranges) -> {
            if (!leaderIds.contains(id) && !ranges.isEmpty()) {
                owned.put(id, ranges);
                weights.put(id, 0.0);
            }
        });
        return SlotBalancer.balance(owned, weights, 0);
    }

    /**
     * What {@link #scale} will move, computed read-only before it starts: the same leaders and the
     * same balancer over the same live ownership, so the printed plan is what happens.
     */
    static ScalePreview preview(Placement placement, NodeAddress seed, Credentials credentials) {
        LiveCluster cluster = LiveCluster.load(seed, credentials);
        Map<String, LiveCluster.Member> byName = new LinkedHashMap<>();
        Map<String, String> freshIds = new LinkedHashMap<>();
        for (PlannedNode node : placement.plan().nodes()) {
            NodeAddress a = placement.addressOf(node.name());
            Optional<LiveCluster.Member> m = cluster.members().stream().filter(x -> same(x.address(), a)).findFirst();
            if (m.isPresent()) {
                byName.put(node.name(), m.get());
            } else if (node.isMaster()) {
                try (NodeSession s = NodeSession.open(a, credentials)) {
                    freshIds.put(node.name(), s.nodes().myself().id());
                }
            }
        }
        List<String> problems = new ArrayList<>();
        Map<Integer, String> leader = leaders(placement, byName, freshIds, problems);
        if (!problems.isEmpty()) {
            throw new ClusterRefusedException("refusing to scale, nothing was changed; fix the following and run again", problems);
        }
        Map<String, String> labelOf = new LinkedHashMap<>();
        Map<String, String> plannedNameOf = new LinkedHashMap<>();
        cluster.members().forEach(m -> labelOf.put(m.id(), m.label()));
        for (PlannedNode master : placement.plan().masterNodes()) {
            String id = leader.get(master.shard());
            labelOf.put(id, master.name() + " (" + placement.addressOf(master.name()) + ")");
            plannedNameOf.put(id, master.name());
        }
        List<SlotMove> moves = balancedMoves(cluster.ownedRanges(), new LinkedHashSet<>(leader.values()));
        return ScalePreview.of(moves, cluster.ownedRanges(), labelOf, plannedNameOf);
    }

    private static void replicate(NodeAddress address, String leaderId, Credentials credentials) {
        Jedis j = Nodes.connect(address, credentials, 10_000);
        try {
            j.clusterReplicate(leaderId);
        } finally {
            Nodes.closeQuietly(j);
        }
    }

    private static void requireEmpty(NodeAddress address, String label, Credentials credentials) {
        Jedis j = Nodes.connect(address, credentials, 10_000);
        try {
            long keys = j.dbSize();
            if (keys > 0) {
                throw new ClusterRefusedException("refusing to change the role of or remove a master that holds keys",
                        List.of(label + " still holds " + Count.of(keys, "key") + " after its slots moved away; run 'redis-ha fix' to move stray keys"));
            }
        } finally {
            Nodes.closeQuietly(j);
        }
    }

    interface Condition {
        Optional<String> pending(String id, Jedis jedis);
    }

    private void waitUntil(String what, Map<String, NodeAddress> nodes, Credentials credentials, Condition condition) {
        List<Map.Entry<String, NodeAddress>> entries = new ArrayList<>(nodes.entrySet());
        Map<String, Jedis> connections = new java.util.concurrent.ConcurrentHashMap<>();
        try (Parallel parallel = new Parallel(entries.size())) {
            Poll.until(what, timeout, () -> parallel.map(entries, e -> {
                Jedis j = connections.computeIfAbsent(e.getKey(), k -> Nodes.connect(e.getValue(), credentials, 10_000));
                return condition.pending(e.getKey(), j);
            }).stream().flatMap(Optional::stream).findFirst());
        } finally {
            connections.values().forEach(Nodes::closeQuietly);
        }
    }
}
