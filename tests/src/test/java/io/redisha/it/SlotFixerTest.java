package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.ClusterEngine;
import io.redisha.cluster.Resharding;
import io.redisha.cluster.model.ClusterListener;
import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.move.SlotFixer;
import io.redisha.cluster.move.SlotMover;
import io.redisha.cluster.transport.ClusterRefusedException;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.NodeAddress;
import io.redisha.topology.Placement;
import io.redisha.topology.Planner;
import io.redisha.topology.ZoneLoss;
import io.redisha.topology.ZonedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@code fix} on each kind of half-finished move, set up by hand with CLUSTER SETSLOT on a real
 * 3-master cluster: it rolls back only when nothing was written to the target, finishes otherwise,
 * closes a source the target already took over, and moves stray keys to their owner.
 */
class SlotFixerTest {
    private static RedisNodes nodes;
    private static final SlotFixer FIXER = new SlotFixer(Credentials.none(), SlotMover.Options.defaults());

    @BeforeAll
    static void cluster() {
        nodes = threeMasters();
    }

    /** Three masters without replicas, one per zone label, formed: the cluster the fix tests break by hand. */
    static RedisNodes threeMasters() {
        RedisNodes started = RedisNodes.nodes(3).withReplicasPerMaster(0).start();
        new ClusterEngine(Duration.ofSeconds(60)).converge(Resharding.assign(started.zoned(List.of("a", "b", "c")), 0,
                ZoneLoss.ACCEPT_RISK, Credentials.none()), Credentials.none(), ClusterListener.SILENT);
        return started;
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    private static String id(int i) {
        try (Jedis j = nodes.jedis(i)) {
            return j.clusterMyId();
        }
    }

    /** Index of the node that owns the slot. */
    private static int owner(int slot) {
        String owner = LiveCluster.load(nodes.address(0), Credentials.none()).owners().get(slot);
        for (int i = 0; i < 3; i++) {
            if (id(i).equals(owner)) {
                return i;
            }
        }
        throw new IllegalStateException("no owner for " + slot);
    }

    private static List<String> keysIn(int slot, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            if (JedisClusterCRC16.getSlot("fix:" + i) == slot) {
                keys.add("fix:" + i);
            }
        }
        return keys;
    }

    private static void fixAndAssertClosed(int slot, int expectedOwner) {
        SlotFixer.Result result = FIXER.fix(nodes.address(0), SlotMover.Listener.SILENT);
        assertTrue(result.ok(), result.problems().toString());
        assertEquals(0, result.openAfter());
        assertEquals(Map.of(), LiveCluster.load(nodes.address(0), Credentials.none()).openSlots());
        assertEquals(expectedOwner, owner(slot), "owner of slot " + slot);
    }

    @Test
    void rollsBackAnImportThatReceivedNothing() {
        int slot = 100;
        int a = owner(slot);
        int b = (a + 1) % 3;
        List<String> keys = keysIn(slot, 5);
        try (Jedis ja = nodes.jedis(a); Jedis jb = nodes.jedis(b)) {
            keys.forEach(k -> ja.set(k, "a"));
            jb.clusterSetSlotImporting(slot, id(a));
        }
        fixAndAssertClosed(slot, a);
        try (Jedis ja = nodes.jedis(a)) {
            keys.forEach(k -> assertEquals("a", ja.get(k)));
        }
    }

    @Test
    void finishesAMoveWhenTheTargetAlreadyHoldsWrites() {
        int slot = 6000;
        int a = owner(slot);
        int b = (a + 1) % 3;
        List<String> keys = keysIn(slot, 6);
        try (Jedis ja = nodes.jedis(a); Jedis jb = nodes.jedis(b)) {
            keys.subList(0, 3).forEach(k -> ja.set(k, "on-a"));
            jb.clusterSetSlotImporting(slot, id(a));
            ja.clusterSetSlotMigrating(slot, id(b));
            // A client sent here by ASK wrote a new key on the target.
            jb.asking();
            jb.set(keys.get(5), "on-b");
            // The source is left MIGRATING, the target IMPORTING: an interrupted move.
        }
        fixAndAssertClosed(slot, b);
        try (Jedis jb = nodes.jedis(b)) {
            keys.subList(0, 3).forEach(k -> assertEquals("on-a", jb.get(k)));
            assertEquals("on-b", jb.get(keys.get(5)));
        }
    }

    @Test
    void finishesForwardWhenOnlyTheTargetImportsButHoldsKeys() {
        int slot = 12000;
        int a = owner(slot);
        int b = (a + 2) % 3;
        List<String> keys = keysIn(slot, 2);
        try (Jedis ja = nodes.jedis(a); Jedis jb = nodes.jedis(b)) {
            ja.set(keys.get(0), "on-a");
            jb.clusterSetSlotImporting(slot, id(a));
            jb.asking();
            jb.set(keys.get(1), "on-b");
        }
        fixAndAssertClosed(slot, b);
        try (Jedis jb = nodes.jedis(b)) {
            assertEquals("on-a", jb.get(keys.get(0)));
            assertEquals("on-b", jb.get(keys.get(1)));
        }
    }

    @Test
    void closesTheSourceWhenTheTargetAlreadyOwnsTheSlot() {
        int slot = 9000;
        int a = owner(slot);
        int b = (a + 1) % 3;
        try (Jedis ja = nodes.jedis(a); Jedis jb = nodes.jedis(b)) {
            jb.clusterSetSlotImporting(slot, id(a));
            ja.clusterSetSlotMigrating(slot, id(b));
            jb.clusterSetSlotNode(slot, id(b));
        }
        fixAndAssertClosed(slot, b);
    }

    @Test
    void movesStrayKeysToTheOwner() {
        int slot = 3000;
        int a = owner(slot);
        int b = (a + 1) % 3;
        String key = keysIn(slot, 1).get(0);
        try (Jedis jb = nodes.jedis(b)) {
            jb.clusterSetSlotImporting(slot, id(a));
            jb.asking();
            jb.set(key, "stray");
            jb.clusterSetSlotStable(slot);
            assertEquals(1, jb.clusterCountKeysInSlot(slot));
        }
        fixAndAssertClosed(slot, a);
        try (Jedis ja = nodes.jedis(a); Jedis jb = nodes.jedis(b)) {
            assertEquals("stray", ja.get(key));
            assertEquals(0, jb.clusterCountKeysInSlot(slot));
        }
    }

    @Test
    void converge_refusesToRemoveAMemberThePlacementDoesNotNameAsRetiring() {
        try (RedisNodes more = RedisNodes.nodes(4).withReplicasPerMaster(0).start()) {
            List<ZonedNode> zoned = more.zoned(List.of("a", "b", "c"));
            ClusterEngine engine = new ClusterEngine(Duration.ofSeconds(60));
            engine.converge(Resharding.assign(zoned, 0, ZoneLoss.ACCEPT_RISK, Credentials.none()), Credentials.none(), ClusterListener.SILENT);
            // A 3-node placement built without the live cluster: the 4th member is neither planned nor retiring.
            Placement three = Planner.assign(zoned.subList(0, 3), 0, ZoneLoss.ACCEPT_RISK, Optional.empty());
            ClusterRefusedException refused = assertThrows(ClusterRefusedException.class,
                    () -> engine.converge(three, Credentials.none(), ClusterListener.SILENT));
            assertTrue(refused.getMessage().contains("retiring"), refused.getMessage());
            NodeAddress fourth = more.address(3);
            assertEquals(4, LiveCluster.load(fourth, Credentials.none()).members().size(), "nothing was removed");
        }
    }
}
