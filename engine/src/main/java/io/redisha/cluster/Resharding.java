package io.redisha.cluster;

import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.transport.Credentials;
import io.redisha.cluster.transport.Nodes;
import io.redisha.text.Count;
import io.redisha.topology.InvalidInputException;
import io.redisha.topology.InvalidPlanException;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.SlotBalancer;
import io.redisha.topology.SlotMove;
import io.redisha.topology.SlotRange;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Plans slot moves over a live cluster (reshard, rebalance) and binds node lists to a live cluster. */
public final class Resharding {
    private Resharding() {
    }

    /**
     * {@code n} slots to {@code to}, taken from the sources in proportion to what each holds (the
     * biggest gives the rounding remainder), highest slots first so the ranges left stay contiguous.
     */
    public static List<SlotMove> reshard(LiveCluster cluster, List<String> fromIds, String toId, int n) {
        Map<String, List<SlotRange>> owned = cluster.ownedRanges();
        if (n < 1 || n > SlotRange.SLOT_COUNT) {
            throw new InvalidInputException("slots", n, "1.." + SlotRange.SLOT_COUNT);
        }
        if (!owned.containsKey(toId)) {
            throw new InvalidInputException("to", toId, "the id or HOST:PORT of a master of this cluster");
        }
        List<String> sources = new ArrayList<>(fromIds);
        sources.remove(toId);
        long available = sources.stream().mapToLong(id -> SlotRange.total(owned.getOrDefault(id, List.of()))).sum();
        if (sources.isEmpty() || available < n) {
            throw new InvalidInputException("slots", n, "at most the " + Count.of(available, "slot") + " the sources hold");
        }
        Map<String, Integer> give = new LinkedHashMap<>();
        int assigned = 0;
        for (String id : sources) {
            int share = (int) (n * (long) SlotRange.total(owned.getOrDefault(id, List.of())) / available);
            give.put(id, share);
            assigned += share;
        }
        List<String> biggest = new ArrayList<>(sources);
        biggest.sort((a, b) -> Integer.compare(SlotRange.total(owned.getOrDefault(b, List.of())), SlotRange.total(owned.getOrDefault(a, List.of()))));
        for (int i = 0; assigned < n; i = (i + 1) % biggest.size()) {
            String id = biggest.get(i);
            if (give.get(id) < SlotRange.total(owned.getOrDefault(id, List.of()))) {
                give.merge(id, 1, Integer::sum);
                assigned++;
            }
        }
        List<SlotMove> moves = new ArrayList<>();
        give.forEach((id, count) -> {
            if (count > 0) {
                TreeSet<Integer> slots = new TreeSet<>(Converger.slotsOf(owned.get(id)));
                TreeSet<Integer> taken = new TreeSet<>();
                for (int i = 0; i < count; i++) {
                    taken.add(slots.pollLast());
                }
                moves.add(new SlotMove(id, toId, SlotRange.compress(taken)));
            }
        });
        return moves;
    }

    /**
     * The fewest moves to the weighted balance. Empty masters take part only with
     * {@code useEmptyMasters} (as redis-cli), or when given a weight.
     *
     * @param weights weight by master id; missing masters weigh 1
     */
    public static List<SlotMove> rebalance(LiveCluster cluster, Map<String, Double> weights, double thresholdPercent,
                                           boolean useEmptyMasters) {
        Map<String, List<SlotRange>> owned = new LinkedHashMap<>();
        cluster.ownedRanges().forEach((id, ranges) -> {
            if (!ranges.isEmpty() || useEmptyMasters || weights.containsKey(id)) {
                owned.put(id, ranges);
            }
        });
        return SlotBalancer.balance(owned, weights, thresholdPercent);
    }

    /**
     * Binds a node list to a plan, keeping the roles of a live cluster among them. When some of the
     * nodes already form a serving cluster and every member is listed (growing, or the same size),
     * the current placement is what the same assignment of the members alone gives, so existing
     * nodes keep their names and new ones take the new names. When members are missing from the list
     * (shrinking) the list is assigned afresh; scaling then drains and removes the unlisted members.
     */
    public static Placement assign(List<ZonedNode> nodes, int replicasPerMaster, ZoneLoss zoneLoss, Credentials credentials) {
        // Unreachable nodes and nodes of no cluster are left to converge, which reports them with the fix.
        return assign(nodes, replicasPerMaster, zoneLoss, LiveCluster.loadServing(nodes.stream().map(ZonedNode::address).toList(), credentials));
    }

    /** As {@link #assign(List, int, ZoneLoss, Credentials)}, over the serving cluster the caller loaded from these nodes (or none). */
    public static Placement assign(List<ZonedNode> nodes, int replicasPerMaster, ZoneLoss zoneLoss, Optional<LiveCluster> live) {
        if (live.isEmpty()) {
            return Planner.assign(nodes, replicasPerMaster, zoneLoss, Optional.empty());
        }
        return rebind(planned(nodes, replicasPerMaster, zoneLoss, live.get()), live.get(), nodes);
    }

    private static Placement planned(List<ZonedNode> nodes, int replicasPerMaster, ZoneLoss zoneLoss, LiveCluster live) {
        List<ZonedNode> members = new ArrayList<>();
        for (LiveCluster.Member m : live.members()) {
            Optional<ZonedNode> listed = nodes.stream().filter(z -> Nodes.same(z.address(), m.address())).findFirst();
            if (listed.isEmpty()) {
                return Planner.assign(nodes, replicasPerMaster, zoneLoss, Optional.empty());
            }
            members.add(listed.get());
        }
        long masters = live.ownedRanges().values().stream().filter(r -> !r.isEmpty()).count();
        if (masters == 0 || members.size() % masters != 0) {
            return Planner.assign(nodes, replicasPerMaster, zoneLoss, Optional.empty());
        }
        Placement current;
        try {
            current = Planner.assign(members, (int) (members.size() / masters) - 1, ZoneLoss.ACCEPT_RISK, Optional.empty());
        } catch (InvalidPlanException e) {
            // Not a rotation layout (a zone was added since it formed): take the roles as they run.
            current = asRunning(live, members);
        }
        return Planner.assign(nodes, replicasPerMaster, zoneLoss, Optional.of(current));
    }

    /** The placement the live roles form, shards ordered by master zone and address: every node keeps its zone and role. */
    private static Placement asRunning(LiveCluster live, List<ZonedNode> members) {
        java.util.function.Function<LiveCluster.Member, ZonedNode> zoned = m -> members.stream()
                .filter(z -> Nodes.same(z.address(), m.address())).findFirst().orElseThrow();
        Map<String, List<SlotRange>> owned = live.ownedRanges();
        java.util.Comparator<LiveCluster.Member> byZone = java.util.Comparator.comparing((LiveCluster.Member m) -> zoned.apply(m).zone())
                .thenComparing(m -> zoned.apply(m).address());
        List<LiveCluster.Member> leaders = live.masters().stream().filter(m -> !owned.getOrDefault(m.id(), List.of()).isEmpty())
                .sorted(byZone).toList();
        List<io.redisha.topology.PlannedNode> planned = new ArrayList<>();
        List<io.redisha.topology.ShardZones> shards = new ArrayList<>();
        Map<String, NodeAddress> addresses = new LinkedHashMap<>();
        for (int shard = 0; shard < leaders.size(); shard++) {
            LiveCluster.Member master = leaders.get(shard);
            String masterName = io.redisha.topology.PlannedNode.nameOf(shard, 0);
            planned.add(new io.redisha.topology.PlannedNode(masterName, shard, 0, io.redisha.topology.Role.MASTER,
                    zoned.apply(master).zone(), "", owned.get(master.id())));
            addresses.put(masterName, zoned.apply(master).address());
            List<LiveCluster.Member> replicas = live.members().stream()
                    .filter(r -> r.self().masterId().filter(master.id()::equals).isPresent()).sorted(byZone).toList();
            for (int member = 1; member <= replicas.size(); member++) {
                ZonedNode r = zoned.apply(replicas.get(member - 1));
                String name = io.redisha.topology.PlannedNode.nameOf(shard, member);
                planned.add(new io.redisha.topology.PlannedNode(name, shard, member, io.redisha.topology.Role.REPLICA, r.zone(), masterName, List.of()));
                addresses.put(name, r.address());
            }
            shards.add(new io.redisha.topology.ShardZones(masterName, zoned.apply(master).zone(),
                    replicas.stream().map(r -> zoned.apply(r).zone()).toList()));
        }
        List<String> zones = members.stream().map(ZonedNode::zone).distinct().sorted().toList();
        int replicasPerMaster = leaders.isEmpty() ? 0 : members.size() / leaders.size() - 1;
        return new Placement(new io.redisha.topology.Plan(leaders.size(), replicasPerMaster, zones, planned,
                io.redisha.topology.ZoneSafety.evaluate(zones, shards)), addresses);
    }

    /**
     * Rebinds addresses to planned names within each zone so that live roles are kept: a planned
     * shard is led by a live master in the planned master's zone, its replicas by that master's live
     * replicas in the planned zones. Names move only between nodes of one zone, so the plan's zone
     * layout is unchanged; scaling then has the fewest roles to change.
     */
    static Placement rebind(Placement placement, LiveCluster live, List<ZonedNode> nodes) {
        Map<String, ZonedNode> listed = new LinkedHashMap<>();
        nodes.forEach(z -> listed.put(z.address().toString(), z));
        java.util.function.Function<LiveCluster.Member, Optional<ZonedNode>> zonedOf = m -> nodes.stream()
                .filter(z -> Nodes.same(z.address(), m.address())).findFirst();
        Map<String, List<SlotRange>> owned = live.ownedRanges();
        List<LiveCluster.Member> leaders = new ArrayList<>(live.masters().stream()
                .filter(m -> !owned.getOrDefault(m.id(), List.of()).isEmpty() && zonedOf.apply(m).isPresent()).toList());
        leaders.sort((a, b) -> Integer.compare(SlotRange.total(owned.get(b.id())), SlotRange.total(owned.get(a.id()))));
        Map<String, io.redisha.topology.NodeAddress> bound = new LinkedHashMap<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (io.redisha.topology.PlannedNode master : placement.plan().masterNodes()) {
            Optional<LiveCluster.Member> leader = leaders.stream().filter(m -> !used.contains(m.id())
                    && zonedOf.apply(m).get().zone().equals(master.zone())).findFirst();
            if (leader.isEmpty()) {
                continue;
            }
            used.add(leader.get().id());
            bound.put(master.name(), zonedOf.apply(leader.get()).get().address());
            for (io.redisha.topology.PlannedNode replica : placement.plan().replicasOf(master.name())) {
                Optional<LiveCluster.Member> r = live.members().stream().filter(m -> !used.contains(m.id())
                        && m.self().masterId().filter(leader.get().id()::equals).isPresent()
                        && zonedOf.apply(m).filter(z -> z.zone().equals(replica.zone())).isPresent()).findFirst();
                if (r.isPresent()) {
                    used.add(r.get().id());
                    bound.put(replica.name(), zonedOf.apply(r.get()).get().address());
                }
            }
        }
        java.util.Set<io.redisha.topology.NodeAddress> taken = new java.util.HashSet<>(bound.values());
        for (io.redisha.topology.PlannedNode node : placement.plan().nodes()) {
            if (!bound.containsKey(node.name())) {
                // Keep the planner's choice when it is free, else the first free node of the zone (sorted).
                io.redisha.topology.NodeAddress own = placement.addressOf(node.name());
                io.redisha.topology.NodeAddress pick = !taken.contains(own) ? own : nodes.stream().sorted()
                        .filter(z -> z.zone().equals(node.zone()) && !taken.contains(z.address()))
                        .map(ZonedNode::address).findFirst().orElseThrow();
                bound.put(node.name(), pick);
                taken.add(pick);
            }
        }
        // Members the list leaves out are what the caller asks to remove: name them retiring, so the
        // removal is written in the placement (converge removes nothing else).
        Map<String, io.redisha.topology.NodeAddress> retiring = new LinkedHashMap<>(placement.retiring());
        for (LiveCluster.Member m : live.members()) {
            boolean listedNode = nodes.stream().anyMatch(z -> Nodes.same(z.address(), m.address()));
            boolean named = retiring.values().stream().anyMatch(a -> Nodes.same(a, m.address()));
            if (!listedNode && !named) {
                retiring.put("retiring-" + NodeLine.shortId(m.id()), m.address());
            }
        }
        return new Placement(placement.plan(), bound, retiring);
    }

    /** Resolves an id, id prefix or HOST:PORT to a member id. */
    public static String resolve(LiveCluster cluster, String what, String option) {
        return cluster.find(what).map(LiveCluster.Member::id).orElseThrow(() -> new InvalidInputException(option, what,
                "the id, a unique id prefix, or HOST:PORT of a member: " + String.join(", ",
                        cluster.members().stream().map(LiveCluster.Member::label).toList())));
    }
}
