package io.redisha.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.redisha.text.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changes between two plans of one cluster: the nodes added and removed, the slot moves that
 * rebalance (the fewest), and zone safety before and after. Existing nodes never change zone or
 * role; {@code recast} lists any that would, which the planner's stability rule forbids.
 */
public record PlanDiff(List<String> added, List<String> removed, List<String> recast, List<SlotMove> moves,
                       ZoneSafety before, ZoneSafety after) {

    public static PlanDiff between(Plan before, Plan after) {
        Set<String> afterNames = names(after);
        Set<String> beforeNames = names(before);
        List<String> added = after.nodes().stream().map(PlannedNode::name).filter(n -> !beforeNames.contains(n)).toList();
        List<String> removed = before.nodes().stream().map(PlannedNode::name).filter(n -> !afterNames.contains(n)).toList();
        List<String> recast = before.nodes().stream().filter(n -> afterNames.contains(n.name()))
                .filter(n -> !after.node(n.name()).zone().equals(n.zone()) || after.node(n.name()).role() != n.role())
                .map(PlannedNode::name).toList();

        Map<String, List<SlotRange>> owned = new LinkedHashMap<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        before.masterNodes().forEach(m -> owned.put(m.name(), m.slots()));
        for (PlannedNode master : after.masterNodes()) {
            owned.putIfAbsent(master.name(), List.of());
        }
        owned.keySet().forEach(m -> weights.put(m, afterNames.contains(m) && after.node(m).isMaster() ? 1.0 : 0.0));
        List<SlotMove> moves = SlotBalancer.balance(owned, weights, 0);
        return new PlanDiff(added, removed, recast, moves, before.zoneSafety(), after.zoneSafety());
    }

    private static Set<String> names(Plan plan) {
        return Set.copyOf(plan.nodes().stream().map(PlannedNode::name).toList());
    }

    @JsonIgnore
    public int slotsMoved() {
        return moves.stream().mapToInt(SlotMove::slotCount).sum();
    }

    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append("Nodes added:   ").append(added.isEmpty() ? "none" : String.join(", ", added)).append('\n');
        out.append("Nodes removed: ").append(removed.isEmpty() ? "none" : String.join(", ", removed)).append('\n');
        if (!recast.isEmpty()) {
            out.append("Nodes that would change zone or role (not allowed): ").append(String.join(", ", recast)).append('\n');
        }
        if (moves.isEmpty()) {
            out.append("Slot moves:    none\n");
        } else {
            Table table = new Table("FROM", "TO", "SLOTS", "RANGES");
            moves.forEach(m -> table.row(m.from(), m.to(), m.slotCount(),
                    String.join(",", m.slots().stream().map(SlotRange::toString).toList())));
            out.append("Slot moves:    ").append(io.redisha.text.Count.of(slotsMoved(), "slot")).append(" in ").append(io.redisha.text.Count.of(moves.size(), "move")).append('\n').append(table);
        }
        out.append("Zone safety before: ").append(before.summary()).append('\n');
        out.append("Zone safety after:  ").append(after.summary()).append('\n');
        after.problems().forEach(p -> out.append("  ! ").append(p).append('\n'));
        toSurvive().ifPresent(fix -> out.append("To survive a zone loss: ").append(fix).append('\n'));
        return out.toString();
    }

    /** When the new layout does not survive a zone loss: the nearest safe targets, as a sentence. */
    public java.util.Optional<String> toSurvive() {
        return after.survivesZoneLoss() || after.masters() == 0 ? java.util.Optional.empty()
                : java.util.Optional.of(Planner.whatWouldSurvive(after.masters(), 1, new java.util.ArrayList<>(after.mastersPerZone().keySet())));
    }
}
