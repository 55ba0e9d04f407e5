package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link SlotBalancer#assignUnowned}: where {@code fix} puts slots no master owns. */
class UnownedSlotsTest {
    private static final Map<String, List<SlotRange>> A_LOST_EVERYTHING = new LinkedHashMap<>(Map.of(
            "a", List.of(), "b", List.of(new SlotRange(5461, 10922)), "c", List.of(new SlotRange(10923, 16383))));

    private static TreeSet<Integer> slots(int first, int last) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int i = first; i <= last; i++) {
            s.add(i);
        }
        return s;
    }

    @Test
    void keylessSlotsGoToTheMasterBelowItsShareAsOneRange() {
        assertEquals(Map.of("a", List.of(new SlotRange(0, 5460))), SlotBalancer.assignUnowned(A_LOST_EVERYTHING, slots(0, 5460), Map.of()));
    }

    @Test
    void twoEmptyMastersEachTakeOneContiguousRun() {
        Map<String, List<SlotRange>> owned = Map.of("a", List.of(), "b", List.of(new SlotRange(5461, 10922)), "c", List.of());
        TreeSet<Integer> unowned = slots(0, 5460);
        unowned.addAll(slots(10923, 16383));
        assertEquals(Map.of("a", List.of(new SlotRange(0, 5460)), "c", List.of(new SlotRange(10923, 16383))),
                SlotBalancer.assignUnowned(owned, unowned, Map.of()));
    }

    /** Keys decide first: the only holder keeps its slot, so no key has to move. */
    @Test
    void aSlotWhoseKeysOneMasterHoldsGoesToThatMaster() {
        Map<String, List<SlotRange>> result = SlotBalancer.assignUnowned(A_LOST_EVERYTHING, slots(0, 99), Map.of(7, Map.of("b", 12L)));
        assertEquals(Map.of("a", List.of(new SlotRange(0, 6), new SlotRange(8, 99)), "b", List.of(new SlotRange(7, 7))), result);
    }

    @Test
    void withKeysOnSeveralMastersTheLargestHolderWinsAndTiesGoToTheLowestId() {
        assertEquals(Map.of("c", List.of(new SlotRange(3, 3))),
                SlotBalancer.assignUnowned(A_LOST_EVERYTHING, slots(3, 3), Map.of(3, Map.of("b", 5L, "c", 9L))));
        assertEquals(Map.of("b", List.of(new SlotRange(3, 3))),
                SlotBalancer.assignUnowned(A_LOST_EVERYTHING, slots(3, 3), Map.of(3, Map.of("c", 5L, "b", 5L))));
    }

    /** Every unowned slot is given to exactly one master, and nothing else is touched. */
    @Test
    void everyUnownedSlotIsGivenOnce() {
        Map<String, List<SlotRange>> owned = Map.of("a", List.of(new SlotRange(0, 5000)), "b", List.of(new SlotRange(5461, 10922)),
                "c", List.of(new SlotRange(10923, 16000)));
        TreeSet<Integer> unowned = slots(5001, 5460);
        unowned.addAll(slots(16001, 16383));
        TreeSet<Integer> given = new TreeSet<>();
        SlotBalancer.assignUnowned(owned, unowned, Map.of(5100, Map.of("b", 1L))).values()
                .forEach(ranges -> ranges.forEach(r -> { for (int s = r.first(); s <= r.last(); s++) { assertEquals(true, given.add(s)); } }));
        assertEquals(unowned, given);
    }
}
