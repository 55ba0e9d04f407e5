package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.model.LiveCluster.NodeLine;
import io.redisha.cluster.move.SlotMover;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.SlotMove;
import io.redisha.topology.SlotRange;
import io.redisha.topology.ZoneLoss;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * SlotMover on a real 3-master cluster with AUTH: a few slots with keys (small values, values large
 * enough to need several MIGRATE rounds, and keys with a TTL) move to another master; afterwards
 * every key is on the target with its value and TTL, none is left on the source, every node agrees
 * on the new owner, and no slot stays open. Asserted through SlotMover's public result and Redis
 * itself, not its internals.
 */
class SlotMoverTest {
    private static final String PASSWORD = "slot-mover-s3cret";
    private static final Credentials CREDENTIALS = new Credentials(Optional.of(PASSWORD));
    private static RedisNodes nodes;

    @BeforeAll
    static void cluster() {
        nodes = RedisNodes.nodes(3).withPassword(PASSWORD).withReplicasPerMaster(0).start();
        new ClusterEngine(Duration.ofSeconds(60)).converge(Resharding.assign(nodes.zoned(List.of("a", "b", "c")), 0,
                ZoneLoss.ACCEPT_RISK, CREDENTIALS), CREDENTIALS, ClusterListener.SILENT);
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @Test
    void movesSlotsWithTheirKeysAndLeavesNothingBehindOrOpen() {
        LiveCluster before = LiveCluster.load(nodes.address(0), CREDENTIALS);
        String source = before.ownedRanges().entrySet().stream().filter(e -> !e.getValue().isEmpty()).findFirst().orElseThrow().getKey();
        String target = before.ownedRanges().keySet().stream().filter(id -> !id.equals(source)).findFirst().orElseThrow();
        // The start of the source's largest range: the other test moves slots from the middle of one.
        int first = largest(before.ownedRanges().get(source)).first();
        // Three adjacent slots and one apart, so the move has two ranges.
        List<SlotRange> ranges = List.of(new SlotRange(first, first + 2), new SlotRange(first + 10, first + 10));
        NodeAddress from = before.require(source).address();
        NodeAddress to = before.require(target).address();

        Map<String, byte[]> written = new LinkedHashMap<>();
        try (Jedis j = nodes.jedis(from)) {
            for (SlotRange range : ranges) {
                for (int slot = range.first(); slot <= range.last(); slot++) {
                    String tag = tagFor(slot);
                    for (int i = 0; i < 150; i++) {
                        written.put("{" + tag + "}:small:" + i, ("value-" + slot + "-" + i).getBytes(StandardCharsets.UTF_8));
                    }
                    for (int i = 0; i < 3; i++) {
                        byte[] big = new byte[700_000];
                        java.util.Arrays.fill(big, (byte) ('a' + i));
                        written.put("{" + tag + "}:big:" + i, big);
                    }
                    j.setex(("{" + tag + "}:ttl").getBytes(StandardCharsets.UTF_8), 3600, "expiring".getBytes(StandardCharsets.UTF_8));
                }
            }
            written.forEach((k, v) -> j.set(k.getBytes(StandardCharsets.UTF_8), v));
        }
        long keys = written.size() + 4;

        // Small batches and few keys per MIGRATE, so that a move takes several rounds per slot.
        SlotMover mover = new SlotMover(new SlotMover.Options(7, 2, 2, 10_000, 3), CREDENTIALS);
        // The source sends uncompressed while it moves (LZF is most of its time on values that do not compress), and compressed again after.
        List<String> compressionWhileMoving = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        SlotMover.Listener watch = new SlotMover.Listener() {
            @Override
            public void moved(int slots, long keys) {
                try (Jedis j = nodes.jedis(from)) {
                    compressionWhileMoving.add(j.configGet("rdbcompression").get("rdbcompression"));
                }
            }
        };
        SlotMover.Result result = mover.move(before, List.of(new SlotMove(source, target, ranges)), watch);
        assertTrue(!compressionWhileMoving.isEmpty() && compressionWhileMoving.stream().allMatch("no"::equals),
                "rdbcompression on the source while it moved: " + compressionWhileMoving);
        try (Jedis j = nodes.jedis(from)) {
            assertEquals("yes", j.configGet("rdbcompression").get("rdbcompression"), "rdbcompression on the source after the move");
        }

        assertTrue(result.ok(), result.summary() + " " + result.leftOpen());
        assertEquals(4, result.slotsPlanned());
        assertEquals(4, result.slotsMoved());
        assertEquals(keys, result.keysMoved());
        try (Jedis src = nodes.jedis(from); Jedis dst = nodes.jedis(to)) {
            for (SlotRange range : ranges) {
                for (int slot = range.first(); slot <= range.last(); slot++) {
                    assertEquals(0, src.clusterCountKeysInSlot(slot), "keys left on the source in slot " + slot);
                    assertEquals(154, dst.clusterCountKeysInSlot(slot), "keys on the target in slot " + slot);
                    long ttl = dst.ttl("{" + tagFor(slot) + "}:ttl");
                    assertTrue(ttl > 3000 && ttl <= 3600, "TTL kept in slot " + slot + ": " + ttl);
                }
            }
            written.forEach((k, v) -> assertArrayEquals(v, dst.get(k.getBytes(StandardCharsets.UTF_8)), k));
        }
        for (NodeAddress node : nodes.addresses()) {
            Live.await("every node sees the moved slots on the target and nothing open", () -> {
                List<NodeLine> view = Live.view(nodes, node).nodes();
                boolean open = view.stream().filter(NodeLine::isMyself).anyMatch(n -> !n.openSlots().isEmpty());
                Map<Integer, String> owners = LiveCluster.load(node, CREDENTIALS).owners();
                return !open && ranges.stream().allMatch(r -> java.util.stream.IntStream.rangeClosed(r.first(), r.last())
                        .allMatch(s -> target.equals(owners.get(s))));
            });
        }
    }

    /**
     * Three pairs in one move, each master the source of one and the target of another (A to B, B to C,
     * C to A), twelve times round: a master that takes a slot while it still gives one could revive its
     * stale claim with its new epoch and make the new owner delete the keys it just received
     * ({@code HandoverPhases}). Values bigger than one round, so every slot takes several. Every key
     * must arrive after every round.
     */
    @Test
    void movesAroundARingOfMastersAtOnceWithEveryKeyArriving() {
        LiveCluster start = LiveCluster.load(nodes.address(0), CREDENTIALS);
        List<String> masters = start.ownedRanges().keySet().stream().sorted().toList();
        assertEquals(3, masters.size());
        Map<String, byte[]> written = new LinkedHashMap<>();
        List<SlotRange> ranges = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // The middle of the master's largest range: the other test moves slots at the start of a range.
            SlotRange largest = largest(start.ownedRanges().get(masters.get(i)));
            int middle = (largest.first() + largest.last()) / 2;
            SlotRange range = new SlotRange(middle - 1, middle + 1);
            ranges.add(range);
            try (Jedis j = nodes.jedis(start.require(masters.get(i)).address())) {
                for (int slot = range.first(); slot <= range.last(); slot++) {
                    String tag = tagFor(slot);
                    for (int k = 0; k < 40; k++) {
                        put(j, written, "{" + tag + "}:ring:small:" + k, ("v" + slot + "-" + k).getBytes(StandardCharsets.UTF_8));
                    }
                    for (int k = 0; k < 3; k++) {
                        byte[] big = new byte[150_000];
                        java.util.Arrays.fill(big, (byte) ('k' + k));
                        put(j, written, "{" + tag + "}:ring:big:" + k, big);
                    }
                }
            }
        }
        for (int round = 0; round < 12; round++) {
            LiveCluster before = LiveCluster.load(nodes.address(0), CREDENTIALS);
            List<SlotMove> moves = new java.util.ArrayList<>();
            Map<Integer, String> newOwner = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                String from = masters.get((i + round) % 3);
                String to = masters.get((i + round + 1) % 3);
                moves.add(new SlotMove(from, to, List.of(ranges.get(i))));
                for (int slot = ranges.get(i).first(); slot <= ranges.get(i).last(); slot++) {
                    newOwner.put(slot, to);
                }
            }

            SlotMover.Result result = new SlotMover(SlotMover.Options.defaults(), CREDENTIALS).move(before, moves, SlotMover.Listener.SILENT);

            String where = "round " + (round + 1) + ": ";
            assertTrue(result.ok(), where + result.summary() + " " + result.leftOpen());
            assertEquals(9, result.slotsMoved(), where);
            assertEquals(written.size(), result.keysMoved(), where);
            for (SlotMove m : moves) {
                try (Jedis src = nodes.jedis(before.require(m.from()).address()); Jedis dst = nodes.jedis(before.require(m.to()).address())) {
                    for (int slot = m.slots().get(0).first(); slot <= m.slots().get(0).last(); slot++) {
                        assertEquals(0, src.clusterCountKeysInSlot(slot), where + "keys left on the source in slot " + slot);
                        assertEquals(43, dst.clusterCountKeysInSlot(slot), where + "keys on the target in slot " + slot);
                    }
                }
            }
            written.forEach((k, v) -> {
                String owner = newOwner.get(JedisClusterCRC16.getSlot(k));
                try (Jedis dst = nodes.jedis(before.require(owner).address())) {
                    assertArrayEquals(v, dst.get(k.getBytes(StandardCharsets.UTF_8)), where + k);
                }
            });
            for (NodeAddress node : nodes.addresses()) {
                Live.await(where + "every node sees the ring's slots on their new owners and nothing open", () -> {
                    boolean open = Live.view(nodes, node).nodes().stream().filter(NodeLine::isMyself).anyMatch(n -> !n.openSlots().isEmpty());
                    Map<Integer, String> owners = LiveCluster.load(node, CREDENTIALS).owners();
                    return !open && newOwner.entrySet().stream().allMatch(e -> e.getValue().equals(owners.get(e.getKey())));
                });
            }
        }
    }

    private static SlotRange largest(List<SlotRange> ranges) {
        return ranges.stream().max(java.util.Comparator.comparingInt(r -> r.last() - r.first())).orElseThrow();
    }

    private static void put(Jedis j, Map<String, byte[]> written, String key, byte[] value) {
        j.set(key.getBytes(StandardCharsets.UTF_8), value);
        written.put(key, value);
    }

    /** A hash tag whose keys all hash to {@code slot}. */
    private static String tagFor(int slot) {
        for (int i = 0; ; i++) {
            if (JedisClusterCRC16.getSlot("t" + i) == slot) {
                return "t" + i;
            }
        }
    }
}
