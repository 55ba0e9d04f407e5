package io.redisha.cluster.move;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.topology.NodeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * MigrateGates without a server: rounds that share a node never overlap, rounds of disjoint pairs
 * do, and a node rests after a round in proportion to the busy share.
 */
class MigrateGatesTest {
    private static final NodeAddress A = NodeAddress.parse("10.0.0.1:6379");
    private static final NodeAddress B = NodeAddress.parse("10.0.0.2:6379");
    private static final NodeAddress C = NodeAddress.parse("10.0.0.3:6379");
    private static final NodeAddress T = NodeAddress.parse("10.0.0.9:6379");

    @Test
    void roundsThatShareATargetNeverOverlap() throws Exception {
        MigrateGates gates = new MigrateGates(100);
        Map<NodeAddress, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicInteger worst = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (NodeAddress source : List.of(A, B, C, A)) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    gates.run(source, T, () -> {
                        int here = Math.max(enter(inFlight, source), enter(inFlight, T));
                        worst.accumulateAndGet(here, Math::max);
                        sleep(1);
                        inFlight.get(source).decrementAndGet();
                        inFlight.get(T).decrementAndGet();
                        return null;
                    });
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, worst.get(), "most rounds in flight at one node");
    }

    @Test
    void pairsThatShareNoNodeRunAtTheSameTime() throws Exception {
        MigrateGates gates = new MigrateGates(100);
        // Each round waits inside the gate for the other: it passes only if both are in flight at once.
        CyclicBarrier both = new CyclicBarrier(2);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger passed = new AtomicInteger();
        for (NodeAddress[] pair : List.of(new NodeAddress[] {A, B}, new NodeAddress[] {C, T})) {
            Thread t = new Thread(() -> gates.run(pair[0], pair[1], () -> {
                try {
                    both.await(30, TimeUnit.SECONDS);
                    return passed.incrementAndGet();
                } catch (Exception e) {
                    return -1;
                }
            }));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(2, passed.get());
    }

    @Test
    void aNodeRestsAfterARoundInProportionToTheBusyShare() {
        MigrateGates gates = new MigrateGates(25);
        long[] firstEnd = new long[1];
        long[] firstLength = new long[1];
        gates.run(A, T, () -> {
            long start = System.nanoTime();
            sleep(40);
            firstEnd[0] = System.nanoTime();
            firstLength[0] = firstEnd[0] - start;
            return null;
        });
        long secondStart = gates.run(B, T, System::nanoTime);
        // Busy 25%: a round of d makes the target owe 3 d of rest; it starts again once it owes at most the slack.
        long rest = secondStart - firstEnd[0];
        assertTrue(rest >= 3 * firstLength[0] - MigrateGates.SLACK_NANOS, rest + " ns rest after " + firstLength[0] + " ns");
    }

    @Test
    void shortRoundsBackToBackArePacedToTheBusyShare() {
        // Rounds of 5 ms, each started as soon as the gate allows (owing at most the slack): over
        // many rounds a node may be busy no more than half the time at 50%, plus the slack once.
        long round = 5_000_000L;
        long free = 0;
        long now = 0;
        long busy = 0;
        for (int i = 0; i < 1000; i++) {
            now = Math.max(now, free - MigrateGates.SLACK_NANOS);
            free = MigrateGates.freeAt(free, now, now + round, 50);
            now += round;
            busy += round;
        }
        assertTrue(busy <= now / 2 + MigrateGates.SLACK_NANOS, busy + " ns busy in " + now + " ns");
        assertTrue(busy >= now / 2 - 2 * round, "not slower than the share asks: " + busy + " ns busy in " + now + " ns");
    }

    @Test
    void refusesABusyShareOutsideOneToHundred() {
        assertThrows(IllegalArgumentException.class, () -> new MigrateGates(0));
        assertThrows(IllegalArgumentException.class, () -> new MigrateGates(101));
    }

    private static int enter(Map<NodeAddress, AtomicInteger> inFlight, NodeAddress node) {
        return inFlight.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
