package io.redisha.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/** An inclusive range of hash slots, {@code first..last}. */
public record SlotRange(int first, int last) implements Comparable<SlotRange> {
    public static final int SLOT_COUNT = 16384;

    public SlotRange {
        if (first < 0 || last >= SLOT_COUNT || first > last) {
            throw new IllegalArgumentException("slot range " + first + "-" + last
                    + " is not valid: slots are 0.." + (SLOT_COUNT - 1) + " and first <= last");
        }
    }

    public int size() {
        return last - first + 1;
    }

    public boolean contains(int slot) {
        return slot >= first && slot <= last;
    }

    /** Parses {@code 5461-10922} or a single slot {@code 42}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SlotRange parse(String text) {
        int dash = text.indexOf('-');
        try {
            if (dash < 0) {
                int slot = Integer.parseInt(text.trim());
                return new SlotRange(slot, slot);
            }
            return new SlotRange(Integer.parseInt(text.substring(0, dash).trim()),
                    Integer.parseInt(text.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("slot range '" + text + "' is not valid: expected FIRST-LAST or SLOT", e);
        }
    }

    /** Compresses a sorted set of slots into the fewest ranges. */
    public static List<SlotRange> compress(SortedSet<Integer> slots) {
        List<SlotRange> ranges = new ArrayList<>();
        int start = -1;
        int previous = -2;
        for (int slot : slots) {
            if (slot != previous + 1) {
                if (start >= 0) {
                    ranges.add(new SlotRange(start, previous));
                }
                start = slot;
            }
            previous = slot;
        }
        if (start >= 0) {
            ranges.add(new SlotRange(start, previous));
        }
        return ranges;
    }

    public static int total(List<SlotRange> ranges) {
        return ranges.stream().mapToInt(SlotRange::size).sum();
    }

    @Override
    public int compareTo(SlotRange other) {
        return Integer.compare(first, other.first);
    }

    @JsonValue
    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
