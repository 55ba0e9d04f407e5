package io.redisha.cluster;

import io.redisha.text.Count;
import io.redisha.text.Table;
import io.redisha.topology.SlotMove;
import io.redisha.topology.SlotRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The slot moves a scaling converge will make, and what each master holds afterwards, labelled by
 * planned name and address. A grown cluster does not get a fresh plan's even ranges: the fewest
 * moves over today's ownership leave other ranges, and this is what gets printed before it starts.
 *
 * @param moves      each move, with {@code from}/{@code to} as labels
 * @param slotsAfter every master holding slots after the moves, by label
 * @param plannedSlotsAfter the same for the planned masters, by planned name
 */
public record ScalePreview(List<SlotMove> moves, Map<String, List<SlotRange>> slotsAfter, Map<String, List<SlotRange>> plannedSlotsAfter) {

    public ScalePreview {
        moves = List.copyOf(moves);
        slotsAfter = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slotsAfter));
        plannedSlotsAfter = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(plannedSlotsAfter));
    }

    /** The placement with each planned master's slots as they will be after the moves, for printing. */
    public io.redisha.topology.Placement applyTo(io.redisha.topology.Placement placement) {
        io.redisha.topology.Plan plan = placement.plan();
        List<io.redisha.topology.PlannedNode> nodes = plan.nodes().stream().map(n -> !n.isMaster() ? n
                : new io.redisha.topology.PlannedNode(n.name(), n.shard(), n.member(), n.role(), n.zone(), n.replicaOf(),
                        plannedSlotsAfter.getOrDefault(n.name(), List.of()))).toList();
        return new io.redisha.topology.Placement(new io.redisha.topology.Plan(plan.masters(), plan.replicasPerMaster(), plan.zones(),
                nodes, plan.zoneSafety()), placement.addresses(), placement.retiring());
    }

    static ScalePreview of(List<SlotMove> byId, Map<String, List<SlotRange>> ownedNow, Map<String, String> labelOf,
                           Map<String, String> plannedNameOf) {
        Map<String, TreeSet<Integer>> after = new LinkedHashMap<>();
        ownedNow.forEach((id, ranges) -> after.put(id, new TreeSet<>(Converger.slotsOf(ranges))));
        List<SlotMove> moves = new ArrayList<>();
        for (SlotMove m : byId) {
            TreeSet<Integer> slots = new TreeSet<>(Converger.slotsOf(m.slots()));
            after.computeIfAbsent(m.from(), k -> new TreeSet<>()).removeAll(slots);
            after.computeIfAbsent(m.to(), k -> new TreeSet<>()).addAll(slots);
            moves.add(new SlotMove(labelOf.getOrDefault(m.from(), m.from()), labelOf.getOrDefault(m.to(), m.to()), m.slots()));
        }
        Map<String, List<SlotRange>> labelled = new LinkedHashMap<>();
        Map<String, List<SlotRange>> planned = new LinkedHashMap<>();
        after.forEach((id, slots) -> {
            if (!slots.isEmpty()) {
                labelled.put(labelOf.getOrDefault(id, id), SlotRange.compress(slots));
                if (plannedNameOf.containsKey(id)) {
                    planned.put(plannedNameOf.get(id), SlotRange.compress(slots));
                }
            }
        });
        return new ScalePreview(moves, labelled, planned);
    }

    public String toText() {
        if (moves.isEmpty()) {
            return "No slot moves: the masters keep the slots they hold.\n";
        }
        int total = moves.stream().mapToInt(SlotMove::slotCount).sum();
        Table table = new Table("FROM", "TO", "SLOTS", "RANGES");
        moves.forEach(m -> table.row(m.from(), m.to(), m.slotCount(), ranges(m.slots())));
        Table owners = new Table("MASTER", "SLOTS AFTER", "COUNT");
        slotsAfter.forEach((label, ranges) -> owners.row(label, ranges(ranges), SlotRange.total(ranges)));
        return "Slot moves (the fewest over today's ownership; the plan's even ranges apply only to a new cluster): "
                + Count.of(total, "slot") + " in " + Count.of(moves.size(), "move") + "\n" + table + "After the moves:\n" + owners;
    }

    private static String ranges(List<SlotRange> ranges) {
        return ranges.stream().map(SlotRange::toString).collect(Collectors.joining(" "));
    }
}
