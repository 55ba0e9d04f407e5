package io.redisha.cluster.move;

import io.redisha.topology.NodeAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * At most one MIGRATE round in flight per node, and each node's busy share bounded.
 *
 * <p>MIGRATE blocks the source's event loop from the first byte it serializes until the target has
 * run RESTORE and answered, and RESTORE blocks the target: a client request that reaches either
 * waits for the whole round. Two rounds queued at one node (two sources sending to one target, or
 * two connections working one source) make it wait for both. So a round holds both its nodes, pairs
 * that share no node run in parallel, and a round of d ms makes each node owe d x (100 - busy) / busy
 * ms of rest: its clients get that share of every second, whatever the host's speed. The rest is
 * taken once a node owes more than {@link #SLACK_NANOS}, not after every round: a busy host
 * oversleeps short sleeps by several times, which would make the pace, not the bound, the limit.
 * A round started on credit (rest still owed) adds to the debt instead of counting as rest, so
 * short rounds that follow one another are paced too ({@link #freeAt}).
 */
final class MigrateGates {
    /** Rest a node may owe and still start a round. */
    static final long SLACK_NANOS = 20_000_000L;

    private final int maxBusyPercent;
    private final Set<NodeAddress> inFlight = new HashSet<>();
    /** When each node has paid the rest it owes. */
    private final Map<NodeAddress, Long> restUntil = new HashMap<>();
    /** Summed over callers: time spent waiting at the gates, and time in rounds. */
    private long waitedNanos;
    private long busyNanos;

    /** @param maxBusyPercent most of a node's time that MIGRATE rounds may take, 1..100 */
    MigrateGates(int maxBusyPercent) {
        if (maxBusyPercent < 1 || maxBusyPercent > 100) {
            throw new IllegalArgumentException("busy share must be 1..100 percent, got " + maxBusyPercent);
        }
        this.maxBusyPercent = maxBusyPercent;
    }

    /** Runs {@code round} once neither node has a round in flight or is resting; returns its result. */
    <T> T run(NodeAddress source, NodeAddress target, Supplier<T> round) {
        acquire(source, target);
        long start = System.nanoTime();
        try {
            return round.get();
        } finally {
            release(source, target, start, System.nanoTime());
        }
    }

    /** Runs {@code step} once {@code node} has no round in flight and is not resting: one node's own step (DUMP or RESTORE). */
    <T> T runOn(NodeAddress node, Supplier<T> step) {
        return run(node, node, step);
    }

    private synchronized void acquire(NodeAddress source, NodeAddress target) {
        long since = System.nanoTime();
        while (true) {
            if (inFlight.contains(source) || inFlight.contains(target)) {
                waitFor(0);
                continue;
            }
            long rest = Math.max(restUntil.getOrDefault(source, 0L), restUntil.getOrDefault(target, 0L)) - System.nanoTime();
            if (rest > SLACK_NANOS) {
                waitFor(Math.max(1, rest / 1_000_000));
                continue;
            }
            inFlight.add(source);
            inFlight.add(target);
            waitedNanos += System.nanoTime() - since;
            return;
        }
    }

    private synchronized void release(NodeAddress source, NodeAddress target, long start, long end) {
        inFlight.remove(source);
        inFlight.remove(target);
        busyNanos += end - start;
        restUntil.put(source, freeAt(restUntil.getOrDefault(source, start), start, end, maxBusyPercent));
        if (!target.equals(source)) {
            restUntil.put(target, freeAt(restUntil.getOrDefault(target, start), start, end, maxBusyPercent));
        }
        notifyAll();
    }

    /**
     * When a node that was free at {@code freeBefore} is free again after a round from {@code start}
     * to {@code end}: the round is booked from the later of the two, so a round begun while rest was
     * still owed (within the slack) pushes the debt on rather than paying it, then its rest follows.
     */
    static long freeAt(long freeBefore, long start, long end, int maxBusyPercent) {
        long busy = end - start;
        return Math.max(freeBefore, start) + busy + busy * (100 - maxBusyPercent) / maxBusyPercent;
    }

    /** Time callers waited to start a round, and time in rounds, summed over callers, in ms. */
    synchronized Map<String, Long> totalsMillis() {
        return Map.of("gates: waiting", waitedNanos / 1_000_000, "gates: in rounds", busyNanos / 1_000_000);
    }

    private void waitFor(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to MIGRATE; run 'redis-ha fix' to close open slots", e);
        }
    }
}
