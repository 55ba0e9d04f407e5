package io.redisha.cluster.move;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.move.SlotBatches.SlotLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlotBatchesTest {
    private static List<SlotLoad> loads(long... bytes) {
        List<SlotLoad> loads = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            loads.add(new SlotLoad(100 + i, bytes[i]));
        }
        return loads;
    }

    @Test
    void nearlyEmptySlotsGoManyToABatchUpToTheSlotCap() {
        // 4096 slots of ~12 keys of 90 bytes (the reshard benchmark's 64-byte values): the cap, not the bytes, cuts.
        List<SlotLoad> small = IntStream.range(0, 4096).mapToObj(s -> new SlotLoad(s, 12 * 90)).toList();
        List<List<Integer>> batches = SlotBatches.cut(small, 256 << 10, 128);
        assertEquals(32, batches.size());
        batches.forEach(b -> assertEquals(128, b.size()));
    }

    @Test
    void fullSlotsGoFewToABatchAndASlotAboveTheBudgetGoesAlone() {
        List<List<Integer>> batches = SlotBatches.cut(loads(100_000, 100_000, 100_000, 500_000, 10, 10), 256_000, 128);
        assertEquals(List.of(List.of(100, 101), List.of(102), List.of(103), List.of(104, 105)), batches);
    }

    @Test
    void aBatchNeverExceedsTheBudgetUnlessItHoldsOneSlot() {
        long[] bytes = {0, 70_000, 3, 250_000, 0, 0, 90_000, 90_000, 90_000, 1_000_000, 5, 5, 200_000, 60_000};
        List<SlotLoad> loads = loads(bytes);
        List<List<Integer>> batches = SlotBatches.cut(loads, 256_000, 3);
        List<Integer> seen = new ArrayList<>();
        for (List<Integer> batch : batches) {
            long sum = batch.stream().mapToLong(s -> bytes[s - 100]).sum();
            assertTrue(batch.size() == 1 || sum <= 256_000, batch + " holds " + sum + " bytes");
            assertTrue(batch.size() <= 3, batch + " has more than 3 slots");
            seen.addAll(batch);
        }
        assertEquals(loads.stream().map(SlotLoad::slot).toList(), seen, "every slot once, in order");
    }

    @Test
    void slotLoadsAreKeyCountsTimesTheSampledKeySize() {
        assertEquals(List.of(new SlotLoad(7, 0), new SlotLoad(9, 3 * 4200L)), SlotBatches.loads(List.of(7, 9), new long[] {0, 3}, 4200));
    }

    @Test
    void noSlotsMakeNoBatches() {
        assertEquals(List.of(), SlotBatches.cut(List.of(), 1, 1));
    }

    @Test
    void boundsAndLoadsOutsideTheirRangeAreRefusedInOneLine() {
        assertEquals("batch bounds: budget 0 bytes, 4 slots; both must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> SlotBatches.cut(loads(1), 0, 4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlotBatches.cut(loads(1), 10, 0));
        assertEquals("slot load: slot 16384, bytes 5; valid: slot 0..16383, bytes >= 0",
                assertThrows(IllegalArgumentException.class, () -> new SlotLoad(16384, 5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlotBatches.loads(List.of(1, 2), new long[] {1}, 10));
    }
}
