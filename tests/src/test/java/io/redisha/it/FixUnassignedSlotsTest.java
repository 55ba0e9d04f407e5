package io.redisha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.cluster.model.LiveCluster;
import io.redisha.cluster.move.SlotFixer;
import io.redisha.cluster.move.SlotMover;
import io.redisha.cluster.transport.Credentials;
import io.redisha.topology.SlotRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@code fix} assigns slots no master owns, as {@code redis-cli --cluster fix} does, on a real
 * 3-master cluster whose slots were unassigned by hand with CLUSTER DELSLOTS on every node: a slot
 * goes to the master holding its keys (the largest holder when several do, the others' keys moved to
 * it), keyless slots to the master furthest below its share; no key is lost or overwritten.
 */
class FixUnassignedSlotsTest {
    private static final SlotFixer FIXER = new SlotFixer(Credentials.none(), SlotMover.Options.defaults());
    private static RedisNodes nodes;

    @BeforeAll
    static void cluster() {
        nodes = SlotFixerTest.threeMasters();
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    private static LiveCluster load() {
        return LiveCluster.load(nodes.address(0), Credentials.none());
    }

    private static String id(int i) {
        try (Jedis j = nodes.jedis(i)) {
            return j.clusterMyId();
        }
    }

    private static int indexOf(String id) {
        for (int i = 0; i < 3; i++) {
            if (id(i).equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException("no node " + id);
    }

    private static List<String> keysIn(int slot, int count, String prefix) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            if (JedisClusterCRC16.getSlot(prefix + i) == slot) {
                keys.add(prefix + i);
            }
        }
        return keys;
    }

    /** With full coverage required (the default), no node serves a key while a slot is unassigned: the setup needs writes. */
    private static void requireFullCoverage(boolean required) {
        for (int i = 0; i < 3; i++) {
            try (Jedis j = nodes.jedis(i)) {
                j.configSet("cluster-require-full-coverage", required ? "yes" : "no");
            }
        }
    }

    /** Unassigns the slots on every node, as an operator's mistaken DELSLOTS (or a lost shard) leaves them. */
    private static void unassignEverywhere(int first, int last) {
        for (int i = 0; i < 3; i++) {
            try (Jedis j = nodes.jedis(i)) {
                for (int s = first; s <= last; s++) {
                    try {
                        j.clusterDelSlots(s);
                    } catch (JedisDataException alreadyUnassigned) {
                        // this node did not see the slot assigned
                    }
                }
            }
        }
    }

    /** Writes keys of a slot on node {@code i} although nobody owns it: claims it there, writes, and unassigns it everywhere. */
    private static void writeOnUnowned(int i, int slot, Map<String, String> values) {
        try (Jedis j = nodes.jedis(i)) {
            j.clusterAddSlots(slot);
            values.forEach(j::set);
        }
        // Wait until every node saw the claim, so the DELSLOTS below clears it everywhere for good.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!load().members().stream().allMatch(m -> m.view().slotOwners().keySet().stream().anyMatch(r -> r.contains(slot)))) {
            assertTrue(System.nanoTime() < deadline, "the claim of slot " + slot + " did not spread");
            RedisNodes.sleep(20);
        }
        unassignEverywhere(slot, slot);
    }

    @Test
    void assignsEverySlotToItsKeyHolderOrThePlannedOwnerAndLosesNoKey() {
        int a = indexOf(load().owners().get(0));
        int b = (a + 1) % 3;
        List<String> onlyOnA = keysIn(100, 20, "fix-cov-a:");
        List<String> bothA = keysIn(200, 10, "fix-cov-both-a:");
        List<String> bothB = keysIn(200, 3, "fix-cov-both-b:");
        try (Jedis ja = nodes.jedis(a)) {
            onlyOnA.forEach(k -> ja.set(k, "v-" + k));
            bothA.forEach(k -> ja.set(k, "v-" + k));
        }
        requireFullCoverage(false);
        unassignEverywhere(0, 299);
        Map<String, String> onB = new java.util.LinkedHashMap<>();
        bothB.forEach(k -> onB.put(k, "v-" + k));
        writeOnUnowned(b, 200, onB);
        requireFullCoverage(true); // as in production: the cluster is down until every slot has an owner
        assertEquals(SlotRange.SLOT_COUNT - 300, load().assignedSlots());

        SlotFixer.Result result = FIXER.fix(nodes.address(0), SlotMover.Listener.SILENT);

        assertTrue(result.ok(), result.problems().toString());
        assertEquals(300, result.unassignedBefore());
        assertEquals(bothB.size(), result.keysMoved(), result.actions().toString());
        LiveCluster after = load();
        after.members().forEach(m -> assertEquals(SlotRange.SLOT_COUNT, m.view().assignedSlots(), m.label()));
        // The master that lost them is furthest below its share and holds the keys: it gets all 300 back.
        for (int s = 0; s <= 299; s++) {
            assertEquals(id(a), after.owners().get(s), "owner of slot " + s);
        }
        try (Jedis ja = nodes.jedis(a); Jedis jb = nodes.jedis(b)) {
            for (String k : concat(onlyOnA, bothA, bothB)) {
                assertEquals("v-" + k, ja.get(k), k);
            }
            assertEquals(0, jb.clusterCountKeysInSlot(200));
        }
        // The CLI's fix afterwards finds nothing to do.
        CliTest.Run again = CliTest.run("fix", nodes.address(0).toString());
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("nothing to fix"), again.out());
    }

    /** Two masters hold different values of one key of an unowned slot: the slot goes to the larger holder and nothing is overwritten. */
    @Test
    void neverOverwritesAKeyTwoHoldersDisagreeOn() {
        int owner = indexOf(load().owners().get(5000));
        int other = (owner + 1) % 3;
        String key = keysIn(5000, 1, "fix-conflict:").get(0);
        List<String> more = keysIn(5000, 2, "fix-conflict-more:");
        try (Jedis j = nodes.jedis(owner)) {
            j.set(key, "older");
        }
        requireFullCoverage(false);
        unassignEverywhere(5000, 5000);
        Map<String, String> onOther = new java.util.LinkedHashMap<>();
        onOther.put(key, "newer");
        more.forEach(k -> onOther.put(k, "m"));
        writeOnUnowned(other, 5000, onOther);
        requireFullCoverage(true);

        SlotFixer.Result result = FIXER.fix(nodes.address(0), SlotMover.Listener.SILENT);

        assertFalse(result.ok());
        assertTrue(result.problems().stream().anyMatch(p -> p.contains("slot 5000")), result.problems().toString());
        assertEquals(id(other), load().owners().get(5000), "the holder of 3 keys against 1 owns the slot");
        try (Jedis jo = nodes.jedis(owner); Jedis jn = nodes.jedis(other)) {
            assertEquals("newer", jn.get(key));
            jo.asking();
            assertEquals("older", jo.get(key), "the value the owner did not take is still there, for the operator to settle");
            // Settle it as an operator would, so the cluster is clean for the other test.
            jo.asking();
            jo.del(key);
            jo.clusterSetSlotStable(5000);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }
}
