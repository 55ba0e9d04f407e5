package io.redisha.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When a zone's client could not write: each writer reports the span from its first failed attempt
 * to its next success; the zone's figure is the length of the union of its writers' spans (time
 * during which at least one shard refused or ignored the zone's writes).
 */
final class Outages {
    private final List<long[]> spans = new ArrayList<>();

    synchronized void add(long fromMillis, long toMillis) {
        if (toMillis > fromMillis) {
            spans.add(new long[] {fromMillis, toMillis});
        }
    }

    /** Seconds covered by at least one span. */
    synchronized double seconds() {
        List<long[]> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(s -> s[0]));
        long total = 0;
        long start = -1;
        long end = -1;
        for (long[] s : sorted) {
            if (s[0] > end) {
                total += end - start;
                start = s[0];
                end = s[1];
            } else {
                end = Math.max(end, s[1]);
            }
        }
        total += end - start;
        return total / 1000.0;
    }
}
