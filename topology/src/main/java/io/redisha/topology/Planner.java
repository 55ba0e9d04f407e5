package io.redisha.topology;

import io.redisha.text.Count;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The zone-aware placement planner: pure functions, no I/O. The Pulumi component publishes its
 * plan, the bootstrap enforces it, and the policy pack and {@code check} verify against it.
 *
 * <p>Layout: with zones {@code z[0..Z-1]}, the master of shard {@code s} runs in {@code z[s mod Z]}
 * and its replica {@code k} (1-based) in the {@code k}-th zone after it, {@code z[(s+k) mod Z]}.
 * Masters are therefore balanced over zones, no replica shares its master's zone, the replicas of
 * one master are in distinct zones, and a node's zone depends only on its shard and member number:
 * adding masters or replicas never moves an existing node.
 */
public final class Planner {
    /** Redis Cluster needs three masters so that a majority can still vote after one is lost. */
    public static final int MIN_MASTERS = 3;
    /** Redis documents clusters up to about 1000 nodes; gossip cost grows past that. */
    public static final int MAX_NODES = 1000;
    /** Beyond this many zones the permutation search for a node list is not attempted. */
    private static final int MAX_PERMUTED_ZONES = 7;

    private Planner() {
    }

    /** Plans {@code masters} shards of one master and {@code replicasPerMaster} replicas over {@code zones}. */
    public static Plan plan(int masters, int replicasPerMaster, List<String> zones, ZoneLoss zoneLoss) {
        validate(masters, replicasPerMaster, zones);
        Plan plan = layout(masters, replicasPerMaster, zones);
        if (!plan.zoneSafety().survivesZoneLoss() && zoneLoss == ZoneLoss.MUST_SURVIVE) {
            throw unsurvivable(masters, replicasPerMaster, zones, plan.zoneSafety());
        }
        return plan;
    }

    /**
     * Binds real nodes to a plan: {@code nodes.size() / (replicasPerMaster + 1)} masters over the
     * zones the nodes are in. Each zone must hold exactly as many nodes as the layout puts there; the
     * zone order is the first (in sorted order) that fits, so the answer does not depend on the order
     * the nodes were listed in.
     *
     * @param current the placement the cluster has today, when growing or shrinking it: every node
     *                that keeps its planned name keeps its address, and the zone order is kept
     */
    public static Placement assign(List<ZonedNode> nodes, int replicasPerMaster, ZoneLoss zoneLoss,
                                   Optional<Placement> current) {
        if (nodes == null || nodes.isEmpty()) {
            throw new InvalidPlanException("nodes", "(none)", "at least " + MIN_MASTERS + " nodes as HOST:PORT@ZONE");
        }
        requireReplicas(replicasPerMaster);
        Set<NodeAddress> seen = new HashSet<>();
        for (ZonedNode node : nodes) {
            if (!seen.add(node.address())) {
                throw new InvalidPlanException("nodes", node.address(), "each node listed once; " + node.address() + " appears twice");
            }
        }
        int shardSize = replicasPerMaster + 1;
        if (nodes.size() % shardSize != 0) {
            throw new InvalidPlanException("nodes", Count.of(nodes.size(), "node"),
                    "a multiple of " + shardSize + " (1 master + " + Count.of(replicasPerMaster, "replica") + " per shard)");
        }
        int masters = nodes.size() / shardSize;
        Map<String, List<NodeAddress>> supply = new TreeMap<>();
        for (ZonedNode node : nodes) {
            supply.computeIfAbsent(node.zone(), z -> new ArrayList<>()).add(node.address());
        }
        supply.values().forEach(Collections::sort);

        List<String> zoneOrder = current.isPresent()
                ? keptZoneOrder(current.get(), supply.keySet())
                : fittingZoneOrder(masters, replicasPerMaster, supply);
        Plan plan = current.isPresent()
                ? grow(current.get().plan(), masters, replicasPerMaster, zoneOrder, zoneLoss)
                : plan(masters, replicasPerMaster, zoneOrder, zoneLoss);
        if (!demand(plan).equals(counts(supply))) {
            throw new InvalidPlanException("nodes", describe(counts(supply)),
                    "for " + Count.of(masters, "master") + " x " + Count.of(replicasPerMaster, "replica") + " the zones must hold "
                            + describe(demand(plan)) + " nodes");
        }
        return bind(plan, supply, current);
    }

    private static Placement bind(Plan plan, Map<String, List<NodeAddress>> supply, Optional<Placement> current) {
        Map<String, List<NodeAddress>> free = new TreeMap<>();
        supply.forEach((zone, addresses) -> free.put(zone, new ArrayList<>(addresses)));
        Map<String, NodeAddress> bound = new LinkedHashMap<>();
        Map<String, NodeAddress> retiring = new LinkedHashMap<>();
        if (current.isPresent()) {
            for (Map.Entry<String, NodeAddress> kept : current.get().addresses().entrySet()) {
                boolean stillPlanned = plan.nodes().stream().anyMatch(n -> n.name().equals(kept.getKey()));
                String zone = current.get().plan().node(kept.getKey()).zone();
                boolean listed = free.getOrDefault(zone, List.of()).contains(kept.getValue());
                if (stillPlanned && !listed) {
                    throw new InvalidPlanException("nodes", "(without " + kept.getValue() + "@" + zone + ")",
                            "a list that keeps every node of the current cluster; " + kept.getValue()
                                    + " plays " + kept.getKey() + " today");
                }
                if (!stillPlanned && listed) {
                    throw new InvalidPlanException("nodes", kept.getValue() + "@" + zone,
                            "a list without the nodes the smaller plan removes; " + kept.getKey() + " is not in the new plan");
                }
                if (stillPlanned) {
                    bound.put(kept.getKey(), kept.getValue());
                    free.get(zone).remove(kept.getValue());
                } else {
                    retiring.put(kept.getKey(), kept.getValue());
                }
            }
        }
        for (PlannedNode node : plan.nodes()) {
            if (!bound.containsKey(node.name())) {
                bound.put(node.name(), free.get(node.zone()).remove(0));
            }
        }
        return new Placement(plan, bound, retiring);
    }

    /** The current zone order, with zones new to the cluster appended (sorted): adding a zone moves no node. */
    private static List<String> keptZoneOrder(Placement current, Set<String> zonesNow) {
        List<String> order = new ArrayList<>(current.plan().zones());
        List<String> dropped = order.stream().filter(z -> !zonesNow.contains(z)).toList();
        if (!dropped.isEmpty()) {
            throw new InvalidPlanException("zones", String.join(",", new TreeSet<>(zonesNow)),
                    "the zones of the current cluster (" + String.join(",", order) + ") plus any new ones; leaving out "
                            + String.join(",", dropped) + " would move the nodes there, so build a new cluster for it");
        }
        new TreeSet<>(zonesNow).stream().filter(z -> !order.contains(z)).forEach(order::add);
        return order;
    }

    /**
     * Grows (or shrinks) a plan over {@code zones} (the current zones first, new ones after) without
     * moving any node it keeps: every node the current plan has keeps its zone, role and shard. A new
     * node takes the first zone, in rotation order from {@code (shard + member) mod Z}, that its shard
     * does not use yet, which is exactly the fresh layout when the zones did not change. So extending
     * 3 zones to 4 puts the next new master in the new zone.
     */
    public static Plan grow(Plan current, int masters, int replicasPerMaster, List<String> zones, ZoneLoss zoneLoss) {
        validate(masters, replicasPerMaster, zones);
        Map<String, String> kept = new LinkedHashMap<>();
        current.nodes().forEach(n -> kept.put(n.name(), n.zone()));
        Plan plan = layout(masters, replicasPerMaster, zones, (shard, member) -> Optional.ofNullable(kept.get(PlannedNode.nameOf(shard, member))));
        if (!plan.zoneSafety().survivesZoneLoss() && zoneLoss == ZoneLoss.MUST_SURVIVE) {
            throw unsurvivable(masters, replicasPerMaster, zones, plan.zoneSafety());
        }
        return plan;
    }

    /** The first zone order, in lexicographic permutation order, whose layout fits the nodes given. */
    private static List<String> fittingZoneOrder(int masters, int replicas, Map<String, List<NodeAddress>> supply) {
        List<String> sorted = new ArrayList<>(supply.keySet());
        if (sorted.size() > MAX_PERMUTED_ZONES || masters < MIN_MASTERS) {
            return sorted;
        }
        Map<String, Integer> have = counts(supply);
        List<String> order = new ArrayList<>(sorted);
        do {
            if (demand(layoutZonesOnly(masters, replicas, order), order).equals(have)) {
                return order;
            }
        } while (nextPermutation(order));
        return sorted;
    }

    private static Map<String, Integer> counts(Map<String, List<NodeAddress>> supply) {
        Map<String, Integer> counts = new TreeMap<>();
        supply.forEach((zone, addresses) -> counts.put(zone, addresses.size()));
        return counts;
    }

    private static Map<String, Integer> demand(Plan plan) {
        return demand(plan.nodes().stream().map(PlannedNode::zone).toList(), plan.zones());
    }

    private static Map<String, Integer> demand(List<String> nodeZones, List<String> zones) {
        Map<String, Integer> demand = new TreeMap<>();
        zones.forEach(zone -> demand.put(zone, 0));
        nodeZones.forEach(zone -> demand.merge(zone, 1, Integer::sum));
        return demand;
    }

    private static String describe(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static boolean nextPermutation(List<String> list) {
        int i = list.size() - 2;
        while (i >= 0 && list.get(i).compareTo(list.get(i + 1)) >= 0) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = list.size() - 1;
        while (list.get(j).compareTo(list.get(i)) <= 0) {
            j--;
        }
        Collections.swap(list, i, j);
        Collections.reverse(list.subList(i + 1, list.size()));
        return true;
    }

    static String zoneOf(int shard, int member, List<String> zones) {
        return zones.get((shard + member) % zones.size());
    }

    private static List<String> layoutZonesOnly(int masters, int replicas, List<String> zones) {
        List<String> nodeZones = new ArrayList<>();
        for (int shard = 0; shard < masters; shard++) {
            for (int member = 0; member <= replicas; member++) {
                nodeZones.add(zoneOf(shard, member, zones));
            }
        }
        return nodeZones;
    }

    private static Plan layout(int masters, int replicas, List<String> zones) {
        return layout(masters, replicas, zones, (shard, member) -> Optional.empty());
    }

    /** @param fixed the zone a node already has (it never moves); empty for a node to place */
    private static Plan layout(int masters, int replicas, List<String> zones,
                               java.util.function.BiFunction<Integer, Integer, Optional<String>> fixed) {
        List<PlannedNode> nodes = new ArrayList<>();
        List<ShardZones> shards = new ArrayList<>();
        for (int shard = 0; shard < masters; shard++) {
            String masterName = PlannedNode.nameOf(shard, 0);
            List<String> used = new ArrayList<>();
            for (int member = 0; member <= replicas; member++) {
                final int s = shard;
                final int m = member;
                used.add(fixed.apply(shard, member).orElseGet(() -> freeZone(s, m, zones, used)));
            }
            String masterZone = used.get(0);
            nodes.add(new PlannedNode(masterName, shard, 0, Role.MASTER, masterZone, "", List.of(evenSlots(shard, masters))));
            List<String> replicaZones = new ArrayList<>();
            for (int member = 1; member <= replicas; member++) {
                String zone = used.get(member);
                replicaZones.add(zone);
                nodes.add(new PlannedNode(PlannedNode.nameOf(shard, member), shard, member, Role.REPLICA, zone, masterName, List.of()));
            }
            shards.add(new ShardZones(masterName, masterZone, replicaZones));
        }
        return new Plan(masters, replicas, zones, nodes, ZoneSafety.evaluate(zones, shards));
    }

    /** The first zone from {@code (shard + member) mod Z} on that the shard does not use yet (the rotation when none is taken). */
    private static String freeZone(int shard, int member, List<String> zones, List<String> used) {
        for (int step = 0; step < zones.size(); step++) {
            String zone = zoneOf(shard, member + step, zones);
            if (!used.contains(zone)) {
                return zone;
            }
        }
        return zoneOf(shard, member, zones);
    }

    /** The even split redis-cli uses, so our ranges match what its users know (0-5460, 5461-10922, ...). */
    static SlotRange evenSlots(int shard, int masters) {
        return new SlotRange(shard == 0 ? 0 : lastEvenSlot(shard - 1, masters) + 1, lastEvenSlot(shard, masters));
    }

    private static int lastEvenSlot(int shard, int masters) {
        if (shard == masters - 1) {
            return SlotRange.SLOT_COUNT - 1;
        }
        return (int) Math.round((shard + 1) * ((double) SlotRange.SLOT_COUNT / masters) - 1);
    }

    private static void requireReplicas(int replicasPerMaster) {
        if (replicasPerMaster < 0) {
            throw new InvalidPlanException("replicasPerMaster", replicasPerMaster, "0 or more (1 or more to survive a node loss, 2 is safer)");
        }
    }

    private static void validate(int masters, int replicasPerMaster, List<String> zones) {
        if (masters < MIN_MASTERS) {
            throw new InvalidPlanException("masters", masters, "at least " + MIN_MASTERS
                    + ": Redis Cluster needs a majority of masters to vote a failover, so fewer cannot survive losing one");
        }
        requireReplicas(replicasPerMaster);
        long total = (long) masters * (replicasPerMaster + 1);
        if (total > MAX_NODES) {
            throw new InvalidPlanException("masters", masters, "a layout of at most " + MAX_NODES + " nodes; "
                    + Count.of(masters, "master") + " x (1 + " + Count.of(replicasPerMaster, "replica") + ") is " + total);
        }
        Zones.requireValidList(zones);
        if (replicasPerMaster >= 1 && zones.size() < replicasPerMaster + 1) {
            throw new InvalidPlanException("zones", String.join(",", zones), "at least " + (replicasPerMaster + 1)
                    + " zones for replicasPerMaster=" + replicasPerMaster
                    + ", so each replica runs in its own zone apart from its master; got " + zones.size());
        }
    }

    private static InvalidPlanException unsurvivable(int masters, int replicas, List<String> zones, ZoneSafety safety) {
        String why = String.join("; ", safety.problems());
        String accept = " Or accept the risk explicitly (acceptZoneLossRisk / --accept-zone-loss-risk).";
        if (replicas == 0) {
            return new InvalidPlanException("replicasPerMaster", 0, why + ". Use 1 or more replicas per master." + accept);
        }
        if (zones.size() < 3) {
            return new InvalidPlanException("zones", String.join(",", zones), why
                    + ". Masters over " + zones.size() + " zones can never keep a majority when one is lost; use at least 3 zones." + accept);
        }
        return new InvalidPlanException("masters", masters, why + ". " + whatWouldSurvive(masters, replicas, zones) + accept);
    }

    /**
     * The nearest safe targets, as a sentence for the user: {@code Use 3 or 5 masters over these
     * zones, or more zones.} Shared by the planner's refusal, {@code create}, {@code plan diff} and
     * {@code heal}, so every path that meets an unsafe layout says the same thing.
     */
    public static String whatWouldSurvive(int masters, int replicas, List<String> zones) {
        List<Integer> better = nearestSurvivingMasters(masters, Math.max(1, replicas), zones);
        return better.isEmpty() ? "Use more zones."
                : "Use " + better.stream().map(String::valueOf).collect(Collectors.joining(" or ")) + " masters over these zones, or more zones.";
    }

    /** At most two master counts nearest to {@code masters} whose layout over {@code zones} survives a zone loss, nearest first. */
    public static List<Integer> nearestSurvivingMasters(int masters, int replicas, List<String> zones) {
        List<Integer> better = new ArrayList<>();
        if (zones.size() < 3) {
            return better;
        }
        for (int distance = 1; distance <= Math.max(masters, MIN_MASTERS) && better.size() < 2; distance++) {
            for (int candidate : new int[] {masters - distance, masters + distance}) {
                if (candidate >= MIN_MASTERS && better.size() < 2 && (long) candidate * (replicas + 1) <= MAX_NODES
                        && layout(candidate, replicas, zones).zoneSafety().survivesZoneLoss()) {
                    better.add(candidate);
                }
            }
        }
        return better;
    }
}
