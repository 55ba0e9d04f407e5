package io.redisha.cluster;

import io.redisha.topology.ShardZones;
import io.redisha.topology.ZoneSafety;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which replicas heal promotes with a graceful CLUSTER FAILOVER: a pure function of the live
 * roles and zones, so it is tested without a cluster.
 *
 * <p>Goal: masters as evenly spread over the zones as the planner spreads them (no zone above
 * ceil(masters/zones), none below floor), which is what keeps the cluster alive when a zone is
 * lost. A failover moves one master from its zone to the zone of the promoted replica, so the
 * fewest failovers is the total excess; when no replica sits in an emptier zone directly, a
 * shortest chain of failovers through a full zone is used (breadth-first search over zones).
 * A replica in its own master's zone cannot be fixed by a failover (it swaps roles within one
 * zone); it is reported for a re-plan instead.
 */
public final class HealPlan {
    /** A node and its zone. */
    public record Node(String id, String label, String zone) {
    }

    /** One shard as it runs now: its master and its healthy replicas (link up, not failing). */
    public record Shard(Node master, List<Node> replicas) {
        public Shard {
            replicas = List.copyOf(replicas);
        }
    }

    /** Promote {@code replica}; its master {@code from} becomes its replica. */
    public record Failover(Node replica, Node from) {
        @Override
        public String toString() {
            return "CLUSTER FAILOVER on " + replica.label() + " (" + replica.zone() + "): takes over from " + from.label() + " (" + from.zone() + ")";
        }
    }

    /**
     * @param unfixable what failovers cannot fix (a replica in its master's zone, no replica in an
     *                  emptier zone), one sentence each with the next step
     */
    public record Result(List<Failover> failovers, ZoneSafety before, ZoneSafety after, List<String> unfixable) {
        public Result {
            failovers = List.copyOf(failovers);
            unfixable = List.copyOf(unfixable);
        }
    }

    private HealPlan() {
    }

    public static Result plan(List<String> zones, List<Shard> shards) {
        List<String> zoneList = new ArrayList<>(new TreeSet<>(zones));
        List<Shard> ordered = new ArrayList<>(shards);
        ordered.sort(Comparator.comparing((Shard s) -> s.master().zone()).thenComparing(s -> s.master().label()));
        // Current master of each shard (index into ordered), changed as failovers are planned.
        List<Node> master = new ArrayList<>(ordered.stream().map(Shard::master).toList());
        Map<String, Integer> count = new TreeMap<>();
        zoneList.forEach(z -> count.put(z, 0));
        master.forEach(m -> count.merge(m.zone(), 1, Integer::sum));
        int total = ordered.size();
        int zonesCount = Math.max(1, count.size());
        int cap = (total + zonesCount - 1) / zonesCount;
        int floor = total / zonesCount;

        List<Failover> failovers = new ArrayList<>();
        Set<Integer> moved = new HashSet<>();
        List<String> unfixable = new ArrayList<>();
        // Phase 1: no zone above the cap; phase 2: no zone below the floor.
        for (int phase = 1; phase <= 2; phase++) {
            while (true) {
                final int p = phase;
                List<String> sources = count.keySet().stream().filter(z -> p == 1 ? count.get(z) > cap : count.get(z) > floor).toList();
                Set<String> sinks = new HashSet<>(count.keySet().stream().filter(z -> p == 1 ? count.get(z) < cap : count.get(z) < floor).toList());
                boolean needed = p == 1 ? count.values().stream().anyMatch(c -> c > cap) : !sinks.isEmpty();
                if (!needed) {
                    break;
                }
                Optional<List<Integer>> path = shortestPath(sources, sinks, ordered, master, moved);
                if (path.isEmpty()) {
                    unfixable.add("masters per zone " + count + " cannot be evened out by failovers: no healthy replica runs in an emptier zone;"
                            + " add or move replicas (redis-ha converge to the plan)");
                    break;
                }
                for (int shard : path.get()) {
                    Node from = master.get(shard);
                    Node to = chosen(ordered.get(shard), from, path.get(), shard, master, sinks);
                    failovers.add(new Failover(to, from));
                    master.set(shard, to);
                    count.merge(from.zone(), -1, Integer::sum);
                    count.merge(to.zone(), 1, Integer::sum);
                    moved.add(shard);
                }
            }
        }
        for (Shard s : ordered) {
            for (Node r : s.replicas()) {
                if (r.zone().equals(s.master().zone()) && s.replicas().stream().allMatch(x -> x.zone().equals(s.master().zone()))) {
                    unfixable.add("the replica " + r.label() + " of " + s.master().label() + " runs in its master's zone " + r.zone()
                            + ": a failover only swaps them within that zone; move the replica (redis-ha converge to the plan)");
                }
            }
        }
        ZoneSafety after = safety(zoneList, ordered, master);
        if (!after.survivesZoneLoss() && unfixable.isEmpty()) {
            // Evenly spread and still unsafe: the counts themselves are the problem (4 masters over 3 zones).
            unfixable.add("failovers cannot fix this layout: " + String.join("; ", after.problems()) + ". "
                    + io.redisha.topology.Planner.whatWouldSurvive(total, 1, zoneList)
                    + " Add nodes with create/converge (on AWS: redis-ha:masters or redis-ha:zones).");
        }
        return new Result(failovers, safety(zoneList, ordered, ordered.stream().map(Shard::master).toList()), after, unfixable);
    }

    /** The zone each planned hop lands in was fixed by the search; pick that shard's replica in it. */
    private static Node chosen(Shard shard, Node from, List<Integer> hops, int index, List<Node> master, Set<String> sinks) {
        int position = hops.indexOf(index);
        // The next hop's shard is mastered in the zone this hop must land in; the last hop lands in a sink.
        String target = position + 1 < hops.size() ? master.get(hops.get(position + 1)).zone() : null;
        for (Node r : candidates(shard, from)) {
            if (target != null ? r.zone().equals(target) : sinks.contains(r.zone())) {
                return r;
            }
        }
        throw new IllegalStateException("no replica of " + from.label() + " in the zone the search chose");
    }

    private static List<Node> candidates(Shard shard, Node current) {
        List<Node> all = new ArrayList<>(shard.replicas());
        all.add(shard.master());
        return all.stream().filter(n -> !n.id().equals(current.id())).sorted(Comparator.comparing(Node::zone).thenComparing(Node::label)).toList();
    }

    /** Breadth-first over zones: a hop is a shard mastered in one zone with a candidate in another. Returns the shards in hop order. */
    private static Optional<List<Integer>> shortestPath(List<String> sources, Set<String> sinks, List<Shard> shards, List<Node> master,
                                                        Set<Integer> moved) {
        Map<String, Integer> viaShard = new HashMap<>();
        Map<String, String> previous = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>(sources);
        queue.addAll(sources);
        while (!queue.isEmpty()) {
            String zone = queue.poll();
            for (int i = 0; i < shards.size(); i++) {
                if (moved.contains(i) || !master.get(i).zone().equals(zone)) {
                    continue;
                }
                for (Node candidate : candidates(shards.get(i), master.get(i))) {
                    String next = candidate.zone();
                    if (seen.contains(next)) {
                        continue;
                    }
                    seen.add(next);
                    viaShard.put(next, i);
                    previous.put(next, zone);
                    if (sinks.contains(next)) {
                        List<Integer> hops = new ArrayList<>();
                        for (String z = next; viaShard.containsKey(z); z = previous.get(z)) {
                            hops.add(0, viaShard.get(z));
                        }
                        return Optional.of(hops);
                    }
                    queue.add(next);
                }
            }
        }
        return Optional.empty();
    }

    private static ZoneSafety safety(List<String> zones, List<Shard> shards, List<Node> masters) {
        List<ShardZones> facts = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            Node m = masters.get(i);
            List<String> replicaZones = new ArrayList<>();
            shards.get(i).replicas().stream().filter(r -> !r.id().equals(m.id())).forEach(r -> replicaZones.add(r.zone()));
            if (!shards.get(i).master().id().equals(m.id())) {
                replicaZones.add(shards.get(i).master().zone());
            }
            facts.add(new ShardZones(m.label(), m.zone(), replicaZones));
        }
        return ZoneSafety.evaluate(zones, facts);
    }
}
