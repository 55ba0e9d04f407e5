package io.redisha.topology;

import java.util.List;

/** Slots that go from one master to another, in ascending ranges. */
public record SlotMove(String from, String to, List<SlotRange> slots) {
    public SlotMove {
        slots = List.copyOf(slots);
    }

    public int slotCount() {
        return SlotRange.total(slots);
    }
}
