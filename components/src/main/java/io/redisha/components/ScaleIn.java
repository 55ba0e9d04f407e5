package io.redisha.components;

import io.redisha.topology.Plan;
import io.redisha.topology.PlannedNode;
import io.redisha.topology.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The two-phase scale-in, decided from the last deployment (its plan and the nodes it was retiring)
 * and the new plan. A node that may still hold slots is never dropped:
 * <ol>
 *   <li>Phase 1: the nodes a smaller plan leaves out stay declared (same inputs, termination
 *       protection lifted so phase 2 can delete them) and the placement lists them as
 *       {@code retiring}; the converge association drains their slots, forgets and resets them.</li>
 *   <li>Phase 2: with {@code retiredNodesDrained=true} the nodes the last deployment was retiring are
 *       no longer declared, so Pulumi deletes their instances. Refused for a node that only leaves the
 *       plan in this run: it has not been drained yet.</li>
 * </ol>
 * Pure: no Pulumi, no I/O; {@link RedisCluster} declares what this decides.
 *
 * @param retiring  nodes to keep declared and list as retiring in the placement (phase 1)
 * @param removing  names of the retiring nodes whose instances this run deletes (phase 2)
 * @param zoneIndex for each retiring node, the index of its zone in the plan's zone order
 */
public record ScaleIn(List<PlannedNode> retiring, List<String> removing, Map<String, Integer> zoneIndex) {
    public static final ScaleIn NONE = new ScaleIn(List.of(), List.of(), Map.of());

    public ScaleIn {
        retiring = List.copyOf(retiring);
        removing = List.copyOf(removing);
        zoneIndex = Map.copyOf(zoneIndex);
    }

    /**
     * @param previous         the plan of the last deployment (real zone names), if there was one
     * @param previousRetiring the nodes the last deployment listed as retiring
     * @param next             the new plan (over {@code zoneLabels})
     * @param zonesGiven       whether {@code zoneLabels} are real zone names (else az-1..az-N by position)
     * @param drained          the user confirms the retiring nodes are drained (phase 2)
     * @param problems         receives what is refused, each naming the input and the fix
     */
    static ScaleIn decide(Optional<Plan> previous, List<PlannedNode> previousRetiring, Plan next, List<String> zoneLabels,
                          boolean zonesGiven, boolean drained, List<String> problems) {
        if (previous.isEmpty()) {
            if (!previousRetiring.isEmpty()) {
                problems.add("previousRetiringNodes is given without previousPlan: pass both from the last deployment's"
                        + " outputs (plan, retiringNodes)");
            }
            return NONE;
        }
        Plan prev = previous.get();
        List<String> zones = prev.zones();
        // New zones may follow the running cluster's (ClusterSettings then grows the plan); none may go or move.
        boolean kept = zonesGiven ? zoneLabels.size() >= zones.size() && zoneLabels.subList(0, zones.size()).equals(zones)
                : zones.size() == zoneLabels.size();
        if (!kept) {
            problems.add("zones=" + zoneLabels + " differ from the last deployment's zones " + zones + ": nodes never move"
                    + " between zones; keep the zones (in the same order) of the running cluster, new zones after them");
            return NONE;
        }
        Set<String> nextNames = next.nodes().stream().map(PlannedNode::name).collect(Collectors.toSet());
        for (PlannedNode was : prev.nodes()) {
            if (nextNames.contains(was.name())) {
                PlannedNode now = next.node(was.name());
                if (now.role() != was.role() || zoneLabels.indexOf(now.zone()) != zones.indexOf(was.zone())) {
                    problems.add(was.name() + " would change from " + was.role().label() + " in " + was.zone() + " to "
                            + now.role().label() + " in zone #" + (zoneLabels.indexOf(now.zone()) + 1)
                            + ": the planner never moves or recasts an existing node; keep the zones and their order");
                }
            }
        }
        Map<String, PlannedNode> leaving = new LinkedHashMap<>();
        List<String> newlyLeaving = new ArrayList<>();
        for (PlannedNode was : prev.nodes()) {
            if (!nextNames.contains(was.name())) {
                leaving.put(was.name(), was);
                newlyLeaving.add(was.name());
            }
        }
        for (PlannedNode was : previousRetiring) {
            if (!nextNames.contains(was.name())) {
                leaving.putIfAbsent(was.name(), was);
            }
        }
        Map<String, Integer> zoneIndex = new LinkedHashMap<>();
        for (PlannedNode node : leaving.values()) {
            int index = zones.indexOf(node.zone());
            if (index < 0) {
                problems.add("retiring node " + node.name() + " is in zone " + node.zone() + ", which is not one of the"
                        + " last deployment's zones " + zones + "; the previous outputs (plan, retiringNodes) disagree");
            }
            zoneIndex.put(node.name(), index);
        }
        if (!drained) {
            return new ScaleIn(List.copyOf(leaving.values()), List.of(), zoneIndex);
        }
        if (!newlyLeaving.isEmpty()) {
            problems.add("retiredNodesDrained=true, but " + String.join(", ", newlyLeaving) + " leave the plan in this run"
                    + " and may still hold slots: a node is removed only after a deployment has drained it. Run"
                    + " `pulumi up` with retiredNodesDrained unset (converge drains, forgets and resets them), check with"
                    + " `redis-ha check`, then set retiredNodesDrained=true and run `pulumi up` again");
            return NONE;
        }
        return new ScaleIn(List.of(), List.copyOf(leaving.keySet()), Map.of());
    }

    /** A retiring node as the {@code retiringNodes} output lists it (and {@link #nodeOf} reads it back). */
    public static Map<String, String> describe(PlannedNode node) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", node.name());
        m.put("zone", node.zone());
        m.put("role", node.role().label());
        m.put("shard", String.valueOf(node.shard()));
        m.put("member", String.valueOf(node.member()));
        m.put("replicaOf", node.replicaOf());
        return m;
    }

    /**
     * Reads one entry of a previous {@code retiringNodes} output (a map with name, zone, role, shard,
     * member; other keys such as privateIp are ignored).
     */
    public static PlannedNode nodeOf(Map<?, ?> entry) {
        String name = text(entry, "name");
        try {
            Role role = Role.valueOf(text(entry, "role").toUpperCase(java.util.Locale.ROOT));
            return new PlannedNode(name, (int) Double.parseDouble(text(entry, "shard")),
                    (int) Double.parseDouble(text(entry, "member")), role, text(entry, "zone"),
                    entry.get("replicaOf") == null ? "" : String.valueOf(entry.get("replicaOf")), List.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("retiringNodes entry " + entry + " is not valid: name, zone, role"
                    + " (master|replica), shard and member are required", e);
        }
    }

    private static String text(Map<?, ?> entry, String key) {
        Object value = entry.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException("retiringNodes entry " + entry + " has no " + key);
        }
        return String.valueOf(value);
    }
}
