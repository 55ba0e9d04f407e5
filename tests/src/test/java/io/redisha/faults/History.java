package io.redisha.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The history checker's memory: which writes each key acknowledged, and the verdict once the
 * cluster has settled. Every write appends the writer's next sequence number to the key's list
 * ({@code RPUSH}), so each write stays visible on its own: an acknowledged write is lost when its
 * number is missing from the list finally read (a later write cannot hide it, as an overwrite
 * would). A read is stale when the last number it finds is older than one acknowledged before the
 * read began.
 */
final class History {
    /** One acknowledged write: its sequence number and when the acknowledgement came (epoch ms). */
    record Ack(long seq, long atMillis) {
    }

    /** What the final reads found. {@code firstLostAt}/{@code lastLostAt} are 0 when nothing was lost. */
    record Verdict(long acknowledged, long lost, long unread, long firstLostAt, long lastLostAt, List<String> lostSample) {
    }

    private final Map<String, List<Ack>> acks = new ConcurrentHashMap<>();
    private final Map<String, Long> lastAcked = new ConcurrentHashMap<>();

    /** Only the key's writer calls this (one thread per key), so the per-key list needs no lock of its own. */
    void acknowledged(String key, long seq, long atMillis) {
        List<Ack> list = acks.computeIfAbsent(key, k -> new ArrayList<>());
        synchronized (list) {
            list.add(new Ack(seq, atMillis));
        }
        lastAcked.merge(key, seq, Math::max);
    }

    /** The highest sequence number acknowledged for the key so far (0: none). */
    long lastAcked(String key) {
        return lastAcked.getOrDefault(key, 0L);
    }

    /** True when a read that began after {@code ackedBefore} was acknowledged returned an older value. */
    static boolean stale(long ackedBefore, long read) {
        return read < ackedBefore;
    }

    /**
     * Compares every acknowledged write with the list finally read. {@code finalList} returns the
     * numbers in the key's list (empty for a missing key), or nothing when the key could not be read
     * at all (its writes count as unread, not lost).
     */
    Verdict check(Function<String, Optional<Set<Long>>> finalList) {
        long acknowledged = 0;
        long lost = 0;
        long unread = 0;
        long first = Long.MAX_VALUE;
        long last = 0;
        List<String> sample = new ArrayList<>();
        for (Map.Entry<String, List<Ack>> e : acks.entrySet()) {
            List<Ack> list;
            synchronized (e.getValue()) {
                list = List.copyOf(e.getValue());
            }
            acknowledged += list.size();
            Optional<Set<Long>> present = finalList.apply(e.getKey());
            if (present.isEmpty()) {
                unread += list.size();
                continue;
            }
            for (Ack ack : list) {
                if (!present.get().contains(ack.seq())) {
                    lost++;
                    first = Math.min(first, ack.atMillis());
                    last = Math.max(last, ack.atMillis());
                    if (sample.size() < 5) {
                        sample.add(e.getKey() + " " + ack.seq());
                    }
                }
            }
        }
        return new Verdict(acknowledged, lost, unread, lost == 0 ? 0 : first, last, sample);
    }
}
