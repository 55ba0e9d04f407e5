package io.redisha.cluster.move;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * The DUMP path ({@link DumpMove}, {@code --dump-above}) against a client that acts on a key exactly between
 * the mover's steps, on a real cluster with one slot open (MIGRATING on the source, IMPORTING on the target):
 * a write, a delete, and a delete followed by a write that the source's ASK sends to the target.
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
    void aKeyMovesWithItsValueAndExpiry() {
        byte[] key = key("expiring");
        src.set(key, "v".getBytes());
        src.pexpire(key, 3_600_000L);
        long expiry = (Long) src.sendCommand(() -> "PEXPIRETIME".getBytes(), key);
        open();
        assertEquals(DumpMove.Outcome.MOVED, move(DumpMove.Steps.NONE).move(key));
        assertFalse(sourceHas(key));
        assertArrayEquals("v".getBytes(), asking(() -> dst.get(key)));
        long kept = asking(() -> (Long) dst.sendCommand(() -> "PEXPIRETIME".getBytes(), key));
        assertTrue(Math.abs(kept - expiry) < 1000, "the expiry is kept (PTTL read under WATCH): " + expiry + " -> " + kept);
    }

    /** A write after the DUMP aborts the EXEC; the redo finds our stale copy on the target, which goes by MIGRATE ... REPLACE. */
    @Test
    void aWriteBetweenDumpAndUnlinkWinsThroughMigrateReplace() {
        byte[] key = key("rewritten");
        src.set(key, "old".getBytes());
        open();
        AtomicInteger writes = new AtomicInteger();
        DumpMove.Steps clientWritesOnce = new DumpMove.Steps() {
            @Override
            public void restored() {
                if (writes.getAndIncrement() == 0) {
                    try (Jedis client = nodes.jedis(source)) {
                        client.set(key, "new".getBytes());
                    }
                }
            }
        };
        assertEquals(DumpMove.Outcome.BUSY, move(clientWritesOnce).move(key));
        assertArrayEquals("new".getBytes(), src.get(key), "the source keeps the client's write");
        assertEquals("OK", migrateReplace(key));
        assertArrayEquals("new".getBytes(), asking(() -> dst.get(key)));
        assertFalse(sourceHas(key));
    }

    @Test
    void aDeleteAfterTheRestoreLeavesNoCopyOnTheTarget() {
        byte[] key = key("deleted");
        src.set(key, "v".getBytes());
        open();
        DumpMove.Steps clientDeletes = new DumpMove.Steps() {
            @Override
            public void restored() {
                try (Jedis client = nodes.jedis(source)) {
                    assertEquals(1, client.del(key));
                }
            }
        };
        assertEquals(DumpMove.Outcome.GONE, move(clientDeletes).move(key));
        assertFalse(sourceHas(key));
        assertFalse(asking(() -> dst.exists(key)), "the copy restored before the client's DEL is deleted on the target");
    }

    /**
     * The client deletes the key on the source after the DUMP, then writes it: the source answers ASK, so the write lands
     * on the target. RESTORE ... REPLACE there would overwrite it (and the redo would then delete it as our copy).
     */
    @Test
    void aClientWriteOnTheTargetAfterADeleteIsNeverOverwritten() {
        byte[] key = key("recreated");
        src.set(key, "old".getBytes());
        open();
        assertEquals(DumpMove.Outcome.BUSY, move(deleteThenWriteOnTarget(key)).move(key));
        assertEquals("NOKEY", migrateReplace(key), "MIGRATE finds no key on the source: the target's copy is the client's");
        assertArrayEquals("client".getBytes(), asking(() -> dst.get(key)));
    }

    @Test
    void aKeyOverTheBudgetIsLeftToMigrate() {
        byte[] big = key("big");
        src.set(big, new byte[10_000]);
        open();
        assertEquals(DumpMove.Outcome.TOO_BIG, new DumpMove(src, dst, source, target, new MigrateGates(100), 1000, DumpMove.Steps.NONE).move(big));
        assertTrue(sourceHas(big));
        assertFalse(asking(() -> dst.exists(big)));
    }

    private DumpMove.Steps deleteThenWriteOnTarget(byte[] key) {
        return new DumpMove.Steps() {
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

    private DumpMove move(DumpMove.Steps steps) {
        return new DumpMove(src, dst, source, target, new MigrateGates(100), 1L << 20, steps);
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
