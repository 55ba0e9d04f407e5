package io.redisha.cluster;

import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.Member;
import io.redisha.cluster.model.LiveCluster.MemberView;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.model.Parallel;
import io.redisha.cluster.model.Poll;
import io.redisha.cluster.move.SlotFixer;
import io.redisha.cluster.move.SlotMover;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.NodeSession;
import io.redisha.cluster.transport.Nodes;
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

/**
 * Brings a formed, serving cluster to a bigger or smaller placement: new nodes join, replicas attach
 * or move per the plan, slots rebalance over the live ownership with the fewest moves, and nodes the
 * plan drops are drained, forgotten by everyone and reset. Does nothing on a cluster that matches.
 * Each phase below is one method over the {@link Cast} (who plays which planned node).
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
     * Which live member plays which planned node.
     *
     * @param members  live members by planned name
     * @param freshIds the node id of each new node, by planned name
     * @param removed  members the plan drops (they are retiring)
     * @param leaders  the live leader of each planned shard, by shard
     */
    private record Cast(Map<String, Member> members, Map<String, String> freshIds, List<Member> removed,
                        Map<Integer, String> leaders) {
        String idOf(String name) {
            Member m = members.get(name);
            return m != null ? m.id() : freshIds.get(name);
        }

        Set<String> leaderIds() {
            return new LinkedHashSet<>(leaders.values());
        }

        /** Every node the plan keeps or adds: its id and address. */
        Map<String, NodeAddress> finalAddresses(Placement placement) {
            Map<String, NodeAddress> out = new LinkedHashMap<>();
            members.values().forEach(m -> out.put(m.id(), m.address()));
            freshIds.forEach((name, id) -> out.put(id, placement.addressOf(name)));
            return out;
        }

        List<NodeAddress> freshAddresses(Placement placement) {
            return freshIds.keySet().stream().map(placement::addressOf).toList();
        }

        /** Every planned non-leader's id with the leader it must follow. */
        Map<String, String> leaderOf(Placement placement) {
            Map<String, String> out = new LinkedHashMap<>();
            for (PlannedNode node : placement.plan().nodes()) {
                String lead = leaders.get(node.shard());
                if (!idOf(node.name()).equals(lead)) {
                    out.put(idOf(node.name()), lead);
                }
            }
            return out;
        }
    }

    /** One scaling run: the placement, how to reach the nodes, whom to tell, and the actions done so far. */
    private record Run(Placement placement, Credentials credentials, ClusterListener listener, List<String> actions) {
    }

    /** A live master holding slots that the plan makes a replica: drained by the rebalance, then it follows its leader. */
    private record Demotion(String name, String id, NodeAddress address, String leaderId) {
    }

    /**
     * The serving cluster the caller loaded from the placement's nodes, when scaling applies: it serves all
     * slots and its members or its slot ownership differ from what the plan forms. Empty when
     * converge's formation path applies (fresh nodes, a half-formed cluster, or a cluster that
     * already matches the plan exactly).
     */
    static Optional<LiveCluster> formed(Placement placement, Optional<LiveCluster> serving) {
        return serving.filter(c -> differsFromPlan(c, placement));
    }

    private static boolean differsFromPlan(LiveCluster cluster, Placement placement) {
        Member seed = cluster.seed();
        Set<String> live = new TreeSet<>();
        for (NodeLine n : seed.view().nodes()) {
            if (!n.isHandshake()) {
                live.add(n.isMyself() ? Nodes.ip(seed.address()) + ":" + seed.address().port() : n.host() + ":" + n.port());
            }
        }
        Set<String> planned = new TreeSet<>();
        placement.addresses().values().forEach(a -> planned.add(Nodes.ip(a) + ":" + a.port()));
        if (!live.equals(planned)) {
            return true;
        }
        Map<String, List<SlotRange>> owned = cluster.ownedRanges();
        return placement.plan().masterNodes().stream().anyMatch(master -> cluster.memberAt(placement.addressOf(master.name()))
                .filter(m -> owned.getOrDefault(m.id(), List.of()).equals(master.slots())).isEmpty());
    }

    /** Settles the loaded cluster, casts the plan onto it (refusing before any change), then runs the phases. */
    ConvergeResult scale(Placement placement, LiveCluster loaded, Credentials credentials, ClusterListener listener) {
        long start = System.nanoTime();
        List<String> actions = Collections.synchronizedList(new ArrayList<>());
        SlotFixer.Settled settled = new SlotFixer(credentials, moverOptions).settle(loaded, moverListener);
        actions.addAll(settled.actions());
        LiveCluster cluster = settled.cluster();
        Cast cast = cast(placement, cluster, credentials);
        listener.info("scaling: " + Count.of(cast.freshIds().size(), "node") + " " + (cast.freshIds().size() == 1 ? "joins" : "join") + ", "
                + cast.removed().size() + " " + (cast.removed().size() == 1 ? "leaves" : "leave") + ", "
                + Count.of(placement.plan().masters(), "master") + " x " + Count.of(placement.plan().replicasPerMaster(), "replica") + " planned");
        Map<String, NodeAddress> finalAddresses = cast.finalAddresses(placement);
        // New nodes hold no data: they join and sync without the idle floors (restored and read back after).
        Run run = new Run(placement, credentials, listener, actions);
        try (IdleFloors floors = IdleFloors.lower(cast.freshAddresses(placement), placement.plan().nodes().size(), credentials, actions)) {
            join(run, cluster, cast);
            List<Demotion> demotions = attachReplicas(run, cluster, cast);
            rebalance(run, cluster.seed().address(), cast);
            demote(run, demotions);
            remove(run, cluster.seed().address(), cast, finalAddresses);
            awaitPlannedMembers(run, cast, finalAddresses);
        }
        int nodes = finalAddresses.size();
        int masters = placement.plan().masters();
        return new ConvergeResult(actions, Duration.ofNanos(System.nanoTime() - start), nodes, masters, nodes - masters);
    }

    /** Live members by planned name (matched by address); planned nodes without one are new. */
    private static Map<String, Member> membersByName(Placement placement, LiveCluster cluster) {
        Map<String, Member> byName = new LinkedHashMap<>();
        for (PlannedNode node : placement.plan().nodes()) {
            cluster.memberAt(placement.addressOf(node.name())).ifPresent(m -> byName.put(node.name(), m));
        }
        return byName;
    }

    /** Casts the plan onto the live cluster; refuses, changing nothing, unless every node fits its part. */
    private static Cast cast(Placement placement, LiveCluster cluster, Credentials credentials) {
        Map<String, Member> byName = membersByName(placement, cluster);
        Set<String> keptIds = new LinkedHashSet<>();
        byName.values().forEach(m -> keptIds.add(m.id()));
        List<Member> removed = cluster.members().stream().filter(m -> !keptIds.contains(m.id())).toList();
        List<String> problems = new ArrayList<>();
        for (Member r : removed) {
            if (placement.retiring().values().stream().noneMatch(a -> Nodes.same(a, r.address()))) {
                problems.add(r.label() + " is a member of the cluster, but the placement neither plans it nor lists it as retiring;"
                        + " only retiring nodes are removed. List it in the nodes, or name it under 'retiring' to remove it");
            }
        }
        Map<String, String> freshIds = new LinkedHashMap<>();
        for (PlannedNode node : placement.plan().nodes()) {
            if (!byName.containsKey(node.name())) {
                fresh(node, placement.addressOf(node.name()), cluster, credentials, problems).ifPresent(id -> freshIds.put(node.name(), id));
            }
        }
        Map<Integer, String> leader = leaders(placement, byName, freshIds, problems);
        if (!problems.isEmpty()) {
            throw new ClusterRefusedException("refusing to scale, nothing was changed; fix the following and run again", problems);
        }
        return new Cast(byName, freshIds, removed, leader);
    }

    /** A new node must be cluster-enabled, empty and in no other cluster: its id, or the problem added. */
    private static Optional<String> fresh(PlannedNode node, NodeAddress a, LiveCluster cluster, Credentials credentials,
                                          List<String> problems) {
        try (NodeSession s = NodeSession.open(a, credentials)) {
            if (!s.clusterEnabled()) {
                problems.add(node.name() + " (" + a + "): cluster support is disabled; start it with 'cluster-enabled yes'");
                return Optional.empty();
            }
            MemberView view = MemberView.of(s);
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
            return Optional.of(view.myself().id());
        }
    }

    /** 1. Join: every new node meets every member, then wait until all know all and serve. */
    private void join(Run run, LiveCluster cluster, Cast cast) {
        Placement placement = run.placement();
        if (cast.freshIds().isEmpty()) {
            return;
        }
        run.listener().step("join", cast.freshIds().size());
        int joined = 0;
        for (String name : cast.freshIds().keySet()) {
            NodeAddress a = placement.addressOf(name);
            try (NodeSession s = NodeSession.open(a, run.credentials())) {
                for (Member m : cluster.members()) {
                    s.meet(m.address());
                }
            }
            run.actions().add("CLUSTER MEET " + Count.of(cluster.members().size(), "member") + " from " + name + " (" + a + ")");
            run.listener().progress(++joined);
        }
        Set<String> everyone = new TreeSet<>(cluster.ids());
        everyone.addAll(cast.freshIds().values());
        Map<String, NodeAddress> allAddresses = new LinkedHashMap<>();
        cluster.members().forEach(m -> allAddresses.put(m.id(), m.address()));
        allAddresses.putAll(cast.finalAddresses(placement));
        waitUntil("every node knows the new nodes and the new nodes serve the slot map", allAddresses, run.credentials(), (id, s) -> {
            Set<String> missing = new TreeSet<>(everyone);
            missing.removeAll(MemberView.of(s).memberIds());
            if (!missing.isEmpty()) {
                return Optional.of(allAddresses.get(id) + " does not know " + Count.of(missing.size(), "node") + " yet");
            }
            return notServing(allAddresses.get(id), s);
        });
    }

    /** 2. Replicas per plan; live masters holding slots are only listed: they are drained before they may follow anyone. */
    private static List<Demotion> attachReplicas(Run run, LiveCluster cluster, Cast cast) {
        Map<String, List<SlotRange>> owned = cluster.ownedRanges();
        Map<String, NodeAddress> addresses = cast.finalAddresses(run.placement());
        List<Demotion> demotions = new ArrayList<>();
        for (PlannedNode node : run.placement().plan().nodes()) {
            String id = cast.idOf(node.name());
            String lead = cast.leaders().get(node.shard());
            Optional<Member> live = Optional.ofNullable(cast.members().get(node.name()));
            if (id.equals(lead) || live.filter(m -> m.isReplica() && m.self().masterId().filter(lead::equals).isPresent()).isPresent()) {
                continue;
            }
            if (live.filter(m -> m.isMaster() && !owned.getOrDefault(id, List.of()).isEmpty()).isPresent()) {
                demotions.add(new Demotion(node.name(), id, addresses.get(id), lead));
                continue;
            }
            replicate(addresses.get(id), lead, run.credentials());
            run.actions().add("CLUSTER REPLICATE " + NodeLine.shortId(lead) + " on " + node.name() + " (" + addresses.get(id) + ")");
        }
        return demotions;
    }

    /** 3. Rebalance over the live ownership: planned leaders weigh 1, every other master 0 (drained). */
    private void rebalance(Run run, NodeAddress seed, Cast cast) {
        LiveCluster cluster = LiveCluster.load(seed, run.credentials());
        List<SlotMove> moves = balancedMoves(cluster.ownedRanges(), cast.leaderIds());
        if (moves.isEmpty()) {
            return;
        }
        int total = moves.stream().mapToInt(SlotMove::slotCount).sum();
        run.listener().info("moving " + Count.of(total, "slot") + " in " + Count.of(moves.size(), "move") + ": " + String.join(", ", moves.stream()
                .map(m -> m.slotCount() + " " + NodeLine.shortId(m.from()) + "->" + NodeLine.shortId(m.to())).toList()));
        SlotMover.Result result = new SlotMover(moverOptions, run.credentials()).move(cluster, moves, moverListener);
        run.actions().add(result.summary());
        if (!result.ok()) {
            throw new ClusterRefusedException("the slot move did not finish; run 'redis-ha fix', then converge again", result.leftOpen());
        }
    }

    /** 4. Drained masters the plan makes replicas now follow their leader. */
    private static void demote(Run run, List<Demotion> demotions) {
        for (Demotion d : demotions) {
            requireEmpty(d.address(), d.name(), run.credentials());
            replicate(d.address(), d.leaderId(), run.credentials());
            run.actions().add("CLUSTER REPLICATE " + NodeLine.shortId(d.leaderId()) + " on drained master " + d.name() + " (" + d.address() + ")");
        }
    }

    /** 5. Nodes the plan drops: drained masters and replicas are forgotten by every remaining node, then reset. */
    private static void remove(Run run, NodeAddress seed, Cast cast, Map<String, NodeAddress> remaining) {
        if (cast.removed().isEmpty()) {
            return;
        }
        Credentials credentials = run.credentials();
        LiveCluster now = LiveCluster.load(seed, credentials);
        Map<String, List<SlotRange>> ownedNow = now.ownedRanges();
        for (Member r : cast.removed()) {
            if (now.member(r.id()).filter(Member::isMaster).isPresent()) {
                if (!ownedNow.getOrDefault(r.id(), List.of()).isEmpty()) {
                    throw new ClusterRefusedException("refusing to remove a node that still serves slots", List.of(r.label()
                            + " serves " + SlotRange.total(ownedNow.get(r.id())) + " slots; rebalance it away first"));
                }
                requireEmpty(r.address(), r.label(), credentials);
            }
        }
        run.listener().step("forget", cast.removed().size());
        List<String> removedIds = cast.removed().stream().map(Member::id).sorted().toList();
        // All FORGETs go out at once: a node forgets a peer for 60 s only, so every node must do it
        // within that window or gossip from a slower one brings the peer back.
        try (Parallel parallel = new Parallel(remaining.size())) {
            parallel.map(new ArrayList<>(remaining.values()), a -> {
                try (NodeSession s = NodeSession.open(a, credentials)) {
                    removedIds.forEach(s::forget);
                }
                return a;
            });
        }
        for (Member r : cast.removed()) {
            run.actions().add("CLUSTER FORGET " + NodeLine.shortId(r.id()) + " on " + Count.of(remaining.size(), "node"));
            try (NodeSession s = NodeSession.open(r.address(), credentials)) {
                s.resetHard();
            }
            run.actions().add("CLUSTER RESET HARD on removed node " + r.label());
        }
    }

    /** 6. Done when every remaining node knows exactly the planned members, serves, and replicas follow their leader. */
    private void awaitPlannedMembers(Run run, Cast cast, Map<String, NodeAddress> finalAddresses) {
        Set<String> finalIds = new TreeSet<>(finalAddresses.keySet());
        Map<String, String> leaderOf = cast.leaderOf(run.placement());
        run.listener().step("settle", finalIds.size());
        waitUntil("every node knows exactly the planned members, cluster_state:ok, every replica follows its leader",
                finalAddresses, run.credentials(), (id, s) -> {
                    NodeAddress a = finalAddresses.get(id);
                    MemberView view = MemberView.of(s);
                    if (!view.memberIds().equals(finalIds)) {
                        return Optional.of(a + " knows " + Count.of(view.memberIds().size(), "member") + ", expected " + finalIds.size());
                    }
                    Optional<String> serving = notServing(a, s);
                    if (serving.isPresent()) {
                        return serving;
                    }
                    for (Map.Entry<String, String> e : leaderOf.entrySet()) {
                        if (view.byId(e.getKey()).flatMap(NodeLine::masterId).filter(e.getValue()::equals).isEmpty()) {
                            return Optional.of(a + " does not see " + NodeLine.shortId(e.getKey())
                                    + " replicating " + NodeLine.shortId(e.getValue()) + " yet");
                        }
                    }
                    if (leaderOf.containsKey(id)) {
                        Map<String, String> repl = s.info("replication");
                        if (!"up".equals(repl.get("master_link_status"))) {
                            return Optional.of(a + " replica link is " + repl.get("master_link_status"));
                        }
                    }
                    return Optional.empty();
                });
    }

    private static Optional<String> notServing(NodeAddress a, NodeSession s) {
        String state = s.clusterInfo().getOrDefault("cluster_state", "?");
        return "ok".equals(state) ? Optional.empty() : Optional.of(a + " reports cluster_state:" + state);
    }

    /** The live leader of each planned shard: its live master, a new node, or the shard mate a failover promoted. */
    private static Map<Integer, String> leaders(Placement placement, Map<String, Member> byName,
                                                Map<String, String> freshIds, List<String> problems) {
        Map<Integer, String> leader = new TreeMap<>();
        for (PlannedNode master : placement.plan().masterNodes()) {
            Member m = byName.get(master.name());
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
    static ScalePreview preview(Placement placement, LiveCluster cluster, Credentials credentials) {
        Map<String, Member> byName = membersByName(placement, cluster);
        Map<String, String> freshIds = new LinkedHashMap<>();
        for (PlannedNode master : placement.plan().masterNodes()) {
            if (!byName.containsKey(master.name())) {
                try (NodeSession s = NodeSession.open(placement.addressOf(master.name()), credentials)) {
                    freshIds.put(master.name(), MemberView.of(s).myself().id());
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
        try (NodeSession s = NodeSession.open(address, credentials)) {
            s.replicate(leaderId);
        }
    }

    private static void requireEmpty(NodeAddress address, String label, Credentials credentials) {
        try (NodeSession s = NodeSession.open(address, credentials)) {
            long keys = s.dbSize();
            if (keys > 0) {
                throw new ClusterRefusedException("refusing to change the role of or remove a master that holds keys",
                        List.of(label + " still holds " + Count.of(keys, "key") + " after its slots moved away; run 'redis-ha fix' to move stray keys"));
            }
        }
    }

    /** What a node still lacks; empty when it is done. */
    interface Condition {
        Optional<String> pending(String id, NodeSession session);
    }

    /** Polls every node at once, each over one session kept for the whole wait. */
    private void waitUntil(String what, Map<String, NodeAddress> nodes, Credentials credentials, Condition condition) {
        List<Map.Entry<String, NodeAddress>> entries = new ArrayList<>(nodes.entrySet());
        Map<String, NodeSession> sessions = new java.util.concurrent.ConcurrentHashMap<>();
        try (Parallel parallel = new Parallel(entries.size())) {
            Poll.until(what, timeout, () -> parallel.map(entries, e -> {
                NodeSession s = sessions.computeIfAbsent(e.getKey(), k -> NodeSession.open(e.getValue(), credentials));
                return condition.pending(e.getKey(), s);
            }).stream().flatMap(Optional::stream).findFirst());
        } finally {
            sessions.values().forEach(NodeSession::close);
        }
    }
}
