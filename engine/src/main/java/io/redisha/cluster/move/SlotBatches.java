package io.redisha.cluster.move;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one source's slots into batches by the bytes they hold, not by their count: a batch takes
 * slots in order until the next would push it past the byte budget or it holds the most slots a
 * batch may open. Many nearly empty slots share a batch (their cost is the SETSLOT round trips);
 * a full slot goes with few others; a slot above the budget goes alone. Pure: the estimate of each
 * slot's bytes comes from {@link SlotMover} (CLUSTER COUNTKEYSINSLOT times a sampled key size).
 */
final class SlotBatches {
    private SlotBatches() {
    }

    /** A slot and about how many bytes its keys hold on the source. */
    record SlotLoad(int slot, long bytes) {
        SlotLoad {
            if (slot < 0 || slot > 16383 || bytes < 0) {
                throw new IllegalArgumentException("slot load: slot " + slot + ", bytes " + bytes + "; valid: slot 0..16383, bytes >= 0");
            }
        }
    }

    /**
     * @param loads     the slots in the order they should move
     * @param budget    most bytes one batch carries (a single slot above it goes alone), at least 1
     * @param maxSlots  most slots one batch opens, at least 1
     * @return the batches in order; every slot exactly once
     */
    static List<List<Integer>> cut(List<SlotLoad> loads, long budget, int maxSlots) {
        if (budget < 1 || maxSlots < 1) {
            throw new IllegalArgumentException("batch bounds: budget " + budget + " bytes, " + maxSlots + " slots; both must be at least 1");
        }
        List<List<Integer>> batches = new ArrayList<>();
        List<Integer> batch = new ArrayList<>();
        long bytes = 0;
        for (SlotLoad load : loads) {
            if (!batch.isEmpty() && (batch.size() >= maxSlots || bytes + load.bytes() > budget)) {
                batches.add(List.copyOf(batch));
                batch.clear();
                bytes = 0;
            }
            batch.add(load.slot());
            bytes += load.bytes();
        }
        if (!batch.isEmpty()) {
            batches.add(List.copyOf(batch));
        }
        return batches;
    }

    /**
     * Each slot's bytes from its key count and the size of a sampled key.
     *
     * @param counts      keys per slot, aligned with {@code slots}
     * @param bytesPerKey the sampled key size, at least 1
     */
    static List<SlotLoad> loads(List<Integer> slots, long[] counts, long bytesPerKey) {
        if (counts.length != slots.size() || bytesPerKey < 1) {
            throw new IllegalArgumentException("slot loads: " + slots.size() + " slots, " + counts.length + " counts, "
                    + bytesPerKey + " bytes per key; counts must match slots and a key is at least 1 byte");
        }
        List<SlotLoad> loads = new ArrayList<>(slots.size());
        for (int i = 0; i < counts.length; i++) {
            loads.add(new SlotLoad(slots.get(i), Math.max(0, counts[i]) * bytesPerKey));
        }
        return loads;
    }
}
