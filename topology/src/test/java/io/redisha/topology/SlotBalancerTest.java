package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotBalancerTest {
    private static final List<String> ZONES = List.of("az-a", "az-b", "az-c");

    @Test
    void threeToFourMastersMovesExactlyTheNewMastersShare() {
        PlanDiff diff = PlanDiff.between(Planner.plan(3, 1, ZONES, ZoneLoss.MUST_SURVIVE),
                Planner.plan(5, 1, ZONES, ZoneLoss.MUST_SURVIVE));
        assertEquals(List.of("node-3-0", "node-3-1", "node-4-0", "node-4-1"), diff.added());
        assertEquals(List.of(), diff.removed());
        assertEquals(List.of(), diff.recast());
        // 16384 over 5: 3277 x4 + 3276; the two new masters need 3277 + 3276 = 6553, no more.
        assertEquals(6553, diff.slotsMoved());
        Map<String, Integer> after = apply(Map.of(
                "node-0-0", 5461, "node-1-0", 5462, "node-2-0", 5461, "node-3-0", 0, "node-4-0", 0), diff.moves());
        after.values().forEach(count -> assertTrue(count == 3276 || count == 3277, after.toString()));
        diff.moves().forEach(m -> assertTrue(m.to().equals("node-3-0") || m.to().equals("node-4-0"), m.toString()));
    }

    @Test
    void exactMovesForAKnownCase() {
        Map<String, List<SlotRange>> owned = new LinkedHashMap<>();
        owned.put("a", List.of(new SlotRange(0, 99)));
        owned.put("b", List.of(new SlotRange(100, 199)));
        owned.put("c", List.of());
        owned.put("d", List.of());
        List<SlotMove> moves = SlotBalancer.balance(owned, Map.of(), 0);
        assertEquals(List.of(
                new SlotMove("a", "c", List.of(new SlotRange(50, 99))),
                new SlotMove("b", "d", List.of(new SlotRange(150, 199)))), moves);
    }

    @Test
    void shrinkingDrainsTheRemovedMasters() {
        Plan five = Planner.plan(5, 1, ZONES, ZoneLoss.MUST_SURVIVE);
        PlanDiff diff = PlanDiff.between(five, Planner.plan(3, 1, ZONES, ZoneLoss.MUST_SURVIVE));
        assertEquals(List.of("node-3-0", "node-3-1", "node-4-0", "node-4-1"), diff.removed());
        int drained = diff.moves().stream().filter(m -> m.from().equals("node-3-0") || m.from().equals("node-4-0"))
                .mapToInt(SlotMove::slotCount).sum();
        assertEquals(diff.slotsMoved(), drained, "only the removed masters give slots away");
        assertEquals(five.node("node-3-0").slotCount() + five.node("node-4-0").slotCount(), drained);
    }

    @Test
    void thresholdSkipsSmallImbalances() {
        Map<String, List<SlotRange>> owned = new LinkedHashMap<>();
        owned.put("a", List.of(new SlotRange(0, 5499)));
        owned.put("b", List.of(new SlotRange(5500, 10922)));
        owned.put("c", List.of(new SlotRange(10923, 16383)));
        assertEquals(List.of(), SlotBalancer.balance(owned, Map.of(), 2));
        assertEquals(38, SlotBalancer.balance(owned, Map.of(), 0).stream().mapToInt(SlotMove::slotCount).sum());
    }

    @Test
    void weightsSetTheShares() {
        Map<String, List<SlotRange>> owned = new LinkedHashMap<>();
        owned.put("a", List.of(new SlotRange(0, 16383)));
        owned.put("b", List.of());
        List<SlotMove> moves = SlotBalancer.balance(owned, Map.of("a", 1.0, "b", 3.0), 0);
        assertEquals(12288, moves.stream().mapToInt(SlotMove::slotCount).sum());
    }

    private static Map<String, Integer> apply(Map<String, Integer> counts, List<SlotMove> moves) {
        Map<String, Integer> result = new HashMap<>(counts);
        for (SlotMove move : moves) {
            result.merge(move.from(), -move.slotCount(), Integer::sum);
            result.merge(move.to(), move.slotCount(), Integer::sum);
        }
        return result;
    }
}
