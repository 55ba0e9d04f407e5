package io.redisha.cluster.move;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.transport.Credentials;
import io.redisha.it.RedisNodes;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.ZoneLoss;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The DUMP paths ({@link PipelinedDumps}, {@link DumpMove}) against a client that acts on a key exactly between
 * the mover's steps, on a real cluster with one slot open (MIGRATING on the source, IMPORTING on the target):
 * a write, a TTL change, a delete, and a delete followed by a write that the source's ASK sends to the target.
 * Each test asserts the key's state on both nodes afterwards: the client's last acknowledged command wins.
 */
class DumpRacesTest {
    private static final Credentials NONE = Credentials.none();
    private static RedisNodes nodes;
    private static NodeAddress source;
    private static NodeAddress target;
    private static String targetId;
    private static String sourceId;
    private static final AtomicInteger NEXT_SLOT = new AtomicInteger();

    private int slot;
    private String tag;
    private Jedis src;
    private Jedis dst;

    @BeforeAll
    static void cluster() {
        nodes = RedisNodes.nodes(3).withReplicasPerMaster(0).start();
        new ClusterEngine(Duration.ofSeconds(60)).converge(Resharding.assign(nodes.zoned(List.of("a", "b", "c")), 0,
                ZoneLoss.ACCEPT_RISK, NONE), NONE, ClusterListener.SILENT);
        LiveCluster live = LiveCluster.load(nodes.address(0), NONE);
        source = nodes.address(0);
        target = nodes.address(1);
        sourceId = live.find(source.toString()).orElseThrow().id();
        targetId = live.find(target.toString()).orElseThrow().id();
        NEXT_SLOT.set(live.ownedRanges().get(sourceId).get(0).first());
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    /** A fresh slot of the source's for each test; {@link #open()} opens it once the test has written its keys. */
    @BeforeEach
    void pickSlot() {
        slot = NEXT_SLOT.getAndIncrement();
        tag = tagFor(slot);
        src = nodes.jedis(source);
        dst = nodes.jedis(target);
    }

    /** IMPORTING on the target, MIGRATING on the source: what the mover does before it moves keys. */
    private void open() {
        dst.clusterSetSlotImporting(slot, sourceId);
        src.clusterSetSlotMigrating(slot, targetId);
    }

    @AfterEach
    void closeSlot() {
        src.close();
        dst.close();
    }

    @Test
    void pipelinedRoundMovesEveryKeyWithItsValueAndExpiry() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] key = key("k" + i);
            src.set(key, ("value-" + i).getBytes(StandardCharsets.UTF_8));
            if (i % 2 == 0) {
                src.pexpire(key, 3_600_000L + i);
            }
            keys.add(key);
        }
        List<Long> expiries = keys.stream().map(k -> (Long) src.sendCommand(() -> "PEXPIRETIME".getBytes(), k)).toList();
        open();

        PipelinedDumps.SlotOutcome outcome = pipelined(PipelinedDumps.Steps.NONE).move(List.of(new PipelinedDumps.SlotKeys(slot, keys))).get(0);

        assertEquals(20, outcome.moved());
        assertEquals(List.of(), outcome.byMigrate());
        assertEquals(List.of(), outcome.byMigrateReplace());
        assertNull(outcome.error());
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            assertFalse(sourceHas(key), "key " + i + " left on the source");
            assertArrayEquals(("value-" + i).getBytes(StandardCharsets.UTF_8), asking(() -> dst.get(key)));
            assertEquals(expiries.get(i), asking(() -> (Long) dst.sendCommand(() -> "PEXPIRETIME".getBytes(), key)),
                    "key " + i + " kept its expiry");
        }
    }

    @Test
    void aWriteBetweenDumpAndUnlinkStaysOnTheSourceAndTheStaleCopyGoesByMigrateReplace() {
        byte[] key = key("rewritten");
        src.set(key, "old".getBytes());
        open();
        PipelinedDumps.Steps clientWrites = new PipelinedDumps.Steps() {
            @Override
            public void dumped() {
                try (Jedis client = nodes.jedis(source)) {
                    client.set(key, "new".getBytes());
                }
            }
        };

        PipelinedDumps.SlotOutcome first = pipelined(clientWrites).move(List.of(new PipelinedDumps.SlotKeys(slot, List.of(key)))).get(0);
        assertEquals(0, first.moved());
        assertArrayEquals("new".getBytes(), src.get(key), "the source keeps the client's write");

        PipelinedDumps.SlotOutcome again = pipelined(PipelinedDumps.Steps.NONE).move(List.of(new PipelinedDumps.SlotKeys(slot, List.of(key)))).get(0);
        assertEquals(1, again.byMigrateReplace().size(), "the stale copy on the target answers BUSYKEY: left to MIGRATE ... REPLACE");
        migrateReplace(key);
        assertArrayEquals("new".getBytes(), asking(() -> dst.get(key)));
        assertFalse(sourceHas(key));
    }

    @Test
    void aTtlChangeBetweenDumpAndUnlinkKeepsTheKeyOnTheSource() {
        byte[] key = key("expiring");
        src.set(key, "v".getBytes());
        open();
        PipelinedDumps.Steps clientExpires = new PipelinedDumps.Steps() {
            @Override
            public void restored() {
                try (Jedis client = nodes.jedis(source)) {
                    client.pexpire(key, 5_000_000L);
                }
            }
        };
        PipelinedDumps.SlotOutcome outcome = pipelined(clientExpires).move(List.of(new PipelinedDumps.SlotKeys(slot, List.of(key)))).get(0);
        assertEquals(0, outcome.moved());
        assertTrue(src.pttl(key) > 4_000_000L, "the source keeps the key with the client's TTL: " + src.pttl(key));
    }

    @Test
    void aDeleteAfterTheRestoreLeavesNoCopyOnTheTarget() {
        byte[] key = key("deleted");
        src.set(key, "v".getBytes());
        open();
        PipelinedDumps.Steps clientDeletes = new PipelinedDumps.Steps() {
            @Override
            public void restored() {
                try (Jedis client = nodes.jedis(source)) {
                    assertEquals(1, client.del(key));
                }
            }
        };
        PipelinedDumps.SlotOutcome outcome = pipelined(clientDeletes).move(List.of(new PipelinedDumps.SlotKeys(slot, List.of(key)))).get(0);
        assertNull(outcome.error());
        assertFalse(sourceHas(key));
        assertFalse(asking(() -> dst.exists(key)), "the copy restored before the client's DEL is deleted on the target");
    }

    /** The client deletes the key on the source, then writes it: the source answers ASK, so the write lands on the target. */
    @Test
    void aClientWriteOnTheTargetAfterADeleteIsNeverOverwrittenByThePipelinedPath() {
        byte[] key = key("recreated");
        src.set(key, "old".getBytes());
        open();
        PipelinedDumps.SlotOutcome outcome = pipelined(deleteThenWriteOnTarget(key)).move(List.of(new PipelinedDumps.SlotKeys(slot, List.of(key))))
                .get(0);
        assertEquals(List.of(), outcome.byMigrate());
        assertEquals(1, outcome.byMigrateReplace().size(), "BUSYKEY is left to MIGRATE ... REPLACE, never RESTORE ... REPLACE");
        assertEquals("NOKEY", migrateReplace(key), "MIGRATE finds no key on the source: the target's copy is the client's");
        assertArrayEquals("client".getBytes(), asking(() -> dst.get(key)));
    }

    @Test
    void aClientWriteOnTheTargetAfterADeleteIsNeverOverwrittenByTheDumpPath() {
        byte[] key = key("recreated-big");
        src.set(key, "old".getBytes());
        open();
        DumpMove move = new DumpMove(src, dst, source, target, new MigrateGates(100), 1L << 20, deleteThenWriteOnTarget(key));
        assertEquals(DumpMove.Outcome.BUSY, move.move(key));
        assertEquals("NOKEY", migrateReplace(key));
        assertArrayEquals("client".getBytes(), asking(() -> dst.get(key)));
    }

    @Test
    void aKeyOverTheBudgetIsNotDumpedButLeftToMigrate() {
        byte[] small = key("small");
        byte[] big = key("big");
        src.set(small, "s".getBytes());
        src.set(big, new byte[10_000]);
        open();
        PipelinedDumps.SlotOutcome outcome = new PipelinedDumps(src, dst, source, target, new MigrateGates(100), 1000, PipelinedDumps.Steps.NONE)
                .move(List.of(new PipelinedDumps.SlotKeys(slot, List.of(small, big)))).get(0);
        assertEquals(1, outcome.moved());
        assertEquals(1, outcome.byMigrate().size());
        assertArrayEquals(big, outcome.byMigrate().get(0));
        assertTrue(sourceHas(big));
        assertFalse(asking(() -> dst.exists(big)));
    }

    private PipelinedDumps.Steps deleteThenWriteOnTarget(byte[] key) {
        return new PipelinedDumps.Steps() {
            @Override
            public void dumped() {
                try (Jedis onSource = nodes.jedis(source); Jedis onTarget = nodes.jedis(target)) {
                    assertEquals(1, onSource.del(key));
                    // What a cluster client does after the source answers ASK for the missing key.
                    redis.clients.jedis.exceptions.JedisDataException ask = org.junit.jupiter.api.Assertions.assertThrows(
                            redis.clients.jedis.exceptions.JedisDataException.class, () -> onSource.set(key, "client".getBytes()));
                    assertTrue(String.valueOf(ask.getMessage()).startsWith("ASK") || ask instanceof redis.clients.jedis.exceptions.JedisAskDataException,
                            ask.getMessage());
                    onTarget.asking();
                    onTarget.set(key, "client".getBytes());
                }
            }
        };
    }

    private PipelinedDumps pipelined(PipelinedDumps.Steps steps) {
        return new PipelinedDumps(src, dst, source, target, new MigrateGates(100), 1L << 20, steps);
    }

    private String migrateReplace(byte[] key) {
        Object reply = src.sendCommand(() -> "MIGRATE".getBytes(), target.host().getBytes(), Integer.toString(target.port()).getBytes(),
                new byte[0], "0".getBytes(), "5000".getBytes(), "REPLACE".getBytes(), "KEYS".getBytes(), key);
        return new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    /** Whether the source holds the key: a MIGRATING source answers ASK for one it does not have. */
    private boolean sourceHas(byte[] key) {
        try {
            return src.exists(key);
        } catch (redis.clients.jedis.exceptions.JedisAskDataException e) {
            return false;
        }
    }

    private <T> T asking(java.util.function.Supplier<T> read) {
        dst.asking();
        return read.get();
    }

    private byte[] key(String name) {
        return ("{" + tag + "}:" + name).getBytes(StandardCharsets.UTF_8);
    }

    private static String tagFor(int slot) {
        for (int i = 0; ; i++) {
            if (JedisClusterCRC16.getSlot("t" + i) == slot) {
                return "t" + i;
            }
        }
    }
}
